import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument, operations } from '../../../functions/api/openapi.ts';
import { routes } from '../../../infra/definitions/routes.ts';
import { fieldOf } from '../../../functions/shared/http-api.ts';

describe('the OpenAPI document', () => {
  it('has exactly one operation per route of the route table', () => {
    expect(Object.keys(operations).sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('is OpenAPI 3.1 whose schemas compile under JSON Schema 2020-12', () => {
    const document = openApiDocument() as { openapi: string; components: { schemas: Record<string, object> } };
    expect(document.openapi).toBe('3.1.0');
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'https://factuur.dev/openapi.json', components: document.components });
    for (const name of Object.keys(document.components.schemas)) {
      expect(() => ajv.compile({ $ref: `https://factuur.dev/openapi.json#/components/schemas/${name}` })).not.toThrow();
    }
  });

  it('names fields as dotted paths', () => {
    expect(fieldOf({ instancePath: '/details/0/amount', params: {}, keyword: 'type', schemaPath: '' }, '')).toBe('details[0].amount');
    expect(fieldOf({ instancePath: '', params: { missingProperty: 'cutOff' }, keyword: 'required', schemaPath: '' }, '')).toBe('cutOff');
  });
});
