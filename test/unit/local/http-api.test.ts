import { describe, expect, it } from 'vitest';
import { asApiGatewayResult, compileRoutes, matchRoute } from '../../../local/http-api.ts';

describe('local HTTP API: routing and responses as API Gateway does them', () => {
  const routes = [
    { method: 'GET', path: '/invoices/{invoiceId}', handler: 'a', access: 'public' },
    { method: 'GET', path: '/invoices/export', handler: 'b', access: 'public' },
  ] as const;
  const compiled = compileRoutes(routes);

  it('matches path parameters and decodes them', () => {
    expect(matchRoute(compiled, 'GET', '/invoices/inv%201')).toEqual({
      route: routes[0],
      pathParameters: { invoiceId: 'inv 1' },
    });
    expect(matchRoute(compiled, 'POST', '/invoices/1')).toBeUndefined();
  });

  it('prefers a literal segment over a parameter, whatever the order of the table', () => {
    expect(matchRoute(compiled, 'GET', '/invoices/export')?.route.handler).toBe('b');
  });

  it('reads a structured result and infers the format of a plain one', () => {
    expect(asApiGatewayResult({ statusCode: 201, headers: { ETag: '"3"' }, body: '{}' })).toEqual({
      statusCode: 201,
      headers: { etag: '"3"' },
      body: '{}',
    });
    expect(
      asApiGatewayResult({ statusCode: 200, body: Buffer.from('%PDF').toString('base64'), isBase64Encoded: true }).body,
    ).toEqual(Buffer.from('%PDF'));
    expect(asApiGatewayResult({ hello: 'world' })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"hello":"world"}',
    });
  });
});
