import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { Contract, Operation } from '../../api/openapi/schema.ts';
import { badRequest } from './problems.ts';

/**
 * Validation against the OpenAPI document (functions/api/openapi.ts), by the part of it a handler module serves
 * (its Contract: its operations and the component schemas they refer to). Two passes: first a linear walk of the
 * body along its schema that checks the cheap bounds (maxItems, maxLength, maxProperties) and text hygiene before
 * anything else, so that no body can make an expensive keyword (uniqueItems is pairwise) run on a huge array; then
 * the JSON Schema validator.
 *
 * @cfworker/json-schema (JSON Schema 2020-12, formats included) interprets the schemas: no code generation at start
 * and about 22 KB in the bundle, where Ajv with its formats took 140 KB and compiled each operation on first use.
 */
const documentId = 'https://factuur.dev/openapi.json';

type SchemaObject = Record<string, unknown>;

export interface CompiledOperation {
  readonly operation: Operation;
  readonly path: Validator;
  readonly query: Validator;
  readonly body: Validator | undefined;
  readonly bodySchema: SchemaObject | undefined;
}

function parametersSchema(operation: Operation, where: 'path' | 'query'): SchemaObject {
  const parameters = (operation.parameters ?? []).filter((parameter) => parameter.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema])),
    required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    additionalProperties: false,
  };
}

function validator(schema: SchemaObject, components: Schema): Validator {
  const withRefs = JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/', `"${documentId}#/components/`),
  ) as Schema;
  // shortCircuit: stop at the first failing keyword of a schema.
  const compiledValidator = new Validator(withRefs, '2020-12', true);
  compiledValidator.addSchema(components);
  return compiledValidator;
}

/**
 * The validators of each operation of the contract, compiled on first use and kept (they are pure functions of
 * the contract).
 */
export function operationValidators(contract: Contract): (routeKey: string) => CompiledOperation | undefined {
  const components = { $id: documentId, components: { schemas: contract.schemas } } as Schema;
  const compiled = new Map<string, CompiledOperation>();
  return (routeKey) => {
    let found = compiled.get(routeKey);
    if (found) return found;
    const operation = contract.operations[routeKey];
    if (!operation) return undefined;
    const bodySchema = operation.body ? { $ref: `#/components/schemas/${operation.body}` } : undefined;
    found = {
      operation,
      path: validator(parametersSchema(operation, 'path'), components),
      query: validator(parametersSchema(operation, 'query'), components),
      body: bodySchema ? validator(bodySchema, components) : undefined,
      bodySchema,
    };
    compiled.set(routeKey, found);
    return found;
  };
}

/**
 * The field an error is about, as a dotted path (`details[0].amount`): the instance location of the output unit,
 * plus the property a `required` error names.
 */
function fieldPath(error: OutputUnit): string[] {
  const parts = error.instanceLocation
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((part) => decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~'));
  const missing = error.keyword === 'required' ? /"(.*)"/.exec(error.error)?.[1] : undefined;
  if (missing !== undefined) parts.push(missing);
  return parts;
}

function joinField(field: string, part: string | number): string {
  return typeof part === 'number' || /^\d+$/.test(part)
    ? `${field}[${part}]`
    : field === ''
      ? part
      : `${field}.${part}`;
}

export function fieldOf(error: OutputUnit, root: string): string {
  let field = root;
  for (const part of fieldPath(error)) field = joinField(field, part);
  return field === '' ? 'body' : field;
}

/** What was wrong, in words: `String does not match format "date".`, a property not allowed, a missing one. */
function messageOf(error: OutputUnit): string {
  if (error.keyword === 'false') return 'is not an allowed property';
  if (error.keyword === 'required') return 'is required';
  return `is invalid: ${error.error.replace(/\.$/, '')}`;
}

const wrapperKeywords = new Set([
  '$ref',
  '$dynamicRef',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'allOf',
  'anyOf',
  'oneOf',
  'then',
  'else',
]);

export function check(validate: Validator, value: unknown, root: string, what: string): void {
  const { valid, errors } = validate.validate(value);
  if (valid) return;
  // The error about the deepest field, leaving out the units that only say a subschema failed; of several (the
  // branches of anyOf), the first: the schema's main choice.
  const specific = errors.filter((unit) => !wrapperKeywords.has(unit.keyword));
  const error = (specific.length > 0 ? specific : errors).reduce<OutputUnit | undefined>(
    (best, unit) => (!best || fieldPath(unit).length > fieldPath(best).length ? unit : best),
    undefined,
  );
  if (!error) throw badRequest(root || 'body', `invalid ${what}`);
  const field = fieldOf(error, root);
  throw badRequest(field, `${field} ${messageOf(error)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The first pass: bounds and text hygiene

/**
 * Characters no text field may hold: C0 controls (tab and newline only in multi-line fields), DEL and C1 controls,
 * bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), and lone surrogates.
 */
const forbiddenAnywhere =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for.
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const forbiddenOnOneLine = /[\t\n]/;

/**
 * Multi-line text is declared in the contract with `'x-multiline': true` on the string's schema (tab and newline
 * allowed, carriage return never: send `\n`); every other string, and every object key, is one line.
 */
export function textProblem(text: string, multiline: boolean): string | undefined {
  if (forbiddenAnywhere.test(text))
    return 'contains a control character, a bidirectional override or isolate, or a lone surrogate';
  if (!multiline && forbiddenOnOneLine.test(text)) return 'must be one line (no tab or newline)';
  return undefined;
}

type Components = Contract['schemas'];

function resolve(components: Components, schema: SchemaObject | undefined): SchemaObject | undefined {
  let current = schema;
  for (let depth = 0; current && typeof current.$ref === 'string' && depth < 10; depth++) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(current.$ref as string)?.[1];
    current = name ? components[name] : undefined;
  }
  return current;
}

/** The subschemas a value may be judged by (allOf and every branch of anyOf/oneOf), resolved. */
function candidates(components: Components, schema: SchemaObject | undefined): SchemaObject[] {
  const resolved = resolve(components, schema);
  if (!resolved) return [];
  const nested = ['allOf', 'anyOf', 'oneOf'].flatMap((keyword) =>
    Array.isArray(resolved[keyword])
      ? (resolved[keyword] as SchemaObject[]).flatMap((branch) => candidates(components, branch))
      : [],
  );
  return [resolved, ...nested];
}

/** Of several subschemas the loosest bound counts: the validator accepts what any branch accepts. */
function loosest(schemas: readonly SchemaObject[], keyword: string): number | undefined {
  const bounds = schemas.map((schema) => schema[keyword]).filter((bound): bound is number => typeof bound === 'number');
  return bounds.length === 0 ? undefined : Math.max(...bounds);
}

/** Bounds for what the contract leaves open (an object without maxProperties, an array without maxItems). */
export const MAX_PROPERTIES = 1000;
export const MAX_ITEMS = 10_000;

/**
 * Walks the body once along its schema: arrays over maxItems, strings over maxLength, objects over maxProperties,
 * forbidden characters in any string or key: 400 naming the field. Linear in the size of the body.
 */
export function precheck(components: Components, schema: SchemaObject | undefined, value: unknown, field = ''): void {
  const schemas = candidates(components, schema);
  const name = field === '' ? 'body' : field;
  if (typeof value === 'string') {
    const maxLength = loosest(schemas, 'maxLength');
    if (maxLength !== undefined && value.length > maxLength)
      throw badRequest(name, `${name} is longer than ${maxLength}`);
    const problem = textProblem(value, schemas.length > 0 && schemas.some((s) => s['x-multiline'] === true));
    if (problem) throw badRequest(name, `${name} ${problem}`);
    return;
  }
  if (Array.isArray(value)) {
    const maxItems = loosest(schemas, 'maxItems') ?? MAX_ITEMS;
    if (value.length > maxItems) throw badRequest(name, `${name} has more than ${maxItems} items`);
    const itemSchemas = schemas
      .map((s) => s.items)
      .filter((s): s is SchemaObject => typeof s === 'object' && s !== null);
    value.forEach((item, index) => {
      precheck(components, itemSchemas.length > 0 ? { anyOf: itemSchemas } : undefined, item, joinField(field, index));
    });
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const maxProperties = loosest(schemas, 'maxProperties') ?? MAX_PROPERTIES;
    if (entries.length > maxProperties) throw badRequest(name, `${name} has more than ${maxProperties} properties`);
    const objectSchemas = schemas.filter((s) => s.properties !== undefined || s.additionalProperties !== undefined);
    const closed = objectSchemas.length > 0 && objectSchemas.every((s) => s.additionalProperties === false);
    for (const [key, item] of entries) {
      const keyProblem = textProblem(key, false);
      if (keyProblem) throw badRequest(name, `a property name of ${name} ${keyProblem}`);
      if (closed && !objectSchemas.some((s) => Object.hasOwn((s.properties as object | undefined) ?? {}, key)))
        throw badRequest(joinField(field, key), `${joinField(field, key)} is not an allowed property`);
      const propertySchemas = schemas
        .map((s) => (s.properties as Record<string, SchemaObject> | undefined)?.[key])
        .filter((s): s is SchemaObject => s !== undefined);
      precheck(
        components,
        propertySchemas.length > 0 ? { anyOf: propertySchemas } : undefined,
        item,
        joinField(field, key),
      );
    }
  }
}
