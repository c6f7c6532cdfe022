import { routes } from '../../../infra/definitions/routes.ts';
import { type Operation, type Operations, type Param, ref, type Schemas, str } from './schema.ts';

/**
 * The OpenAPI 3.1 document from the features' operations and component schemas: what every operation has in
 * common (security from the route table, the If-Match and Idempotency-Key headers, API Gateway's own answers and
 * problem+json) is added here, once, so a feature writes only what is its own.
 */
type Route = (typeof routes)[number];

const problemResponse = {
  description: 'A problem (RFC 9457)',
  content: { 'application/problem+json': { schema: ref('Problem') } },
};

/** A JSON body of a component schema (none for null). */
const jsonContent = (name: string | null) => (name ? { content: { 'application/json': { schema: ref(name) } } } : {});
/** A document body of a media type, as text. */
const mediaContent = (media: string) => ({ content: { [media]: { schema: str({ contentMediaType: media }) } } });

/** The operation's own parameters, then If-Match (writes) and Idempotency-Key (every POST). */
function parametersOf(method: string, operation: Operation): Param[] {
  const headers: Param[] = [];
  if (operation.etag === 'write') headers.push({ name: 'If-Match', in: 'header', required: true, schema: str() });
  if (method === 'POST')
    headers.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      schema: str({ minLength: 8, maxLength: 128 }),
    });
  return [...(operation.parameters ?? []), ...headers];
}

function requestBodyOf(operation: Operation): Record<string, unknown> {
  if (operation.bodyMedia) return { requestBody: { required: true, ...mediaContent(operation.bodyMedia) } };
  if (!operation.body) return {};
  const types = operation.contentTypes ?? ['application/json'];
  const schema = ref(operation.body);
  return { requestBody: { required: true, content: Object.fromEntries(types.map((type) => [type, { schema }])) } };
}

function responsesOf(operation: Operation, route: Route | undefined): Record<string, unknown> {
  const [status, body] = operation.success;
  return {
    [String(status)]: {
      description: 'Success',
      ...(operation.etag ? { headers: { ETag: { schema: str() } } } : {}),
      ...jsonContent(body),
      ...(operation.media ? mediaContent(operation.media) : {}),
    },
    ...(route && route.access !== 'public'
      ? {
          '401': gatewayAnswer(
            "No valid ID token (API Gateway's JWT authorizer, or an access token refused by the API)",
            true,
          ),
        }
      : {}),
    '404': gatewayAnswer('No such route (API Gateway), or no such resource (problem+json)', true),
    '413': gatewayAnswer('The body is over 10 MB (API Gateway) or over 6 MB (the Lambda payload)', false),
    '429': gatewayAnswer('Throttled by API Gateway', false),
    '503': operation.archived
      ? {
          ...gatewayAnswer(
            'Issued, not archived yet: the documents are rendered and archived within seconds of the issue; ' +
              'retry after Retry-After seconds (problem+json). Or API Gateway could not reach the function in time',
            true,
          ),
          headers: { 'Retry-After': { schema: str({ pattern: '^[0-9]+$' }) } },
        }
      : gatewayAnswer('API Gateway could not reach the function in time', false),
    ...(operation.alsoSuccess
      ? { [String(operation.alsoSuccess)]: { description: 'Success (nothing changed)', ...jsonContent(body) } }
      : {}),
    '4XX': problemResponse,
    '5XX': problemResponse,
  };
}

function operationObject(routeKey: string, operation: Operation): Record<string, unknown> {
  const [method = ''] = routeKey.split(' ');
  const route = routes.find((candidate) => `${candidate.method} ${candidate.path}` === routeKey);
  return {
    operationId: routeKey.replace(/[^A-Za-z0-9]+/g, '_'),
    summary: operation.summary,
    description: operation.description ?? descriptionOf(routeKey, operation, route),
    tags: [tagOf(routeKey)],
    ...(route && route.access !== 'public'
      ? { security: [{ cognito: [] }], 'x-factuur-roles': route.access }
      : { security: [] }),
    parameters: parametersOf(method, operation),
    ...requestBodyOf(operation),
    responses: responsesOf(operation, route),
  };
}

/** The tag of an operation: its resource, the first segment of the path. */
function tagOf(routeKey: string): string {
  return (
    routeKey
      .split(' ')[1]
      ?.split('/')[1]
      ?.replace(/\.json$/, '') ?? 'api'
  );
}

function descriptionOf(routeKey: string, operation: Operation, route: Route | undefined): string {
  const [method] = routeKey.split(' ');
  const who = !route || route.access === 'public' ? 'Public.' : `Roles: ${route.access.join(', ')}.`;
  const preconditions = [
    operation.etag === 'write' ? 'Needs If-Match with the current ETag (428 without, 412 when stale).' : '',
    method === 'POST' ? 'Needs an Idempotency-Key.' : '',
    operation.body ? `Body: ${(operation.contentTypes ?? ['application/json']).join(' or ')} (415 otherwise).` : '',
  ].filter(Boolean);
  return [`${operation.summary}.`, who, ...preconditions].join(' ');
}

/**
 * API Gateway's own answers, before or instead of the function: `{"message": "..."}` as application/json
 * (401 Unauthorized, 404 Not Found, 413 Request Entity Too Large, 429 Too Many Requests, 503 Service Unavailable).
 * Where the function also answers that status (401, 404), it does so as problem+json.
 */
function gatewayAnswer(description: string, alsoProblem: boolean): Record<string, unknown> {
  return {
    description,
    // The function's problem+json first (what a client meets most), then API Gateway's own `{"message"}`.
    content: {
      ...(alsoProblem ? { 'application/problem+json': { schema: ref('Problem') } } : {}),
      'application/json': { schema: ref('GatewayMessage') },
    },
  };
}

export function buildDocument(schemas: Schemas, operations: Operations): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [routeKey, operation] of Object.entries(operations)) {
    const [method, routePath] = routeKey.split(' ') as [string, string];
    paths[routePath] ??= {};
    paths[routePath][method.toLowerCase()] = operationObject(routeKey, operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'factuur portal API',
      version: '1.0.0',
      contact: { name: 'factuur', url: 'https://factuur.dev' },
      license: { name: 'Proprietary', url: 'https://factuur.dev/license' },
      description:
        'Project invoicing. JSON in and out; errors are RFC 9457 problem+json with `field`. Invoices carry a version: reads send an ETag, writes need If-Match (428 without, 412 when stale). Every POST needs an Idempotency-Key (same key and body: the first result; other body: 422; in flight: 409).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    // Each deployment has its own API Gateway URL (the stack's output); locally npm start serves it here.
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: "The stack's HTTP API",
        variables: { apiId: { default: 'api' }, region: { default: 'eu-west-1' } },
      },
      { url: 'http://127.0.0.1:4600', description: 'npm start (FACTUUR_PORT_BASE 4600)' },
    ],
    tags: [...new Set(Object.keys(operations).map(tagOf))]
      .sort()
      .map((name) => ({ name, description: `The ${name} resource` })),
    components: {
      schemas,
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  };
}
