import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { IdempotencyKeyReused, RequestInProgress } from '../errors.ts';

/**
 * Every POST under its Idempotency-Key (Powertools idempotency, persisted in the single table). Its own module so
 * that a handler module without a POST route (httpApiWithoutPosts) bundles none of the library.
 */
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
    return made.run(payload).catch((error: unknown) => {
      if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReused(error.message, { cause: error });
      if (error instanceof IdempotencyAlreadyInProgressError)
        throw new RequestInProgress(error.message, { cause: error });
      throw error;
    });
  };
}
