import { describe, expect, it } from 'vitest';
import { componentSchemas, operations } from '../../../functions/api/openapi.ts';
import type { Contract } from '../../../functions/api/openapi/schema.ts';
import { routes } from '../../../infra/definitions/routes.ts';

process.env.TABLE_NAME = 'factuur-test';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

/** The handler modules behind the HTTP pipeline (health and the document itself answer without it). */
const pipelineModules = [...new Set(routes.map((route) => route.handler))].filter(
  (handler) => handler !== 'api/health' && handler !== 'api/openapi',
);

function refsOf(schema: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(schema)) for (const part of schema) refsOf(part, found);
  else if (schema && typeof schema === 'object')
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') found.add(value.replace('#/components/schemas/', ''));
      else refsOf(value, found);
    }
  return found;
}

/** Every component schema a request of the operation refers to, through its parameters and body, transitively. */
function requestSchemaNames(routeKey: string): string[] {
  const operation = operations[routeKey]!;
  const names = refsOf(operation.parameters ?? [], new Set(operation.body ? [operation.body] : []));
  for (const name of names) refsOf(componentSchemas[name], names); // a Set iterates what is added while it runs
  return [...names];
}

/** What the contract lacks for the routes of a module: an operation, or a schema one of its requests refers to. */
function gapsOf(contract: Contract, handler: string): string[] {
  const gaps: string[] = [];
  for (const route of routes.filter((candidate) => candidate.handler === handler)) {
    const routeKey = `${route.method} ${route.path}`;
    // the same objects as the document's: a part of the one contract, never a second copy of it
    if (contract.operations[routeKey] !== operations[routeKey]) gaps.push(`operation ${routeKey}`);
    for (const name of requestSchemaNames(routeKey))
      if (contract.schemas[name] !== componentSchemas[name]) gaps.push(`${routeKey}: schema ${name}`);
  }
  return gaps;
}

describe("each handler module's contract (the part of the OpenAPI document its requests are validated by)", () => {
  it.each(pipelineModules)(
    '%s: has the operation of every route it serves and every schema its requests use',
    async (handler) => {
      const moduleUrl = new URL(`../../../functions/handlers/${handler}.ts`, import.meta.url).href;
      const { contract } = (await import(/* @vite-ignore */ moduleUrl)) as { contract: Contract };
      expect(gapsOf(contract, handler)).toEqual([]);
    },
  );

  it('names what a contract leaves out, down to a schema a body refers to through another', async () => {
    const { contract } = (await import('../../../functions/handlers/api/transactions.ts')) as { contract: Contract };
    const { TaxRate: _taxRate, ...withoutTaxRate } = contract.schemas;
    expect(gapsOf({ ...contract, schemas: withoutTaxRate }, 'api/transactions')).toEqual([
      'POST /transactions: schema TaxRate',
      'PUT /transactions/{transactionId}: schema TaxRate',
    ]);
    const { 'GET /transactions': _list, ...withoutList } = contract.operations;
    expect(gapsOf({ ...contract, operations: withoutList }, 'api/transactions')).toEqual([
      'operation GET /transactions',
    ]);
  });
});
