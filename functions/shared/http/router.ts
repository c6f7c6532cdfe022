import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Contract } from '../../api/openapi/schema.ts';
import { authorize, callerFromClaims, claimsOf, type Caller } from '../auth.ts';
import { logger } from '../powertools.ts';
import { jsonResponse } from '../problem.ts';
import { parseJson, rawBodyOf } from './body.ts';
import type { IdempotentRunner } from './idempotency.ts';
import { idempotencyKeyOf, parseIfMatch } from './preconditions.ts';
import { badRequest, etagOf, problemOf } from './problems.ts';
import { check, operationValidators, precheck } from './validation.ts';

/**
 * The portal API's request pipeline, shared by every handler module: role check from the route table (authorize),
 * the content type the operation declares (415), the body's bytes and JSON (400), validation against the OpenAPI
 * document (400 naming the field), If-Match (428 missing, 412 stale), Idempotency-Key on every POST, and errors as
 * RFC 9457 problem+json (problems.ts). A module lists its routes by routeKey, with the part of the document they are
 * validated by (its Contract), and gets one Lambda handler:
 *
 *   export const handler = httpApi(contract, { 'GET /invoices': listInvoices, ... });
 *
 * Adopted: a small router of our own. Measured 2026-12-01 (esbuild --minify, a one-route handler each):
 * @aws-lambda-powertools/event-handler 2.35 (http Router) 26 KB, @middy/http-router 7.9 3 KB; both would fit the
 * 500 KB budget (api/runs is 146 KB without the AWS SDK), but neither validates against the OpenAPI document, maps
 * our problems, or does If-Match and idempotency, and API Gateway already resolved the route: its routeKey is the
 * key of one map lookup. So no dependency was added.
 */
export interface ApiRequest {
  readonly routeKey: string;
  readonly caller: Caller;
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body (undefined without one); for a non-JSON media type the body text. */
  readonly body: unknown;
  /** The body as text (UTF-8 checked), '' without one: for media types other than JSON (e.g. application/xml). */
  readonly rawBody: string;
  /** The media type of the body (`application/json`), undefined without a body. */
  readonly mediaType: string | undefined;
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

const anonymous: Caller = { userId: 'anonymous', username: 'anonymous', email: undefined, name: undefined, roles: [] };

function toResponse(result: ApiResult): APIGatewayProxyStructuredResultV2 {
  const headers = {
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
        ...headers,
        'content-type': result.document.contentType,
        ...(result.document.fileName
          ? { 'content-disposition': `inline; filename="${result.document.fileName}"` }
          : {}),
      },
      body: content.toString('base64'),
      isBase64Encoded: true,
    };
  }
  if (result.body === undefined) return { statusCode: result.status, headers };
  return jsonResponse(result.status, result.body, headers);
}

export type Implementations = Readonly<Record<string, RouteImplementation>>;

/**
 * The same pipeline for a module without a POST route: no idempotency layer, so its bundle leaves Powertools
 * idempotency out (about 40 KB, bench/bundles.ts). A POST route here is refused when the module loads.
 */
export function httpApiWithoutPosts(contract: Contract, implementations: Implementations) {
  const posts = Object.keys(implementations).filter((routeKey) => routeKey.startsWith('POST '));
  if (posts.length) throw new Error(`httpApiWithoutPosts: ${posts.join(', ')} need httpApi (Idempotency-Key)`);
  return apiHandler(contract, implementations, undefined);
}

/** The pipeline of a module's routes; httpApi (http-api.ts) passes the idempotency runner every POST goes through. */
export function apiHandler(
  contract: Contract,
  implementations: Implementations,
  idempotent: IdempotentRunner<ApiResult> | undefined,
) {
  const validatorsOf = operationValidators(contract);
  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const implementation = implementations[event.routeKey];
      const spec = validatorsOf(event.routeKey);
      if (!implementation || !spec) throw new Error(`no implementation for ${event.routeKey}`);
      const headers = Object.fromEntries(
        Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
      );
      const path = (event.pathParameters ?? {}) as Record<string, string>;
      const query = (event.queryStringParameters ?? {}) as Record<string, string>;
      check(spec.path, path, '', 'path');
      check(spec.query, query, '', 'query');
      const method = event.requestContext.http.method;
      const declared = spec.operation.bodyMedia ? [spec.operation.bodyMedia] : undefined;
      const accepted = spec.operation.contentTypes ?? declared ?? ['application/json'];
      const raw = rawBodyOf(event, headers['content-type'], accepted);
      let body: unknown;
      const json = raw !== undefined && /[/+]json$/.test(raw.mediaType);
      if (json) {
        body = parseJson(raw.text);
        precheck(contract.schemas, spec.bodySchema, body);
      } else if (raw) {
        body = raw.text;
      }
      if (spec.operation.bodyMedia && raw === undefined)
        throw badRequest('body', `a ${spec.operation.bodyMedia} body is required`);
      if (spec.body) {
        if (body === undefined) throw badRequest('body', `a body is required (${accepted.join(' or ')})`);
        if (json) check(spec.body, body, '', 'body');
      } else if (method !== 'GET' && method !== 'DELETE' && body !== undefined && typeof body !== 'object') {
        body = undefined;
      }
      const caller = callerFromClaims(claimsOf(event)) ?? anonymous;
      const request: ApiRequest = {
        routeKey: event.routeKey,
        caller,
        path,
        query,
        headers,
        body,
        rawBody: raw?.text ?? '',
        mediaType: raw?.mediaType,
        ifMatch: () => parseIfMatch(headers['if-match']),
        now: new Date(),
      };
      const result =
        method === 'POST' && idempotent
          ? await idempotent(
              {
                routeKey: event.routeKey,
                path,
                caller: caller.userId,
                key: idempotencyKeyOf(headers),
                body: body ?? null,
                ifMatch: headers['if-match'] ?? null,
                run: () => implementation(request),
              },
              context,
            )
          : await implementation(request);
      return toResponse(result);
    } catch (error) {
      return problemOf(error);
    }
  };
  return middy(core, { timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger))
    .use(httpHeaderNormalizer())
    .use(authorize());
}
