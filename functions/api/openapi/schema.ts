/**
 * The building blocks of the OpenAPI document (functions/api/openapi.ts): JSON Schema 2020-12 helpers, the
 * parameters every feature shares, and the shape of an operation as the features write it.
 */
export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
export const id = str({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._~:-]*$' });
export const date = str({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' });
export const decimal = str({ pattern: '^-?\\d{1,12}(\\.\\d{1,4})?$' });
export const minor = { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 };
export const integer = { type: 'integer' };
export const boolean = { type: 'boolean' };
export const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
export const obj = (properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  required,
  ...extra,
});
/** An object that allows no other properties (every request body). */
export const closed = (properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema =>
  obj(properties, required, { additionalProperties: false, ...extra });
export const array = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
/** A page of a list: its items and the opaque cursor of the next page (null on the last). */
export const page = (item: string): Schema =>
  obj({ items: array(ref(item)), next: nullable(str()) }, ['items', 'next']);
/** A whole list (no paging). */
export const list = (item: string): Schema => obj({ items: array(ref(item)) }, ['items']);

export interface Param {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema: Schema;
}

export const path = (name: string, schema: Schema = id): Param => ({ name, in: 'path', required: true, schema });
export const query = (name: string, schema: Schema, required = false): Param => ({
  name,
  in: 'query',
  required,
  schema,
});
export const limit = query('limit', str({ pattern: '^([1-9]|[1-9]\\d|[1-4]\\d\\d|500)$' }));
export const cursor = query('cursor', str({ minLength: 1, maxLength: 2048 }));
export const invoiceId = path('invoiceId');

export interface Operation {
  readonly summary: string;
  /** Longer text; default: the summary, the roles, the preconditions. */
  readonly description?: string;
  readonly parameters?: readonly Param[];
  /** Component schema name of the body. */
  readonly body?: string;
  /** Media types the JSON body may come in (default `application/json`); any other, or none, is 415. */
  readonly contentTypes?: readonly string[];
  /** The request body is a document of this media type (read as text, ApiRequest.rawBody), not JSON; others: 415. */
  readonly bodyMedia?: string;
  /** Success status and the component schema name of its body (null: no body). */
  readonly success: readonly [number, string | null];
  /** Another success status with the same body (e.g. 200 for a document imported before, beside 201). */
  readonly alsoSuccess?: number;
  /** Sends an ETag (and, on writes, needs If-Match). */
  readonly etag?: 'read' | 'write';
  /** The success body is a document of this media type instead of JSON. */
  readonly media?: string;
  /** An archived document: 503 problem+json with Retry-After while it is not archived yet. */
  readonly archived?: true;
}

export type Operations = Record<string, Operation>;
export type Schemas = Record<string, Schema>;

/**
 * What a handler module validates its requests by: the operations of its routes and the component schemas their
 * parameters and bodies refer to, from the features it serves (not the whole document: each function builds only
 * its part when it starts; bench/README.md, import line). test/unit/api/handler-contracts.test.ts checks that every
 * route of a module has its operation there and that every `$ref` of its requests resolves.
 */
export interface Contract {
  readonly operations: Readonly<Operations>;
  readonly schemas: Readonly<Schemas>;
}

/** A read of one resource by its id, with its ETag. */
export const readOne = (summary: string, parameter: Param, body: string): Operation => ({
  summary,
  parameters: [parameter],
  success: [200, body],
  etag: 'read',
});

/** A create (POST): 201 with the resource and its ETag. */
export const create = (summary: string, body: string, result: string): Operation => ({
  summary,
  body,
  success: [201, result],
  etag: 'read',
});

/** A change of a resource under If-Match: the body, 200 with the result and its new ETag. */
export const change = (
  summary: string,
  parameters: readonly Param[],
  body: string | undefined,
  result: string | null,
  success = 200,
): Operation => ({
  summary,
  parameters,
  ...(body ? { body } : {}),
  success: [success, result],
  etag: 'write',
});

/** A paged list: `limit` and `cursor` after the operation's own parameters. */
export const paged = (summary: string, parameters: readonly Param[], result: string): Operation => ({
  summary,
  parameters: [...parameters, limit, cursor],
  success: [200, result],
});

/** The create body of a resource: its input with the client's `id` first. */
export const withId = (input: Schema): Schema => ({
  ...input,
  properties: { id, ...(input.properties as Record<string, Schema>) },
});
