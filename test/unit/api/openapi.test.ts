import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
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
    // Every format the document names is one JSON Schema defines (ajv warns of an unknown one: none may be left).
    const warnings: unknown[] = [];
    const ajv = new Ajv2020({
      strict: false,
      logger: { log: () => {}, warn: (...w) => warnings.push(w), error: () => {} },
    });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'https://factuur.dev/openapi.json', components: document.components });
    for (const name of Object.keys(document.components.schemas)) {
      expect(() => ajv.compile({ $ref: `https://factuur.dev/openapi.json#/components/schemas/${name}` })).not.toThrow();
    }
    expect(warnings).toEqual([]);
  });

  it('names fields as dotted paths', () => {
    expect(
      fieldOf(
        {
          instanceLocation: '#/details/0/amount',
          keyword: 'type',
          keywordLocation: '',
          error: 'Instance type "number" is invalid. Expected "string".',
        },
        '',
      ),
    ).toBe('details[0].amount');
    expect(
      fieldOf(
        {
          instanceLocation: '#',
          keyword: 'required',
          keywordLocation: '',
          error: 'Instance does not have required property "cutOff".',
        },
        '',
      ),
    ).toBe('cutOff');
    expect(
      fieldOf(
        {
          instanceLocation: '#/billTo',
          keyword: 'required',
          keywordLocation: '',
          error: 'Instance does not have required property "name".',
        },
        '',
      ),
    ).toBe('billTo.name');
    expect(
      fieldOf(
        { instanceLocation: '#/a~1b', keyword: 'false', keywordLocation: '', error: 'False boolean schema.' },
        '',
      ),
    ).toBe('a/b');
    expect(
      fieldOf(
        {
          instanceLocation: '#',
          keyword: 'type',
          keywordLocation: '',
          error: 'Instance type "string" is invalid. Expected "object".',
        },
        '',
      ),
    ).toBe('body');
  });
});
