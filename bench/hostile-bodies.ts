import { writeFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { openApiDocument, operations } from '../functions/api/openapi.ts';
import { routes } from '../infra/definitions/routes.ts';
import { lambdaContext, loadHandler } from '../local/lambda-runtime.ts';
import { argument } from './lib.ts';

/**
 * The slowest answer to hostile bodies at every write route: each route's handler module, in this process, gets
 * bodies built from its own schema to be expensive (100,000-item arrays, megabyte strings, 100,000 keys or
 * duplicate keys, deep nesting, invalid UTF-8, the wrong content type). Every answer must be a 4xx; the time is the
 * median of `--reps` per body, the line reports the slowest (target: under 100 ms each).
 *
 *   tsx bench/hostile-bodies.ts [--reps 3] --out result.json
 */
const reps = Number(argument('reps', '3'));
const out = argument('out', '');
process.env.TABLE_NAME ??= 'factuur-bench';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

type Schema = Record<string, unknown>;
const schemas = (openApiDocument() as { components: { schemas: Record<string, Schema> } }).components.schemas;
const resolve = (schema: Schema | undefined): Schema | undefined =>
  schema && typeof schema.$ref === 'string' ? resolve(schemas[schema.$ref.split('/').at(-1) as string]) : schema;

function hostileBodies(bodySchema: string | undefined): [string, string | Buffer, string][] {
  const json = 'application/json';
  const schema = resolve(bodySchema ? schemas[bodySchema] : undefined);
  const properties = Object.entries((schema?.properties as Record<string, Schema> | undefined) ?? {});
  const bodies: [string, string | Buffer, string][] = [];
  const numbers = `[${Array.from({ length: 100_000 }, (_, n) => n).join(',')}]`;
  for (const [name, property] of properties) {
    const resolved = resolve(property);
    if (resolved?.type === 'array') bodies.push([`${name}: 100,000 items`, `{"${name}":${numbers}}`, json]);
    if (resolved?.type === 'string' || resolved?.anyOf) {
      bodies.push([`${name}: 1 MB string`, JSON.stringify({ [name]: 'a'.repeat(1_000_000) }), json]);
      bodies.push([`${name}: 100,000 controls`, JSON.stringify({ [name]: '\u0001'.repeat(100_000) }), json]);
    }
  }
  const keys = Array.from({ length: 100_000 }, (_, n) => `"k${n}":${n}`).join(',');
  bodies.push(['100,000 keys', `{${keys}}`, json]);
  bodies.push(['100,000 duplicate keys', `{${Array.from({ length: 100_000 }, () => '"a":1').join(',')}}`, json]);
  bodies.push(['nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, json]);
  bodies.push(['5 MB invalid UTF-8', Buffer.alloc(5 * 1024 * 1024, 0xc3), json]);
  bodies.push(['1 MB as text/plain', `{"a":"${'a'.repeat(1_000_000)}"}`, 'text/plain']);
  return bodies;
}

function event(routeKey: string, body: string | Buffer, contentType: string): APIGatewayProxyEventV2 {
  const [method = 'POST', path = '/'] = routeKey.split(' ');
  const pathParameters = Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, 'x-1']));
  const binary = Buffer.isBuffer(body);
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': contentType, 'if-match': '"1"', 'idempotency-key': 'bench-hostile-0001' },
    pathParameters,
    body: binary ? body.toString('base64') : body,
    isBase64Encoded: binary,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      routeKey,
      authorizer: {
        jwt: { claims: { sub: 'bench', token_use: 'id', 'cognito:groups': '[billing admin operator]' }, scopes: [] },
      },
    },
  } as unknown as APIGatewayProxyEventV2;
}

const writeRoutes = routes.filter((route) => route.method !== 'GET');
const results: { routeKey: string; body: string; millis: number; status: number }[] = [];
for (const route of writeRoutes) {
  const routeKey = `${route.method} ${route.path}`;
  const handler = await loadHandler(route.handler);
  for (const [name, body, contentType] of hostileBodies(operations[routeKey]?.body)) {
    const times: number[] = [];
    let status = 0;
    for (let rep = 0; rep < reps; rep++) {
      const started = performance.now();
      const result = (await handler(event(routeKey, body, contentType), lambdaContext('bench'))) as
        | APIGatewayProxyStructuredResultV2
        | undefined;
      times.push(performance.now() - started);
      status = result?.statusCode ?? 0;
    }
    times.sort((a, b) => a - b);
    results.push({ routeKey, body: name, millis: times[Math.floor(times.length / 2)] as number, status });
  }
}
const slowest = results.reduce((a, b) => (b.millis > a.millis ? b : a));
const not4xx = results.filter((result) => result.status < 400 || result.status >= 500);
const summary = { routes: writeRoutes.length, bodies: results.length, slowest, not4xx, results };
if (out) writeFileSync(out, JSON.stringify(summary));
else console.log(JSON.stringify({ ...summary, results: undefined }, null, 1));
