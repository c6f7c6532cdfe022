import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

export interface HttpApiEventParts {
  /** JWT claims as API Gateway passes them; without, the event has no authorizer (a public route). */
  readonly claims?: Record<string, string>;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** Sent as it is when a string, as JSON otherwise. */
  readonly body?: unknown;
}

/** An API Gateway HTTP API payload 2.0 event for a route, for handler tests. */
export function httpApiEvent(routeKey: string, parts: HttpApiEventParts = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: parts.headers ?? {},
    ...(parts.pathParameters ? { pathParameters: parts.pathParameters } : {}),
    ...(parts.queryStringParameters ? { queryStringParameters: parts.queryStringParameters } : {}),
    ...(parts.body === undefined
      ? {}
      : { body: typeof parts.body === 'string' ? parts.body : JSON.stringify(parts.body) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      // API Gateway leaves authorizer out on a route without one; the type insists on it.
      ...(parts.claims
        ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: parts.claims, scopes: [] } } }
        : {}),
    } as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
  };
}
