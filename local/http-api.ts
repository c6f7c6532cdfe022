import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { RouteDefinition } from '../infra/definitions/routes.ts';
import { invokeHandler } from './lambda-runtime.ts';
import { loopback } from './ports.ts';

/**
 * The local twin of API Gateway's HTTP API: the same route table as the CDK stack, requests turned into
 * payload format 2.0 events, the JWT authorizer's checks on non-public routes, and responses read back the way
 * API Gateway reads a Lambda's answer.
 */
export interface JwtAuthorizerConfig {
  /** The issuer (`iss`) tokens must carry; its JWKS is read from `${issuer}/.well-known/openid-configuration`'s jwks_uri or `jwksUri`. */
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly jwksUri: string;
}

export interface HttpApiOptions {
  readonly port: number;
  readonly routes: readonly RouteDefinition[];
  readonly authorizer?: JwtAuthorizerConfig;
  /** Extra response headers (CORS for the local portal). */
  readonly corsOrigin?: string;
}

export interface HttpApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly parameterNames: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        parameterNames.push(greedy[1]);
        return '(.+)';
      }
      const parameter = /^\{(\w+)\}$/.exec(segment);
      if (parameter?.[1]) {
        parameterNames.push(parameter[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), parameterNames };
}

/** API Gateway prefers the most specific route: literal segments over parameters. */
function specificity(route: RouteDefinition): number {
  return route.path.split('/').reduce((score, segment) => score * 2 + (segment.startsWith('{') ? 0 : 1), 1);
}

/** Routes ready to match, most specific first. */
export function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  return [...routes].sort((a, b) => specificity(b) - specificity(a)).map(compile);
}

export function matchRoute(
  compiled: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: RouteDefinition; pathParameters: Record<string, string> } | undefined {
  for (const candidate of compiled) {
    if (candidate.route.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    candidate.parameterNames.forEach((name, index) => {
      // Malformed percent-encoding (`%E0%A4%A`) throws URIError: the caller answers 400, as API Gateway does.
      pathParameters[name] = decodeURIComponent(match[index + 1] ?? '');
    });
    return { route: candidate.route, pathParameters };
  }
  return undefined;
}

/** API Gateway hands claims to the Lambda as strings; arrays become `[a b]`. */
function claimsAsApiGatewayDoes(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    claims[name] = Array.isArray(value)
      ? `[${value.join(' ')}]`
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  }
  return claims;
}

const textTypes = /^(text\/|application\/(json|problem\+json|xml|javascript|x-www-form-urlencoded))/;

/** API Gateway's payload quota: 10 MB; a Lambda's synchronous invocation takes at most 6 MB, so more is refused too. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
export const MAX_LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
function isUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

class TooLarge extends Error {}

/** Reads the body, giving up (and stopping the read) as soon as it passes `limit` bytes. */
async function readBody(request: http.IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const compiled = compileRoutes(options.routes);
  const jwks = options.authorizer ? createRemoteJWKSet(new URL(options.authorizer.jwksUri)) : undefined;

  const server = http.createServer(async (request, response) => {
    const requestId = randomUUID();
    const send = (statusCode: number, headers: Record<string, string>, body: string | Buffer) => {
      response.writeHead(statusCode, { 'apigw-requestid': requestId, ...cors(options.corsOrigin), ...headers });
      response.end(body);
    };
    // API Gateway's own answers: `{"message": ...}` as JSON, the connection closed when the body is not read.
    const refuse = (statusCode: number, message: string, headers: Record<string, string> = {}) => {
      if (!request.complete) response.setHeader('connection', 'close');
      send(statusCode, { 'content-type': 'application/json', ...headers }, JSON.stringify({ message }));
    };
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = (request.method ?? 'GET').toUpperCase();
      if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
        refuse(413, 'Request Entity Too Large');
        return;
      }
      if (method === 'OPTIONS' && options.corsOrigin) {
        send(204, { 'access-control-max-age': '600' }, '');
        return;
      }
      let matched: ReturnType<typeof matchRoute>;
      try {
        matched = matchRoute(compiled, method, url.pathname);
      } catch (error) {
        if (!(error instanceof URIError)) throw error;
        refuse(400, 'Bad Request');
        return;
      }
      if (!matched) {
        refuse(404, 'Not Found');
        return;
      }
      let jwt: { claims: Record<string, string>; scopes: string[] } | undefined;
      if (matched.route.access !== 'public') {
        const verified = await verifyBearer(request.headers.authorization, options.authorizer, jwks);
        if (!verified) {
          refuse(401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
          return;
        }
        jwt = {
          claims: claimsAsApiGatewayDoes(verified),
          scopes: String(verified.scope ?? '')
            .split(' ')
            .filter(Boolean),
        };
      }
      let body: Buffer;
      try {
        body = await readBody(request, MAX_REQUEST_BYTES);
      } catch (error) {
        if (!(error instanceof TooLarge)) throw error;
        refuse(413, 'Request Entity Too Large');
        return;
      }
      if (body.length > MAX_LAMBDA_PAYLOAD_BYTES) {
        refuse(413, 'Request Entity Too Large');
        return;
      }
      const contentType = String(request.headers['content-type'] ?? '');
      // Adopted: bytes that are not UTF-8 go to the function base64-encoded, never decoded with U+FFFD in them.
      const isText = body.length === 0 || ((textTypes.test(contentType) || contentType === '') && isUtf8(body));
      const headers: Record<string, string> = {};
      const cookies: string[] = [];
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined) continue;
        if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
        else headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      const queryStringParameters: Record<string, string> = {};
      for (const key of new Set(url.searchParams.keys()))
        queryStringParameters[key] = url.searchParams.getAll(key).join(',');
      const now = new Date();
      const event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } } = {
        version: '2.0',
        routeKey: `${matched.route.method} ${matched.route.path}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        ...(cookies.length ? { cookies } : {}),
        headers,
        ...(Object.keys(queryStringParameters).length ? { queryStringParameters } : {}),
        ...(Object.keys(matched.pathParameters).length ? { pathParameters: matched.pathParameters } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? `${loopback}`,
          domainPrefix: 'local',
          http: {
            method,
            path: url.pathname,
            protocol: `HTTP/${request.httpVersion}`,
            sourceIp: request.socket.remoteAddress ?? loopback,
            userAgent: headers['user-agent'] ?? '',
          },
          requestId,
          routeKey: `${matched.route.method} ${matched.route.path}`,
          stage: '$default',
          time: now.toISOString(),
          timeEpoch: now.getTime(),
          ...(jwt ? { authorizer: { jwt } } : {}),
        },
        ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
        isBase64Encoded: body.length > 0 && !isText,
      };
      const result = await invokeHandler(matched.route.handler, event);
      const { statusCode, headers: resultHeaders, body: resultBody } = asApiGatewayResult(result);
      send(statusCode, resultHeaders, resultBody);
    } catch (error) {
      // API Gateway answers a Lambda that throws with 500 and this body; the error stays in the function's log.
      console.error(`[http-api] ${request.method} ${request.url}:`, error);
      send(500, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Internal Server Error' }));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, loopback, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${loopback}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function cors(origin: string | undefined): Record<string, string> {
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-headers': 'authorization,content-type,if-match,idempotency-key',
    'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
    'access-control-expose-headers': 'etag,location',
  };
}

async function verifyBearer(
  authorization: string | undefined,
  config: JwtAuthorizerConfig | undefined,
  jwks: ReturnType<typeof createRemoteJWKSet> | undefined,
): Promise<JWTPayload | undefined> {
  if (!config || !jwks || !authorization?.startsWith('Bearer ')) return undefined;
  try {
    // As API Gateway's JWT authorizer: a `kid` in the header naming a key of the JWKS, `exp` required and in the
    // future, `iat` (when present) and `nbf` not in the future.
    const { payload, protectedHeader } = await jwtVerify(authorization.slice('Bearer '.length), jwks, {
      issuer: config.issuer,
      requiredClaims: ['exp'],
    });
    if (typeof protectedHeader.kid !== 'string' || protectedHeader.kid === '') return undefined;
    if (typeof payload.iat === 'number' && payload.iat > Math.floor(Date.now() / 1000)) return undefined;
    // API Gateway accepts a token whose `aud` or (access tokens) `client_id` is one of the audiences.
    const audiences = [payload.aud ?? [], payload.client_id ?? []].flat().map(String);
    if (!audiences.some((audience) => config.audience.includes(audience))) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

/** API Gateway's payload 2.0 response parsing, including its format inference for non-structured results. */
export function asApiGatewayResult(result: unknown): {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Buffer;
} {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const structured = result as APIGatewayProxyStructuredResultV2;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
    const body = structured.body ?? '';
    return {
      statusCode: structured.statusCode ?? 200,
      headers,
      body: structured.isBase64Encoded ? Buffer.from(body, 'base64') : body,
    };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
  };
}
