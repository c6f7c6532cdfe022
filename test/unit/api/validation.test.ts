import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lambdaContext } from '../../../local/lambda-runtime.ts';
import { httpApiEvent } from '../../support/http-api-event.ts';

process.env.TABLE_NAME = 'factuur-test';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { httpApi } = await import('../../../functions/shared/http-api.ts');
const { componentSchemas, operations } = await import('../../../functions/api/openapi.ts');

/** Request validation against the OpenAPI document, before any use case runs: 400 problem+json naming the field. */
const reached: string[] = [];
const handler = httpApi(
  { operations, schemas: componentSchemas },
  {
    'GET /projects/{projectId}/run-dates': async () => {
      reached.push('run-dates');
      return { status: 200, body: { items: [] } };
    },
    'POST /projects/{projectId}/invoice-preview': async () => {
      reached.push('preview');
      return { status: 200, body: {} };
    },
    'POST /customers': async () => {
      reached.push('customers');
      return { status: 201, body: {} };
    },
  },
);

function event(
  routeKey: string,
  pathParameters: Record<string, string>,
  queryStringParameters: Record<string, string> | undefined,
  body?: unknown,
): APIGatewayProxyEventV2 {
  return httpApiEvent(routeKey, {
    claims: { sub: 'u-1', token_use: 'id', 'cognito:groups': '[billing viewer admin]' },
    pathParameters,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    headers: { 'content-type': 'application/json', 'idempotency-key': 'validation-test-key' },
    body,
  });
}

async function problem(request: APIGatewayProxyEventV2): Promise<{ status: number; field: string; detail: string }> {
  const result = (await handler(request, lambdaContext('validation-test'))) as APIGatewayProxyStructuredResultV2;
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  return JSON.parse(result.body ?? '{}') as { status: number; field: string; detail: string };
}

describe('request validation against the OpenAPI document', () => {
  it('passes a valid request on to the use case', async () => {
    const result = (await handler(
      event('GET /projects/{projectId}/run-dates', { projectId: 'p-1' }, { from: '2026-12-01', to: '2027-02-28' }),
      lambdaContext('validation-test'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(reached).toEqual(['run-dates']);
  });

  it.each([
    [
      'a date that does not exist',
      'GET /projects/{projectId}/run-dates',
      { projectId: 'p-1' },
      { from: '2026-02-30', to: '2026-03-31' },
      undefined,
      'from',
    ],
    [
      'a missing query parameter',
      'GET /projects/{projectId}/run-dates',
      { projectId: 'p-1' },
      { from: '2026-02-01' },
      undefined,
      'to',
    ],
    [
      'an unknown query parameter',
      'GET /projects/{projectId}/run-dates',
      { projectId: 'p-1' },
      { from: '2026-02-01', to: '2026-03-01', tto: 'x' },
      undefined,
      'tto',
    ],
    [
      'a path parameter of the wrong shape',
      'GET /projects/{projectId}/run-dates',
      { projectId: '-bad id' },
      { from: '2026-02-01', to: '2026-03-01' },
      undefined,
      'projectId',
    ],
    [
      'a missing body property',
      'POST /projects/{projectId}/invoice-preview',
      { projectId: 'p-1' },
      undefined,
      { orgUnit: 'advies' },
      'cutOff',
    ],
    [
      'a property not in the schema',
      'POST /projects/{projectId}/invoice-preview',
      { projectId: 'p-1' },
      undefined,
      { cutOff: '2026-10-31', cutoff: '2026-10-31' },
      'cutoff',
    ],
    [
      'a wrong item in an array',
      'POST /projects/{projectId}/invoice-preview',
      { projectId: 'p-1' },
      undefined,
      { cutOff: '2026-10-31', transactionTypes: ['time', 'hours'] },
      'transactionTypes[1]',
    ],
    [
      'a malformed e-mail address',
      'POST /customers',
      {},
      undefined,
      {
        id: 'c-1',
        name: 'K',
        postalAddress: { lines: ['A 1'], postalCode: null, city: 'B', subdivision: null, country: 'GB' },
        email: 'not-an-address',
        taxId: null,
        language: 'nl',
      },
      'email',
    ],
    [
      'a body that is not an object',
      'POST /projects/{projectId}/invoice-preview',
      { projectId: 'p-1' },
      undefined,
      '"2026-10-31"',
      'body',
    ],
    [
      'a body that is not JSON',
      'POST /projects/{projectId}/invoice-preview',
      { projectId: 'p-1' },
      undefined,
      '{cutOff:',
      'body',
    ],
  ])('refuses %s with 400 naming the field, before the use case', async (_what, routeKey, path, query, body, field) => {
    reached.length = 0;
    const answer = await problem(event(routeKey, path, query, body));
    expect(answer.status).toBe(400);
    expect(answer.field).toBe(field);
    expect(answer.detail).toContain(field === 'body' ? 'body' : field);
    expect(reached).toEqual([]);
  });

  it('says what is wrong in words, from the schema branch meant (a nullable e-mail address: its format, not "null")', async () => {
    const answer = await problem(
      event('POST /customers', {}, undefined, {
        id: 'c-1',
        name: 'K',
        postalAddress: { lines: ['A 1'], postalCode: null, city: 'B', subdivision: null, country: 'GB' },
        email: 'not-an-address',
        taxId: null,
        language: 'nl',
      }),
    );
    expect(answer.detail).toBe('email is invalid: String does not match format "email"');
    const missing = await problem(
      event('POST /projects/{projectId}/invoice-preview', { projectId: 'p-1' }, undefined, {}),
    );
    expect(missing.detail).toBe('cutOff is required');
  });
});
