import { badRequest, HttpProblem, problemType } from './problems.ts';

/**
 * Preconditions of writes: If-Match (428 when missing, 400 when not an ETag; the use case compares it and throws
 * StaleVersion, 412) and the Idempotency-Key every POST needs (run under it by idempotency.ts).
 */
export function parseIfMatch(value: string | undefined): number {
  if (value === undefined || value.trim() === '') {
    throw new HttpProblem({
      type: problemType('precondition-required'),
      title: 'Precondition Required',
      status: 428,
      field: 'If-Match',
      detail: 'Send If-Match with the ETag of the version you read.',
    });
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!match) throw badRequest('If-Match', 'If-Match must be the ETag of a version, e.g. "3"');
  return Number(match[1]);
}

export function idempotencyKeyOf(headers: Readonly<Record<string, string>>): string {
  const key = headers['idempotency-key'];
  if (key === undefined || !/^[\x21-\x7e]{8,128}$/.test(key))
    throw badRequest('Idempotency-Key', 'every POST needs an Idempotency-Key header of 8 to 128 visible characters');
  return key;
}
