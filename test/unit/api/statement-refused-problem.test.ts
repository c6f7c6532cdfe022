import { describe, expect, it } from 'vitest';
import { StatementRefused } from '../../../functions/payments/camt053.ts';
import { HttpProblem, problemOf, problemType } from '../../../functions/shared/http/problems.ts';

/**
 * A refused bank statement answers as the problem the bank-statements handler built itself before the mapping moved
 * to problems.ts, to the byte (status, headers, member order): 413 too-large, 400 and 422 invalid-statement, field body.
 */
const before = (error: StatementRefused) =>
  problemOf(
    new HttpProblem({
      type: problemType(error.status === 413 ? 'too-large' : 'invalid-statement'),
      title:
        error.status === 413 ? 'Content Too Large' : error.status === 400 ? 'Bad Request' : 'Unprocessable Content',
      status: error.status,
      field: 'body',
      detail: error.message,
    }),
  );

describe('StatementRefused answers as the HTTP problem it replaces', () => {
  it.each([
    [413, 'Content Too Large', 'too-large'],
    [400, 'Bad Request', 'invalid-statement'],
    [422, 'Unprocessable Content', 'invalid-statement'],
  ] as const)('%i', (status, title, type) => {
    const error = new StatementRefused(status, 'the body is empty');
    const answer = problemOf(error);
    expect(answer).toStrictEqual(before(error));
    expect(answer.statusCode).toBe(status);
    expect(String(answer.body)).toBe(
      JSON.stringify({
        type: `https://factuur.dev/problems/${type}`,
        title,
        status,
        field: 'body',
        detail: 'the body is empty',
      }),
    );
  });
});
