import { describe, expect, it } from 'vitest';
import { ImportRefused, NotFound } from '../../../functions/shared/errors.ts';
import { notFound, problemOf } from '../../../functions/shared/http/problems.ts';
import { problemResponse } from '../../../functions/shared/problem.ts';

/**
 * The use cases of sending and setup throw plain errors now; the answers they give stay the ones they gave when they
 * built HTTP problems themselves, to the byte (status, headers, member order of the body).
 */
describe('ImportRefused and NotFound answer as the HTTP problems they replace', () => {
  it('ImportRefused is 422 import-refused naming the file, with every row problem as a member', () => {
    const problems = [
      { row: 3, field: 'quantity', message: 'not a number' },
      { row: 4, field: 'date', message: 'not a date' },
    ];
    const detail = '2 problem(s); nothing was imported. Row 3, quantity: not a number';
    expect(problemOf(new ImportRefused('csv', detail, problems))).toStrictEqual(
      problemResponse({
        type: 'https://factuur.dev/problems/import-refused',
        title: 'Unprocessable Content',
        status: 422,
        field: 'csv',
        detail,
        problems,
      }),
    );
    expect(JSON.parse(String(problemOf(new ImportRefused('csv', detail, problems)).body))).toEqual({
      type: 'https://factuur.dev/problems/import-refused',
      title: 'Unprocessable Content',
      status: 422,
      field: 'csv',
      detail,
      problems,
    });
  });

  it('NotFound is the same 404 as the notFound problem', () => {
    expect(problemOf(new NotFound('invoice I9'))).toStrictEqual(problemResponse(notFound('invoice I9').problem));
    expect(problemOf(new NotFound('project P1'))).toStrictEqual(problemResponse(notFound('project P1').problem));
  });
});
