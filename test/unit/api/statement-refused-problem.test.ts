import { describe, expect, it } from 'vitest';
import { StatementRefused } from '../../../functions/payments/camt053.ts';
import { HttpProblem, problemOf, problemType } from '../../../functions/shared/http/problems.ts';

/**
 * A refused bank statement answers as the problem the bank-statements handler built itself before the mapping moved
 * to problems.ts, to the byte (status, headers, member order): 413 too-large, 400 and 422 invalid-statement, field body.
 */
const before = (error: StatementRefused, status: 400 | 413 | 422) =>
  problemOf(
    new HttpProblem({
      type: problemType(status === 413 ? 'too-large' : 'invalid-statement'),
      title: status === 413 ? 'Content Too Large' : status === 400 ? 'Bad Request' : 'Unprocessable Content',
      status,
      field: 'body',
      detail: error.message,
    }),
  );

describe('StatementRefused answers as the HTTP problem it replaces', () => {
  it.each([
    ['too-large', 413, 'Content Too Large', 'too-large'],
    ['not-well-formed', 400, 'Bad Request', 'invalid-statement'],
    ['not-understood', 422, 'Unprocessable Content', 'invalid-statement'],
  ] as const)('%s: %i', (reason, status, title, type) => {
    const error = new StatementRefused(reason, 'the body is empty');
    const answer = problemOf(error);
    expect(answer).toStrictEqual(before(error, status));
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
