import { describe, expect, it } from 'vitest';
import {
  importId,
  localDate,
  localDecimal,
  parseCsv,
  readTransactionCsv,
} from '../../../functions/setup/transaction-csv.ts';

const lines = new Set(['cl-1']);
const nlHeader = 'externalId;date;type;contractLineId;description;quantity;unit;unitPrice;vatCode;vatCategory;vatRate';

describe('CSV import of transactions', () => {
  it('reads dates and decimals per locale', () => {
    expect(localDecimal('1.234,5', 'nl')).toBe('1234.5');
    expect(localDecimal('2,75', 'nl')).toBe('2.75');
    expect(localDecimal('2.75', 'nl')).toBeUndefined(); // a Dutch file with a point is not 275 nor 2.75: refused
    expect(localDecimal('1,234.50', 'en')).toBe('1234.50');
    expect(localDecimal('2,5', 'en')).toBeUndefined();
    expect(localDecimal('1.23456', 'en')).toBeUndefined(); // more than 4 decimals
    expect(localDate('3-11-2026', 'nl')).toBe('2026-11-03');
    expect(localDate('31-02-2026', 'nl')).toBeUndefined();
    expect(localDate('2026-11-03', 'en')).toBe('2026-11-03');
    expect(localDate('03/11/2026', 'en')).toBe('2026-11-03');
  });

  it('parses quoted fields with the delimiter, quotes and line breaks', () => {
    expect(parseCsv('a;"b;c";"d ""e"""\r\n"f\ng";h', ';')).toEqual([
      ['a', 'b;c', 'd "e"'],
      ['f\ng', 'h'],
    ]);
  });

  it('validates every row and reports row, field and message; no rows when any is wrong', () => {
    const csv = [
      nlHeader,
      'w-1;3-11-2026;time;cl-1;Ontwerp;2,5;uur;95,00;NL-HIGH;S;21',
      'w-2;31-11-2026;time;cl-9;"Overleg; kort";1,5;uur;95;NL-HIGH;S;21',
      'w-1;4-11-2026;travel;cl-1;Reis;abc;km;0,23;X;Q;21',
    ].join('\n');
    const { rows, problems } = readTransactionCsv('p-1', csv, 'nl', lines);
    expect(rows).toEqual([]);
    expect(problems).toEqual([
      { row: 3, field: 'date', message: 'not a date (dd-mm-jjjj)' },
      { row: 3, field: 'contractLineId', message: 'the project has no contract line cl-9' },
      { row: 4, field: 'externalId', message: 'the same as row 2' },
      { row: 4, field: 'type', message: 'must be time, expense, material or fee' },
      { row: 4, field: 'quantity', message: 'not a number (1.234,5)' },
      { row: 4, field: 'vatCategory', message: expect.stringMatching(/must be one of/) },
    ]);
  });

  it('gives each row an id from its external id, the same on every import', () => {
    const csv = `${nlHeader};approved\nw-1;3-11-2026;time;cl-1;Ontwerp;2,5;uur;1.095,00;NL-HIGH;S;21;nee\n`;
    const { rows, problems } = readTransactionCsv('p-1', csv, 'nl', lines);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      expect.objectContaining({
        id: importId('p-1', 'w-1'),
        date: '2026-11-03',
        quantity: '2.5',
        unitPrice: '1095.00',
        tax: { code: 'NL-HIGH', category: 'S', rate: '21' },
        approved: false,
      }),
    ]);
    expect(importId('p-1', 'w-1')).not.toBe(importId('p-2', 'w-1'));
  });

  it('refuses a file without the columns, naming them', () => {
    const { problems } = readTransactionCsv('p-1', 'externalId,date\nw,2026-01-01', 'en', lines);
    expect(problems.map((p) => p.field)).toContain('unitPrice');
  });
});
