import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DomainError, InvalidTransition, ValidationFailed } from '../domain/index.ts';
import { openApiDocument, operations, type Operation } from '../api/openapi.ts';
import { authorize, callerFromClaims, claimsOf, type Caller } from './auth.ts';
import { logger } from './powertools.ts';
import { jsonResponse, problemResponse, type Problem } from './problem.ts';

/**
 * The portal API's request pipeline, shared by every handler module: role check from the route table (authorize),
 * request validation against the OpenAPI document (400 naming the field), If-Match (428 missing, 412 stale),
 * Idempotency-Key on every POST (Powertools idempotency, persisted in the single table), and errors as RFC 9457
 * problem+json. A module lists its routes by routeKey and gets one Lambda handler:
 *
 *   export const handler = httpApi({ 'GET /invoices': listInvoices, ... });
 */
export interface ApiRequest {
  readonly routeKey: string;
  readonly caller: Caller;
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The body as text (UTF-8), for operations whose request body is not JSON (e.g. application/xml). */
  readonly rawBody: string;
  /** The version in If-Match; throws 428 when absent. */
  ifMatch(): number;
  readonly now: Date;
}

export interface ApiResult {
  readonly status: number;
  readonly body?: unknown;
  /** Sent as ETag `"<version>"`. */
  readonly version?: number;
  readonly headers?: Record<string, string>;
  /** A document instead of JSON (PDF, XML). */
  readonly document?: { readonly contentType: string; readonly content: Buffer | string; readonly fileName?: string };
}

export type RouteImplementation = (request: ApiRequest) => Promise<ApiResult>;

export const problemType = (name: string): string => `https://factuur.dev/problems/${name}`;

/** An HTTP problem thrown by a use case or adapter. */
export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail ?? problem.title);
  }
}

export function badRequest(field: string, detail: string): HttpProblem {
  return new HttpProblem({ type: problemType('invalid-request'), title: 'Bad Request', status: 400, field, detail });
}

export function notFound(what: string): HttpProblem {
  return new HttpProblem({
    type: problemType('not-found'),
    title: 'Not Found',
    status: 404,
    detail: `${what} does not exist`,
  });
}

export function conflict(detail: string, extras: Record<string, unknown> = {}): HttpProblem {
  return new HttpProblem({ type: problemType('conflict'), title: 'Conflict', status: 409, detail, ...extras });
}

/** Somebody changed it first: 412 with the current version (and its ETag). */
export class StaleVersion extends Error {
  override readonly name = 'StaleVersion';
  constructor(
    readonly currentVersion: number | null,
    readonly what = 'resource',
  ) {
    super(`the ${what} was changed by someone else (now version ${currentVersion})`);
  }
}

export const etagOf = (version: number): string => `"${version}"`;

// ---------------------------------------------------------------------------------------------------------------
// Validation against the OpenAPI document

// @cfworker/json-schema (JSON Schema 2020-12, formats included) interprets the schemas: no code generation at start
// and about 22 KB in the bundle, where Ajv with its formats took 140 KB and compiled each operation on first use.
const documentId = 'https://factuur.dev/openapi.json';
const components = { $id: documentId, components: (openApiDocument() as { components: unknown }).components } as Schema;

interface CompiledOperation {
  readonly operation: Operation;
  readonly path: Validator;
  readonly query: Validator;
  readonly body: Validator | undefined;
}

function parametersSchema(operation: Operation, where: 'path' | 'query'): Record<string, unknown> {
  const parameters = (operation.parameters ?? []).filter((parameter) => parameter.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema])),
    required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    additionalProperties: false,
  };
}

function validator(schema: Record<string, unknown>): Validator {
  const withRefs = JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/', `"${documentId}#/components/`),
  ) as Schema;
  // shortCircuit: stop at the first failing keyword of a schema.
  const compiledValidator = new Validator(withRefs, '2020-12', true);
  compiledValidator.addSchema(components);
  return compiledValidator;
}

const compiled = new Map<string, CompiledOperation>();
function compiledOperation(routeKey: string): CompiledOperation | undefined {
  let found = compiled.get(routeKey);
  if (found) return found;
  const operation = operations[routeKey];
  if (!operation) return undefined;
  found = {
    operation,
    path: validator(parametersSchema(operation, 'path')),
    query: validator(parametersSchema(operation, 'query')),
    body: operation.body ? validator({ $ref: `#/components/schemas/${operation.body}` }) : undefined,
  };
  compiled.set(routeKey, found);
  return found;
}

/**
 * The field an error is about, as a dotted path (`details[0].amount`): the instance location of the output unit,
 * plus the property a `required` error names.
 */
function fieldPath(error: OutputUnit): string[] {
  const parts = error.instanceLocation
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'));
  const missing = error.keyword === 'required' ? /"(.*)"/.exec(error.error)?.[1] : undefined;
  if (missing !== undefined) parts.push(missing);
  return parts;
}

export function fieldOf(error: OutputUnit, root: string): string {
  const parts = fieldPath(error);
  let field = root;
  for (const part of parts) field = /^\d+$/.test(part) ? `${field}[${part}]` : field === '' ? part : `${field}.${part}`;
  return field === '' ? 'body' : field;
}

/** What was wrong, in words: `String does not match format "date".`, a property not allowed, a missing one. */
function messageOf(error: OutputUnit): string {
  if (error.keyword === 'false') return 'is not an allowed property';
  if (error.keyword === 'required') return 'is required';
  return `is invalid: ${error.error.replace(/\.$/, '')}`;
}

const wrapperKeywords = new Set([
  '$ref',
  '$dynamicRef',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'allOf',
  'anyOf',
  'oneOf',
  'then',
  'else',
]);

function check(validate: Validator, value: unknown, root: string, what: string): void {
  const { valid, errors } = validate.validate(value);
  if (valid) return;
  // The error about the deepest field, leaving out the units that only say a subschema failed; of several (the
  // branches of anyOf), the first: the schema's main choice.
  const specific = errors.filter((unit) => !wrapperKeywords.has(unit.keyword));
  const error = (specific.length > 0 ? specific : errors).reduce<OutputUnit | undefined>(
    (best, unit) => (!best || fieldPath(unit).length > fieldPath(best).length ? unit : best),
    undefined,
  );
  if (!error) throw badRequest(root || 'body', `invalid ${what}`);
  const field = fieldOf(error, root);
  throw badRequest(field, `${field} ${messageOf(error)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Idempotency

let idempotent: ((payload: IdempotentPayload) => Promise<ApiResult>) | undefined;
let idempotencyConfig: IdempotencyConfig | undefined;

interface IdempotentPayload {
  readonly routeKey: string;
  readonly path: Readonly<Record<string, string>>;
  readonly caller: string;
  readonly key: string;
  readonly body: unknown;
  readonly ifMatch: string | null;
  /** Not part of the key or the validation hash (JMESPath selects the fields above): what to run. */
  readonly run: () => Promise<ApiResult>;
}

/**
 * Powertools idempotency on the single table: pk `IDEMPOTENCY`, sk `<function>#<hash of route, path, caller, key>`,
 * TTL attribute expiresAt (24 h). The payload hash covers body and If-Match: another body with the same key is 422.
 * Only successful results are kept; a refused request (4xx) may be retried with the same key.
 */
function idempotentRunner(): (payload: IdempotentPayload) => Promise<ApiResult> {
  if (idempotent) return idempotent;
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: 'IDEMPOTENCY',
    expiryAttr: 'expiresAt',
  });
  idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: '[routeKey, path, caller, key]',
    payloadValidationJmesPath: '[body, ifMatch]',
    expiresAfterSeconds: 24 * 60 * 60,
    throwOnNoIdempotencyKey: true,
  });
  idempotent = makeIdempotent(async (payload: IdempotentPayload): Promise<ApiResult> => payload.run(), {
    persistenceStore,
    config: idempotencyConfig,
  });
  return idempotent;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

export function problemOf(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof HttpProblem) return problemResponse(error.problem, error.headers);
  if (error instanceof StaleVersion) {
    return problemResponse(
      {
        type: problemType('stale-version'),
        title: 'Precondition Failed',
        status: 412,
        detail: error.message,
        currentVersion: error.currentVersion,
      },
      error.currentVersion === null ? {} : { etag: etagOf(error.currentVersion) },
    );
  }
  if (error instanceof IdempotencyValidationError) {
    return problemResponse({
      type: problemType('idempotency-key-reused'),
      title: 'Unprocessable Content',
      status: 422,
      field: 'Idempotency-Key',
      detail: 'This Idempotency-Key was used with another request body.',
    });
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return problemResponse(
      {
        type: problemType('request-in-progress'),
        title: 'Conflict',
        status: 409,
        field: 'Idempotency-Key',
        detail: 'A request with this Idempotency-Key is still in progress.',
      },
      { 'retry-after': '1' },
    );
  }
  if (error instanceof ValidationFailed) {
    return problemResponse({
      type: problemType('validation-failed'),
      title: 'Unprocessable Content',
      status: 422,
      field: error.field,
      detail: error.message,
    });
  }
  if (error instanceof InvalidTransition) {
    return problemResponse({
      type: problemType('invalid-transition'),
      title: 'Conflict',
      status: 409,
      detail: error.message,
    });
  }
  if (error instanceof DomainError) {
    // Adopted: Overpayment and CurrencyMismatch are wrong values for this invoice (422, field named);
    // DuplicatePayment conflicts with what is recorded (409).
    const name = error.name;
    const status = name === 'DuplicatePayment' ? 409 : 422;
    const field =
      name === 'Overpayment'
        ? 'amount'
        : name === 'CurrencyMismatch'
          ? 'currency'
          : name === 'DuplicatePayment'
            ? 'paymentId'
            : undefined;
    return problemResponse({
      type: problemType(name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()),
      title: status === 409 ? 'Conflict' : 'Unprocessable Content',
      status,
      detail: error.message,
      ...(field ? { field } : {}),
    });
  }
  logger.error('request failed', { error });
  return problemResponse({
    type: problemType('internal'),
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong; nothing was changed, or the change is safe to retry with the same Idempotency-Key.',
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The handler

function parseIfMatch(value: string | undefined): number {
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

function rawBodyOf(event: APIGatewayProxyEventV2): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = rawBodyOf(event);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('body', 'the body must be JSON');
  }
}

export function httpApi(implementations: Readonly<Record<string, RouteImplementation>>) {
  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const implementation = implementations[event.routeKey];
      const spec = compiledOperation(event.routeKey);
      if (!implementation || !spec) throw new Error(`no implementation for ${event.routeKey}`);
      const headers = Object.fromEntries(
        Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
      );
      const path = (event.pathParameters ?? {}) as Record<string, string>;
      const query = (event.queryStringParameters ?? {}) as Record<string, string>;
      check(spec.path, path, '', 'path');
      check(spec.query, query, '', 'query');
      const media = spec.operation.bodyMedia;
      let body: unknown;
      if (media) {
        // A document body (e.g. a CAMT.053 statement): the declared media type, the text as is.
        const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== media)
          throw new HttpProblem({
            type: problemType('unsupported-media-type'),
            title: 'Unsupported Media Type',
            status: 415,
            field: 'content-type',
            detail: `this operation takes ${media}`,
          });
        body = rawBodyOf(event);
        if (body === '') throw badRequest('body', `a ${media} body is required`);
      } else body = parseBody(event);
      if (spec.body) {
        if (body === undefined) throw badRequest('body', 'a JSON body is required');
        check(spec.body, body, '', 'body');
      } else if (
        event.requestContext.http.method !== 'GET' &&
        event.requestContext.http.method !== 'DELETE' &&
        body !== undefined &&
        typeof body !== 'object'
      ) {
        body = undefined;
      }
      const caller = callerFromClaims(claimsOf(event)) ?? {
        userId: 'anonymous',
        username: 'anonymous',
        email: undefined,
        name: undefined,
        roles: [],
      };
      const request: ApiRequest = {
        routeKey: event.routeKey,
        caller,
        path,
        query,
        headers,
        body,
        rawBody: rawBodyOf(event),
        ifMatch: () => parseIfMatch(headers['if-match']),
        now: new Date(),
      };
      let result: ApiResult;
      if (event.requestContext.http.method === 'POST') {
        const key = headers['idempotency-key'];
        if (key === undefined || !/^[\x21-\x7e]{8,128}$/.test(key))
          throw badRequest(
            'Idempotency-Key',
            'every POST needs an Idempotency-Key header of 8 to 128 visible characters',
          );
        const run = idempotentRunner();
        idempotencyConfig?.registerLambdaContext(context);
        // The request travels in the payload (not in module state): the local cloud runs invocations concurrently in one process.
        result = await run({
          routeKey: event.routeKey,
          path,
          caller: caller.userId,
          key,
          body: body ?? null,
          ifMatch: headers['if-match'] ?? null,
          run: () => implementation(request),
        });
      } else {
        result = await implementation(request);
      }
      const responseHeaders = {
        ...(result.headers ?? {}),
        ...(result.version !== undefined ? { etag: etagOf(result.version) } : {}),
      };
      if (result.document) {
        const content = Buffer.isBuffer(result.document.content)
          ? result.document.content
          : Buffer.from(result.document.content, 'utf8');
        return {
          statusCode: result.status,
          headers: {
            ...responseHeaders,
            'content-type': result.document.contentType,
            ...(result.document.fileName
              ? { 'content-disposition': `inline; filename="${result.document.fileName}"` }
              : {}),
          },
          body: content.toString('base64'),
          isBase64Encoded: true,
        };
      }
      if (result.body === undefined) return { statusCode: result.status, headers: responseHeaders };
      return jsonResponse(result.status, result.body, responseHeaders);
    } catch (error) {
      return problemOf(error);
    }
  };
  return middy(core, { timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger))
    .use(httpHeaderNormalizer())
    .use(authorize());
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers for handlers

/** Opaque cursors: base64url of the LastEvaluatedKey; a cursor that does not decode to one is 400 `cursor`. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

export function decodeCursor(
  cursor: string | undefined,
  keyNames: readonly string[],
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new Error('not an object');
    const entries = Object.entries(key);
    if (
      entries.length !== keyNames.length ||
      !entries.every(([name, value]) => keyNames.includes(name) && typeof value === 'string' && value.length <= 1024)
    ) {
      throw new Error('not a key');
    }
    return key as Record<string, unknown>;
  } catch {
    throw badRequest('cursor', 'cursor is not one this API returned');
  }
}

export function limitOf(request: ApiRequest, fallback = 50): number {
  return request.query.limit === undefined ? fallback : Number(request.query.limit);
}

export function actorOf(request: ApiRequest): string {
  return request.caller.username;
}
