import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { badRequest, HttpProblem, problemType } from './problems.ts';

/**
 * Preconditions of writes: If-Match (428 when missing, 400 when not an ETag; the use case compares it and throws
 * StaleVersion, 412) and Idempotency-Key on every POST (Powertools idempotency, persisted in the single table).
 */
export function parseIfMatch(value: string | undefined): number {
  if (value === undefined || value.trim() === '') {
    throw new HttpProblem({
      type: problemType('precondition-required'),
      title: 'Precondition Required',
      status: 428,
      field: 'If-Match',
      detail: 'Send If-Match with the ETag of the version you read.',
    });
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!match) throw badRequest('If-Match', 'If-Match must be the ETag of a version, e.g. "3"');
  return Number(match[1]);
}

export function idempotencyKeyOf(headers: Readonly<Record<string, string>>): string {
  const key = headers['idempotency-key'];
  if (key === undefined || !/^[\x21-\x7e]{8,128}$/.test(key))
    throw badRequest('Idempotency-Key', 'every POST needs an Idempotency-Key header of 8 to 128 visible characters');
  return key;
}

export interface IdempotentPayload<T> {
  readonly routeKey: string;
  readonly path: Readonly<Record<string, string>>;
  readonly caller: string;
  readonly key: string;
  readonly body: unknown;
  readonly ifMatch: string | null;
  /** Not part of the key or the validation hash (JMESPath selects the fields above): what to run. */
  readonly run: () => Promise<T>;
}

export type IdempotentRunner<T> = (payload: IdempotentPayload<T>, context: Context) => Promise<T>;

/**
 * Powertools idempotency on the single table: pk `IDEMPOTENCY`, sk `<function>#<hash of route, path, caller, key>`,
 * TTL attribute expiresAt (24 h). The payload hash covers body and If-Match: another body with the same key is 422.
 * Only successful results are kept; a refused request (4xx) may be retried with the same key.
 *
 * One runner per handler module (made by httpApi, created on the first POST), no state at module level. The
 * request travels in the payload, not in shared state: the local cloud runs invocations concurrently in one process.
 */
export function idempotentRunner<T>(): IdempotentRunner<T> {
  let made: { run: (payload: IdempotentPayload<T>) => Promise<T>; config: IdempotencyConfig } | undefined;
  return (payload, context) => {
    if (!made) {
      const tableName = process.env.TABLE_NAME;
      if (!tableName) throw new Error('TABLE_NAME is not set');
      const persistenceStore = new DynamoDBPersistenceLayer({
        tableName,
        keyAttr: 'pk',
        sortKeyAttr: 'sk',
        staticPkValue: 'IDEMPOTENCY',
        expiryAttr: 'expiresAt',
      });
      const config = new IdempotencyConfig({
        eventKeyJmesPath: '[routeKey, path, caller, key]',
        payloadValidationJmesPath: '[body, ifMatch]',
        expiresAfterSeconds: 24 * 60 * 60,
        throwOnNoIdempotencyKey: true,
      });
      made = {
        config,
        run: makeIdempotent(async (input: IdempotentPayload<T>): Promise<T> => input.run(), {
          persistenceStore,
          config,
        }),
      };
    }
    made.config.registerLambdaContext(context);
    return made.run(payload);
  };
}
