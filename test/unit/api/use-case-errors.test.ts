import { describe, expect, it } from 'vitest';
import { ItemConflict } from '../../../functions/invoices/ports.ts';
import { Conflict, InvalidRequest, NotFound } from '../../../functions/shared/errors.ts';
import { problemOf } from '../../../functions/shared/http/problems.ts';

/** Use cases throw plain errors; the edge alone turns them into problem+json. */
const problem = (error: Error) => {
  const response = problemOf(error);
  return { status: response.statusCode, body: JSON.parse(String(response.body)) as Record<string, unknown> };
};

describe('use-case errors become problems at the edge', () => {
  it('NotFound is 404, Conflict 409 with its extras, ItemConflict a Conflict, InvalidRequest 400 naming the field', () => {
    expect(problem(new NotFound('invoice I9'))).toEqual({
      status: 404,
      body: expect.objectContaining({ status: 404, detail: 'invoice I9 does not exist' }),
    });
    expect(problem(new Conflict('changed since the preview', { missing: ['t1'] }))).toEqual({
      status: 409,
      body: expect.objectContaining({ detail: 'changed since the preview', missing: ['t1'] }),
    });
    expect(problem(new ItemConflict('taken')).status).toBe(409);
    expect(problem(new InvalidRequest('token', 'not a token of ours'))).toEqual({
      status: 400,
      body: expect.objectContaining({ status: 400, field: 'token', detail: 'not a token of ours' }),
    });
  });
});
