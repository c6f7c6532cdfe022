import { describe, expect, it } from 'vitest';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import type { RouteDefinition } from '../../../infra/definitions/routes.ts';
import { lambdaContext } from '../../../local/lambda-runtime.ts';
import { httpApiEvent } from '../../support/http-api-event.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { authorize, callerFromClaims, callerOf, parseGroups, requireRole } = await import(
  '../../../functions/shared/auth.ts'
);

const table: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', handler: 'api/health', access: 'public' },
  { method: 'GET', path: '/invoices/{invoiceId}', handler: 'x', access: ['viewer', 'billing'] },
  { method: 'POST', path: '/invoices/{invoiceId}/send', handler: 'x', access: ['billing'] },
];

const claims = (groups: string) => ({
  sub: 'c0ffee00-0000-4000-8000-000000000001',
  'cognito:username': 'billing',
  'cognito:groups': groups,
  email: 'billing@demo.factuur.test',
  name: 'Bram Billing',
  iss: 'http://127.0.0.1:4605',
  aud: 'factuur-portal',
  exp: '1999999999',
  token_use: 'id',
});

const event = (routeKey: string, claims?: Record<string, string>) => httpApiEvent(routeKey, claims ? { claims } : {});

const seen: string[] = [];
const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>(
  async (incoming: APIGatewayProxyEventV2WithJWTAuthorizer) => {
    const caller = callerOf(incoming);
    seen.push(caller.username);
    return { statusCode: 200, body: JSON.stringify(caller) };
  },
).use(authorize(table));

async function call(routeKey: string, jwtClaims?: Record<string, string>) {
  const result = (await handler(
    event(routeKey, jwtClaims),
    lambdaContext('test'),
  )) as APIGatewayProxyStructuredResultV2;
  return { ...result, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

describe('cognito:groups as the handler gets it', () => {
  it('reads exactly API Gateway\'s "[a b]" and nothing else', () => {
    expect(parseGroups('[billing viewer]')).toEqual(['billing', 'viewer']);
    expect(parseGroups('[billing]')).toEqual(['billing']);
    expect(parseGroups('[]')).toEqual([]);
    expect(parseGroups('["billing","viewer"]')).toEqual(['"billing","viewer"']);
    expect(parseGroups(['billing', 'viewer'])).toEqual([]);
    expect(parseGroups('[billing, viewer]')).toEqual(['billing,', 'viewer']);
    expect(parseGroups('billing')).toEqual([]);
    expect(parseGroups(undefined)).toEqual([]);
    expect(parseGroups(3)).toEqual([]);
  });

  it.each([
    ['a group named "sales,admin"', '[sales,admin]'],
    ['a group named \'["admin"]\'', '[["admin"]]'],
    ['a group named "admin]"', '[admin]]'],
    ['a group named "[admin"', '[[admin]'],
    ['a JSON array string', '["admin"]'],
    ['a comma list', 'sales,admin'],
    ['an unbracketed name', 'admin'],
    ['a group named "Admin"', '[Admin]'],
    ['a group named "admin " with a tab', '[admin\t]'],
  ])('never reads %s as the admin role', (_what, groups) => {
    expect(callerFromClaims(claims(groups))?.roles).toEqual([]);
  });

  it('builds the caller, keeping only factuur roles, and falls back from cognito:username to username to sub', () => {
    expect(callerFromClaims(claims('[viewer admin eu-west-1_x_Google]'))).toEqual({
      userId: 'c0ffee00-0000-4000-8000-000000000001',
      username: 'billing',
      email: 'billing@demo.factuur.test',
      name: 'Bram Billing',
      roles: ['viewer', 'admin'],
    });
    // An access token (API Gateway's authorizer lets it through by client_id): not a caller, so 401.
    expect(
      callerFromClaims({
        sub: 's',
        username: 'u',
        'cognito:groups': '[operator]',
        client_id: 'factuur-portal',
        token_use: 'access',
      }),
    ).toBeUndefined();
    expect(callerFromClaims({ sub: 's', 'cognito:groups': '[operator]' })).toBeUndefined();
    expect(callerFromClaims({ sub: 's', token_use: 'id' })?.username).toBe('s');
    expect(callerFromClaims({ 'cognito:groups': '[billing]' })).toBeUndefined();
    expect(callerFromClaims(undefined)).toBeUndefined();
  });
});

describe('authorize(): the route table decides by routeKey', () => {
  it('lets a caller with an allowed role through and gives the handler the caller', async () => {
    const result = await call('POST /invoices/{invoiceId}/send', claims('[billing viewer]'));
    expect(result.statusCode).toBe(200);
    expect(result.json).toMatchObject({ username: 'billing', roles: ['viewer', 'billing'] });
    // A JSON array string is not what API Gateway passes: no role.
    const jsonArrayForm = await call('GET /invoices/{invoiceId}', claims('["viewer"]'));
    expect(jsonArrayForm.statusCode).toBe(403);
  });

  it('answers 403 problem+json naming the roles needed when the caller has none of them, without running the handler', async () => {
    seen.length = 0;
    const result = await call('POST /invoices/{invoiceId}/send', claims('[viewer]'));
    expect(result.statusCode).toBe(403);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(result.json).toEqual({
      type: 'https://factuur.dev/problems/forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'POST /invoices/{invoiceId}/send needs the role billing; billing has the role viewer.',
      requiredRoles: ['billing'],
    });
    const noRole = await call('GET /invoices/{invoiceId}', claims('[]'));
    expect(noRole.statusCode).toBe(403);
    expect(noRole.json.detail).toBe(
      'GET /invoices/{invoiceId} needs the role viewer or billing; billing has no factuur role.',
    );
    expect(seen).toEqual([]);
  });

  it('answers 401 problem+json when a protected route gets no claims (route misconfigured as public)', async () => {
    const result = await call('GET /invoices/{invoiceId}');
    expect(result.statusCode).toBe(401);
    expect(result.headers).toMatchObject({ 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' });
    expect(result.json).toMatchObject({ title: 'Unauthorized', status: 401 });
    expect((await call('GET /invoices/{invoiceId}', { 'cognito:groups': '[billing]' })).statusCode).toBe(401);
    // An access token of the app client (client_id, no aud): API Gateway lets it through, the API does not.
    const { aud: _aud, email: _email, name: _name, ...idClaims } = claims('[billing viewer]');
    const access = await call('GET /invoices/{invoiceId}', {
      ...idClaims,
      token_use: 'access',
      client_id: 'factuur-portal',
      scope: 'openid',
    });
    expect(access.statusCode).toBe(401);
    expect(access.json).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('lets anyone call a public route', async () => {
    const publicHandler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(async () => ({
      statusCode: 204,
    })).use(authorize(table));
    const result = (await publicHandler(
      event('GET /health'),
      lambdaContext('test'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(204);
  });

  it('answers 500 problem+json for a routeKey that is not in the route table', async () => {
    const result = await call('DELETE /invoices/{invoiceId}', claims('[billing]'));
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(result.json).toMatchObject({ type: 'https://factuur.dev/problems/route-not-configured', status: 500 });
  });

  it('callerOf() refuses an event without claims', () => {
    expect(() => callerOf(event('GET /health'))).toThrow(/No caller on GET \/health/);
  });
});

describe('requireRole(): an explicit access list', () => {
  const adminOnly = middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>(async () => ({
    statusCode: 200,
  })).use(requireRole(['admin']));

  it('checks the given roles whatever the route table says', async () => {
    const allowed = (await adminOnly(
      event('GET /anything', claims('[admin viewer]')),
      lambdaContext('t'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(allowed.statusCode).toBe(200);
    const denied = (await adminOnly(
      event('GET /anything', claims('[billing operator]')),
      lambdaContext('t'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(denied.statusCode).toBe(403);
    expect(JSON.parse(denied.body ?? '')).toMatchObject({
      detail: 'GET /anything needs the role admin; billing has the role billing or operator.',
    });
  });
});
