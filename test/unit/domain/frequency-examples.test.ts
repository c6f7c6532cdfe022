import { describe, expect, it } from 'vitest';
import {
  closingRunDate,
  cutOffFor,
  dueRunDates,
  isRunDate,
  nextRunDates,
  runDates,
  validateFrequency,
  type InvoiceFrequency,
} from '../../../functions/domain/index.ts';

const monthly = (
  rules: InvoiceFrequency['rules'],
  billingStart = '2020-01-01',
  mode: 'dayOfPeriod' | 'weekdayOfPeriod' = 'dayOfPeriod',
): InvoiceFrequency => ({
  period: 'monthly',
  runsPerPeriod: rules.length,
  runDayMode: mode,
  rules,
  billingStart,
});

describe('worked examples of rules section 1', () => {
  it('weekly Monday from Wednesday 2026-12-30', () => {
    const f: InvoiceFrequency = {
      period: 'weekly',
      runsPerPeriod: 1,
      runDayMode: 'weekdayOfPeriod',
      rules: [{ weekday: 'monday' }],
      billingStart: '2026-12-30',
    };
    const dates = runDates(f, '2026-12-01', '2027-01-20');
    expect(dates).toEqual(['2027-01-04', '2027-01-11', '2027-01-18']);
    expect(dates.map(cutOffFor)).toEqual(['2027-01-03', '2027-01-10', '2027-01-17']);
  });

  it('biweekly day 14 from 2027-01-07', () => {
    const f: InvoiceFrequency = {
      period: 'biweekly',
      runsPerPeriod: 1,
      runDayMode: 'dayOfPeriod',
      rules: [{ day: 14 }],
      billingStart: '2027-01-07',
    };
    const dates = runDates(f, '2027-01-01', '2027-02-20');
    expect(dates).toEqual(['2027-01-20', '2027-02-03', '2027-02-17']);
    expect(dates.map(cutOffFor)).toEqual(['2027-01-19', '2027-02-02', '2027-02-16']);
  });

  it('biweekly first and second Monday from 2027-01-07', () => {
    const base = {
      period: 'biweekly',
      runsPerPeriod: 1,
      runDayMode: 'weekdayOfPeriod',
      billingStart: '2027-01-07',
    } as const;
    expect(
      runDates({ ...base, rules: [{ weekday: 'monday', occurrence: 'first' }] }, '2027-01-01', '2027-02-14'),
    ).toEqual(['2027-01-11', '2027-01-25', '2027-02-08']);
    expect(
      runDates({ ...base, rules: [{ weekday: 'monday', occurrence: 'second' }] }, '2027-01-01', '2027-02-15'),
    ).toEqual(['2027-01-18', '2027-02-01', '2027-02-15']);
  });

  it('monthly 15 + last from 2027-01-01, including leap 2028', () => {
    const f = monthly([{ day: 15 }, { day: 'last' }], '2027-01-01');
    expect(runDates(f, '2026-06-01', '2027-03-31')).toEqual([
      '2027-01-15',
      '2027-01-31',
      '2027-02-15',
      '2027-02-28',
      '2027-03-15',
      '2027-03-31',
    ]);
    expect(runDates(f, '2028-02-01', '2028-02-29')).toEqual(['2028-02-15', '2028-02-29']);
  });

  it('monthly day 31 does not drift', () => {
    const f = monthly([{ day: 31 }], '2027-01-01');
    expect(runDates(f, '2027-01-01', '2027-05-01')).toEqual(['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30']);
  });

  it('monthly day 29', () => {
    const f = monthly([{ day: 29 }]);
    expect(runDates(f, '2027-02-01', '2027-03-31')).toEqual(['2027-02-28', '2027-03-29']);
    expect(cutOffFor('2027-02-28')).toBe('2027-02-27');
    expect(runDates(f, '2028-02-01', '2028-02-29')).toEqual(['2028-02-29']);
    expect(cutOffFor('2028-02-29')).toBe('2028-02-28');
  });

  it('monthly day 1 cut-offs', () => {
    const f = monthly([{ day: 1 }]);
    expect(isRunDate(f, '2028-03-01')).toBe(true);
    expect(cutOffFor('2028-03-01')).toBe('2028-02-29');
    expect(isRunDate(f, '2027-03-01')).toBe(true);
    expect(cutOffFor('2027-03-01')).toBe('2027-02-28');
  });

  it('monthly fourth vs last Friday', () => {
    const fourth = monthly([{ weekday: 'friday', occurrence: 'fourth' }], '2020-01-01', 'weekdayOfPeriod');
    const last = monthly([{ weekday: 'friday', occurrence: 'last' }], '2020-01-01', 'weekdayOfPeriod');
    expect(runDates(fourth, '2027-07-01', '2027-07-31')).toEqual(['2027-07-23']);
    expect(runDates(last, '2027-07-01', '2027-07-31')).toEqual(['2027-07-30']);
    expect(runDates(fourth, '2027-02-01', '2027-02-28')).toEqual(['2027-02-26']);
    expect(runDates(last, '2027-02-01', '2027-02-28')).toEqual(['2027-02-26']);
    const both = monthly(
      [
        { weekday: 'friday', occurrence: 'fourth' },
        { weekday: 'friday', occurrence: 'last' },
      ],
      '2020-01-01',
      'weekdayOfPeriod',
    );
    expect(runDates(both, '2027-02-01', '2027-02-28')).toEqual(['2027-02-26']);
  });
});

describe('other frequency behaviour', () => {
  it('30 and last in February give one run', () => {
    expect(runDates(monthly([{ day: 30 }, { day: 'last' }]), '2027-02-01', '2027-02-28')).toEqual(['2027-02-28']);
  });

  it('billing end keeps D <= E plus one closing run', () => {
    const f = { ...monthly([{ day: 15 }], '2027-01-01'), billingEnd: '2027-03-20' };
    expect(closingRunDate(f)).toBe('2027-04-15');
    expect(runDates(f, '2027-01-01', '2027-12-31')).toEqual(['2027-01-15', '2027-02-15', '2027-03-15', '2027-04-15']);
    expect(nextRunDates(f, '2027-01-01', 10)).toEqual(['2027-01-15', '2027-02-15', '2027-03-15', '2027-04-15']);
    expect(closingRunDate(monthly([{ day: 1 }]))).toBeNull();
  });

  it('first..third weekday occurrences of a month', () => {
    const f = monthly(
      [
        { weekday: 'monday', occurrence: 'first' },
        { weekday: 'monday', occurrence: 'second' },
        { weekday: 'monday', occurrence: 'third' },
      ],
      '2020-01-01',
      'weekdayOfPeriod',
    );
    expect(runDates(f, '2027-03-01', '2027-03-31')).toEqual(['2027-03-01', '2027-03-08', '2027-03-15']);
  });

  it('catch-up lists every due, not-yet-run date in order', () => {
    const f = monthly([{ day: 1 }, { day: 15 }], '2027-01-01');
    expect(dueRunDates(f, '2027-01-15', '2027-03-02')).toEqual(['2027-02-01', '2027-02-15', '2027-03-01']);
    expect(dueRunDates(f, null, '2027-01-20')).toEqual(['2027-01-01', '2027-01-15']);
    expect(dueRunDates(f, '2027-03-01', '2027-03-01')).toEqual([]);
    expect(nextRunDates(f, '2027-12-20', 3)).toEqual(['2028-01-01', '2028-01-15', '2028-02-01']);
  });

  it.each([
    [{ period: 'yearly' }, 'period'],
    [{ period: 'weekly', runsPerPeriod: 2 }, 'runsPerPeriod'],
    [{ period: 'monthly', runsPerPeriod: 5 }, 'runsPerPeriod'],
    [{ period: 'monthly', runsPerPeriod: 1, runDayMode: 'x' }, 'runDayMode'],
    [{ period: 'weekly', runsPerPeriod: 1, runDayMode: 'dayOfPeriod' }, 'runDayMode'],
    [{ period: 'monthly', runsPerPeriod: 1, runDayMode: 'dayOfPeriod', rules: 'x' }, 'rules'],
    [{ period: 'monthly', runsPerPeriod: 2, runDayMode: 'dayOfPeriod', rules: [{ day: 1 }] }, 'runsPerPeriod'],
    [{ period: 'monthly', runsPerPeriod: 2, runDayMode: 'dayOfPeriod', rules: [{ day: 1 }, { day: 1 }] }, 'rules'],
    [{ period: 'monthly', runsPerPeriod: 1, runDayMode: 'dayOfPeriod', rules: [null] }, 'rules[0]'],
    [{ period: 'monthly', runsPerPeriod: 1, runDayMode: 'dayOfPeriod', rules: [{ day: 32 }] }, 'rules[0].day'],
    [{ period: 'biweekly', runsPerPeriod: 1, runDayMode: 'dayOfPeriod', rules: [{ day: 15 }] }, 'rules[0].day'],
    [{ period: 'biweekly', runsPerPeriod: 1, runDayMode: 'dayOfPeriod', rules: [{ day: 'last' }] }, 'rules[0].day'],
    [
      {
        period: 'monthly',
        runsPerPeriod: 1,
        runDayMode: 'weekdayOfPeriod',
        rules: [{ weekday: 'moonday', occurrence: 'first' }],
      },
      'rules[0].weekday',
    ],
    [
      {
        period: 'biweekly',
        runsPerPeriod: 1,
        runDayMode: 'weekdayOfPeriod',
        rules: [{ weekday: 'monday', occurrence: 'third' }],
      },
      'rules[0].occurrence',
    ],
    [
      {
        period: 'weekly',
        runsPerPeriod: 1,
        runDayMode: 'weekdayOfPeriod',
        rules: [{ weekday: 'monday', occurrence: 'first' }],
      },
      'rules[0].occurrence',
    ],
    [
      { period: 'monthly', runsPerPeriod: 1, runDayMode: 'weekdayOfPeriod', rules: [{ weekday: 'monday' }] },
      'rules[0].occurrence',
    ],
    [
      {
        period: 'monthly',
        runsPerPeriod: 1,
        runDayMode: 'dayOfPeriod',
        rules: [{ day: 1 }],
        billingStart: '2027-02-30',
      },
      'billingStart',
    ],
    [
      {
        period: 'monthly',
        runsPerPeriod: 1,
        runDayMode: 'dayOfPeriod',
        rules: [{ day: 1 }],
        billingStart: '2027-02-01',
        billingEnd: '2027-13-01',
      },
      'billingEnd',
    ],
    [
      {
        period: 'monthly',
        runsPerPeriod: 1,
        runDayMode: 'dayOfPeriod',
        rules: [{ day: 1 }],
        billingStart: '2027-02-01',
        billingEnd: '2027-01-01',
      },
      'billingEnd',
    ],
  ])('validation names the field: %j -> %s', (input, field) => {
    expect(() => validateFrequency(input)).toThrowError(
      expect.objectContaining({ name: 'ValidationFailed', field }) as Error,
    );
  });

  it('rejects a non-object frequency and bad range dates', () => {
    expect(() => validateFrequency(null)).toThrowError(/frequency/);
    expect(() => runDates(monthly([{ day: 1 }]), '2027-1-1', '2027-02-01')).toThrowError(/from/);
    expect(() => cutOffFor('nope')).toThrowError(/runDate/);
  });
});
