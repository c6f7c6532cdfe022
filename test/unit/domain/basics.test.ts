import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  allocateTax,
  assertMinorUnits,
  currencyExponent,
  detailNet,
  DomainError,
  EMPTY_SUMMARY,
  formatInvoiceNumber,
  fromMajor,
  groupTax,
  InvalidTransition,
  isIsoDate,
  isoWeekday,
  isSupportedCurrency,
  issueYear,
  linesFromSummary,
  mergeSummaries,
  negateDecimal,
  numberSeriesKey,
  roundHalfAwayFromZero,
  runKey,
  taxGroupKey,
  todayInZone,
  toMajor,
  totalsFromSummary,
  validateTaxRate,
  ValidationFailed,
  addMinor,
  compareDates,
  type DetailSummary,
} from '../../../functions/domain/index.ts';

describe('dates', () => {
  it('validates calendar dates and does day arithmetic without time zones', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-00-10')).toBe(false);
    expect(isIsoDate(20270101)).toBe(false);
    expect(addDays('2027-03-27', 2)).toBe('2027-03-29'); // across the EU DST switch
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(isoWeekday('2027-01-04')).toBe(1);
    expect(isoWeekday('2027-01-10')).toBe(7);
    expect(isoWeekday('1969-12-31')).toBe(3);
    expect(['2027-02-01', '2026-12-31', '2027-02-01'].sort(compareDates)).toEqual([
      '2026-12-31',
      '2027-02-01',
      '2027-02-01',
    ]);
    expect(compareDates('2027-01-02', '2027-01-01')).toBe(1);
  });

  it('todayInZone gives the firm calendar date', () => {
    const instant = new Date('2026-12-31T23:30:00Z');
    expect(todayInZone(instant, 'Europe/Amsterdam')).toBe('2027-01-01');
    expect(todayInZone(instant, 'America/New_York')).toBe('2026-12-31');
    expect(todayInZone(new Date('2027-03-28T04:00:00Z'), 'Europe/Amsterdam')).toBe('2027-03-28');
    expect(todayInZone(new Date('2027-06-30T22:00:00Z'), 'Pacific/Kiritimati')).toBe('2027-07-01');
    expect(() => todayInZone(instant, 'Mars/Olympus')).toThrowError(
      expect.objectContaining({ name: 'ValidationFailed', field: 'timeZone' }) as Error,
    );
  });
});

describe('money', () => {
  it('knows ISO 4217 exponents and refuses unknown currencies', () => {
    expect([
      currencyExponent('EUR'),
      currencyExponent('USD'),
      currencyExponent('GBP'),
      currencyExponent('CHF'),
    ]).toEqual([2, 2, 2, 2]);
    expect([currencyExponent('JPY'), currencyExponent('KWD'), currencyExponent('BHD')]).toEqual([0, 3, 3]);
    expect(isSupportedCurrency('XYZ')).toBe(false);
    expect(() => currencyExponent('XYZ')).toThrowError(ValidationFailed);
    expect(() => currencyExponent('toString')).toThrowError(expect.objectContaining({ field: 'currency' }) as Error);
  });

  it('rounds half away from zero, symmetric, without -0', () => {
    expect(roundHalfAwayFromZero(new Big('2.5'))).toBe(3);
    expect(roundHalfAwayFromZero(new Big('-2.5'))).toBe(-3);
    expect(roundHalfAwayFromZero(new Big('2.4999'))).toBe(2);
    expect(Object.is(roundHalfAwayFromZero(new Big('-0.4')), 0)).toBe(true);
    expect(() => roundHalfAwayFromZero(new Big('1e20'))).toThrowError(
      expect.objectContaining({ field: 'amount' }) as Error,
    );
    expect(detailNet('0.5', '0.01', 'EUR')).toBe(1);
    expect(detailNet('-0.5', '0.01', 'EUR')).toBe(-1);
    expect(detailNet('1.0001', '9999.9999', 'KWD')).toBe(10_001_000); // 10000.99989999 KWD = 10000999.89999 fils -> 10001000
  });

  it('converts between minor and major units', () => {
    expect(toMajor(1234, 'EUR')).toBe('12.34');
    expect(toMajor(-5, 'BHD')).toBe('-0.005');
    expect(toMajor(1500, 'JPY')).toBe('1500');
    expect(fromMajor('12.34', 'EUR')).toBe(1234);
    expect(() => fromMajor('12.345', 'EUR')).toThrowError(expect.objectContaining({ field: 'amount' }) as Error);
    expect(negateDecimal('0.000')).toBe('0');
    expect(negateDecimal('-1.5')).toBe('1.5');
    expect(assertMinorUnits(5, 'x')).toBe(5);
    expect(() => assertMinorUnits(2 ** 53, 'x')).toThrowError(expect.objectContaining({ field: 'x' }) as Error);
    expect(() => addMinor(Number.MAX_SAFE_INTEGER, 1)).toThrowError(ValidationFailed);
  });
});

describe('tax', () => {
  it('validates tax rates with their category', () => {
    expect(validateTaxRate({ code: 'NL-HIGH', category: 'S', rate: '21' }, 'tax')).toEqual({
      code: 'NL-HIGH',
      category: 'S',
      rate: '21',
    });
    const fieldOf = (t: unknown): string => {
      try {
        validateTaxRate(t, 'tax');
      } catch (e) {
        return (e as ValidationFailed).field;
      }
      return 'ok';
    };
    expect(fieldOf(null)).toBe('tax');
    expect(fieldOf({ code: '', category: 'S', rate: '21' })).toBe('tax.code');
    expect(fieldOf({ code: 'c', category: 'Q', rate: '21' })).toBe('tax.category');
    expect(fieldOf({ code: 'c', category: 'S', rate: '101' })).toBe('tax.rate');
    expect(fieldOf({ code: 'c', category: 'S', rate: '0' })).toBe('tax.rate');
    expect(fieldOf({ code: 'c', category: 'E', rate: '5' })).toBe('tax.rate');
    expect(fieldOf({ code: 'c', category: 'AE', rate: '0' })).toBe('ok');
    expect(taxGroupKey({ category: 'S', rate: '21.00' })).toBe('S|21');
  });

  it('rounds group tax once and allocates by largest remainder', () => {
    expect(groupTax(15, '21')).toBe(3);
    expect(groupTax(-15, '21')).toBe(-3);
    expect(groupTax(50, '21')).toBe(11); // 10.5 -> 11
    expect(allocateTax([5, 5, 5], '21')).toEqual([1, 1, 1]);
    expect(allocateTax([7, 7, 7], '21')).toEqual([2, 1, 1]); // 1.47 each, total round(4.41) = 4
    expect(allocateTax([100, -100], '21')).toEqual([21, -21]);
    expect(allocateTax([], '21')).toEqual([]);
  });
});

describe('summaries and numbering', () => {
  it('merges summaries and derives totals', () => {
    const a: DetailSummary = {
      net: 100,
      waived: 0,
      count: 1,
      groups: { 'S|21': { category: 'S', rate: '21', net: 100, count: 1 } },
      lines: { 'CL1#time': { contractLineId: 'CL1', type: 'time', net: 100, waived: 0, count: 1 } },
    };
    const b: DetailSummary = {
      net: 50,
      waived: 7,
      count: 2,
      groups: {
        'S|21': { category: 'S', rate: '21', net: 40, count: 1 },
        'Z|0': { category: 'Z', rate: '0', net: 10, count: 1 },
      },
      lines: {
        'CL1#time': { contractLineId: 'CL1', type: 'time', net: 50, waived: 7, count: 2 },
        'CL0#fee': { contractLineId: 'CL0', type: 'fee', net: 0, waived: 0, count: 0 },
      },
    };
    const merged = mergeSummaries(mergeSummaries(EMPTY_SUMMARY, a), b);
    expect(merged.groups['S|21']).toEqual({ category: 'S', rate: '21', net: 140, count: 2 });
    expect(totalsFromSummary(merged)).toMatchObject({ net: 150, tax: 29, total: 179, balance: 179, waived: 7 });
    expect(linesFromSummary(merged, ['CL1']).map((l) => l.key)).toEqual(['CL1#time', 'CL0#fee']);
    expect(linesFromSummary(merged).map((l) => l.key)).toEqual(['CL0#fee', 'CL1#time']);
  });

  it('formats numbers and series keys', () => {
    expect(formatInvoiceNumber('invoice', 2027, 1)).toBe('INV-2027-000001');
    expect(formatInvoiceNumber('credit_note', 2027, 1)).toBe('CN-2027-000001');
    expect(formatInvoiceNumber('invoice', 2028, 999_999)).toBe('INV-2028-999999');
    expect(() => formatInvoiceNumber('invoice', 2027, 0)).toThrowError(
      expect.objectContaining({ field: 'sequence' }) as Error,
    );
    expect(() => formatInvoiceNumber('invoice', 2027, 1_000_000)).toThrowError(
      expect.objectContaining({ field: 'sequence' }) as Error,
    );
    expect(() => formatInvoiceNumber('invoice', 27, 1)).toThrowError(
      expect.objectContaining({ field: 'year' }) as Error,
    );
    expect(() => formatInvoiceNumber('quote' as 'invoice', 2027, 1)).toThrowError(
      expect.objectContaining({ field: 'kind' }) as Error,
    );
    expect(numberSeriesKey('firm-1', 'invoice', 2027)).toBe('firm-1#INV#2027');
    expect(numberSeriesKey('firm-1', 'credit_note', 2027)).toBe('firm-1#CN#2027');
    expect(() => numberSeriesKey('a#b', 'invoice', 2027)).toThrowError(
      expect.objectContaining({ field: 'firmId' }) as Error,
    );
    expect(() => numberSeriesKey('a', 'x' as 'invoice', 2027)).toThrowError(
      expect.objectContaining({ field: 'kind' }) as Error,
    );
    expect(issueYear('2027-12-31')).toBe(2027);
    expect(runKey('P1', '2027-02-01')).toBe('P1#2027-02-01');
  });

  it('errors carry stable names', () => {
    const e = new InvalidTransition('issued', 'edit');
    expect(e).toBeInstanceOf(DomainError);
    expect(e.name).toBe('InvalidTransition');
    expect(e.message).toBe('cannot edit an invoice that is issued');
  });
});
