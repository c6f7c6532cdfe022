import { badRequest } from './problems.ts';

/**
 * Opaque cursors: base64url of the LastEvaluatedKey. A cursor that does not decode to a key of the index the route
 * reads, or that points into another partition than the one asked for (another project's, another invoice's), is
 * 400 `cursor`: DynamoDB would refuse it (500) or page through data the filter excludes.
 */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/**
 * `keyNames`: the attributes of the LastEvaluatedKey of that query (table key plus index key); `partition`: the
 * attributes whose value is fixed by the request (the index's partition key, for a query on one partition), and
 * for each the value it must have, or a test of the value's prefix.
 */
export function decodeCursor(
  cursor: string | undefined,
  keyNames: readonly string[],
  partition: Readonly<Record<string, string | ((value: string) => boolean)>> = {},
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    key = undefined;
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw notOurs();
  const entries = Object.entries(key);
  if (
    entries.length !== keyNames.length ||
    !entries.every(([name, value]) => keyNames.includes(name) && typeof value === 'string' && value.length <= 1024)
  ) {
    throw notOurs();
  }
  const values = key as Record<string, string>;
  for (const [name, expected] of Object.entries(partition)) {
    const value = values[name];
    if (value === undefined || (typeof expected === 'string' ? value !== expected : !expected(value)))
      throw notOurs('cursor belongs to another listing');
  }
  return values;
}

function notOurs(detail = 'cursor is not one this API returned') {
  return badRequest('cursor', detail);
}
