import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  defaultReminderPlan,
  dutchCommercialInterestRates,
  lateInterest,
  lateInterestApplies,
  reminderDue,
  validateReminderPlan,
  ValidationFailed,
  type ReminderPlan,
} from '../../../functions/domain/index.ts';

const open = (dueDate: string, balance = 100_00) => ({
  kind: 'invoice' as const,
  status: 'issued' as const,
  dueDate,
  totals: { net: 0, waived: 0, tax: 0, total: balance, paid: 0, credited: 0, balance, taxes: [] },
});

/** What a daily run over the dates sends to one invoice, feeding each sent level back as the last one. */
function simulate(
  plan: ReminderPlan,
  invoice: ReturnType<typeof open>,
  from: string,
  days: number,
  skip = new Set<string>(),
) {
  const sent: { date: string; level: number }[] = [];
  let last = 0;
  for (let n = 0; n < days; n++) {
    const date = addDays(from, n);
    if (skip.has(date)) continue;
    const decision = reminderDue(plan, invoice, last, date);
    if (decision.send) {
      sent.push({ date, level: decision.level.level });
      last = decision.level.level;
    }
  }
  return sent;
}

describe('reminder levels over a simulated month of dates', () => {
  it('sends +7, +21 and the final notice at +35, each once, on exactly those days', () => {
    const sent = simulate(defaultReminderPlan, open('2026-03-02'), '2026-03-01', 60);
    expect(sent).toEqual([
      { date: '2026-03-09', level: 1 },
      { date: '2026-03-23', level: 2 },
      { date: '2026-04-06', level: 3 },
    ]);
  });

  it('a missed week sends only the highest level due, never a lower one afterwards', () => {
    const missed = new Set(Array.from({ length: 20 }, (_, n) => addDays('2026-03-08', n)));
    const sent = simulate(defaultReminderPlan, open('2026-03-02'), '2026-03-01', 60, missed);
    expect(sent).toEqual([
      { date: '2026-03-28', level: 2 },
      { date: '2026-04-06', level: 3 },
    ]);
  });

  it('paid, fully credited, paused, credit notes and drafts get none', () => {
    const base = open('2026-03-02');
    const date = '2026-03-20';
    expect(reminderDue(defaultReminderPlan, { ...base, status: 'paid' as never }, 0, date)).toMatchObject({
      send: false,
      reason: 'not_open',
    });
    expect(reminderDue(defaultReminderPlan, { ...base, status: 'cancelled' as never }, 0, date).send).toBe(false);
    expect(reminderDue(defaultReminderPlan, open('2026-03-02', 0), 0, date).send).toBe(false);
    expect(reminderDue(defaultReminderPlan, { ...base, kind: 'credit_note' as never }, 0, date).send).toBe(false);
    expect(reminderDue(defaultReminderPlan, { ...base, status: 'draft' as never }, 0, date).send).toBe(false);
    expect(reminderDue(defaultReminderPlan, { ...base, remindersPaused: { reason: 'dispute' } }, 0, date)).toEqual({
      send: false,
      reason: 'paused',
    });
    expect(reminderDue(defaultReminderPlan, { ...base, status: 'partially_paid' as never }, 0, date).send).toBe(true);
  });

  it('property: every daily calendar sends each level at most once, in increasing order, never before its day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 90 }),
        (offset, runs) => {
          const dueDate = addDays('2024-01-01', offset);
          const skip = new Set(runs.flatMap((ran, n) => (ran ? [] : [addDays(dueDate, n)])));
          const sent = simulate(defaultReminderPlan, open(dueDate), dueDate, runs.length, skip);
          const levels = sent.map((s) => s.level);
          expect(new Set(levels).size).toBe(levels.length);
          expect([...levels].sort()).toEqual(levels);
          for (const s of sent) {
            const level = defaultReminderPlan.levels[s.level - 1];
            expect(s.date >= addDays(dueDate, level?.daysAfterDue ?? 0)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('the firm reminder plan is validated', () => {
  const plan = JSON.parse(JSON.stringify(defaultReminderPlan));
  it('accepts the default plan', () => {
    expect(validateReminderPlan(plan)).toEqual(defaultReminderPlan);
  });
  it.each([
    [{ ...plan, lateInterest: 'yes' }, 'reminderPlan.lateInterest'],
    [{ ...plan, levels: [] }, 'reminderPlan.levels'],
    [{ ...plan, levels: [plan.levels[1], plan.levels[0]] }, 'reminderPlan.levels[0].level'],
    [
      { ...plan, levels: [plan.levels[0], { ...plan.levels[1], daysAfterDue: 7 }] },
      'reminderPlan.levels[1].daysAfterDue',
    ],
    [{ ...plan, levels: [{ ...plan.levels[0], daysAfterDue: 0 }] }, 'reminderPlan.levels[0].daysAfterDue'],
    [
      { ...plan, levels: [{ ...plan.levels[0], texts: { nl: plan.levels[0].texts.nl } }] },
      'reminderPlan.levels[0].texts.en',
    ],
    [
      {
        ...plan,
        levels: [{ ...plan.levels[0], texts: { ...plan.levels[0].texts, en: { subject: 'Hi {name}', text: 'x' } } }],
      },
      'reminderPlan.levels[0].texts.en.subject',
    ],
  ])('refuses %#, naming the field', (bad, field) => {
    try {
      validateReminderPlan(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).field).toBe(field);
    }
  });
});

describe('statutory commercial interest', () => {
  it('is simple interest per day at the half year rate, rounded once half away from zero', () => {
    // EUR 1,000.00 for 30 days in the first half of 2025 at 11.15%: 100000 x 30 x 1115 / 3,650,000 = 916.43... cents.
    const interest = lateInterest(100_000, '2025-01-31', '2025-03-02');
    expect(interest.days).toBe(30);
    expect(interest.periods).toEqual([{ from: '2025-02-01', to: '2025-03-02', days: 30, basisPoints: 1115 }]);
    expect(interest.interest).toBe(916);
    expect(interest.compensation).toBe(4000);
  });

  it('splits at 1 July and 1 January, each part at its own rate', () => {
    const interest = lateInterest(1_000_000, '2024-06-20', '2024-07-10');
    expect(interest.periods).toEqual([
      { from: '2024-06-21', to: '2024-06-30', days: 10, basisPoints: 1250 },
      { from: '2024-07-01', to: '2024-07-10', days: 10, basisPoints: 1225 },
    ]);
    // 1,000,000 x (10 x 1250 + 10 x 1225) / 3,650,000 = 6780.82 -> 6781
    expect(interest.interest).toBe(6781);
  });

  it('has the published rates per half year from 2023', () => {
    expect(dutchCommercialInterestRates.map((rate) => [rate.from, rate.basisPoints])).toEqual(
      expect.arrayContaining([
        ['2023-07-01', 1200],
        ['2024-01-01', 1250],
        ['2024-07-01', 1225],
        ['2025-01-01', 1115],
      ]),
    );
  });

  it('property: additive over split periods up to one rounding, monotone in days and amount, never negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_00 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        (amount, offset, a, b) => {
          const due = addDays('2023-01-01', offset);
          const whole = lateInterest(amount, due, addDays(due, a + b));
          const first = lateInterest(amount, due, addDays(due, a));
          const second = lateInterest(amount, addDays(due, a), addDays(due, a + b));
          expect(whole.days).toBe(a + b);
          expect(Math.abs(whole.interest - first.interest - second.interest)).toBeLessThanOrEqual(1);
          expect(whole.interest).toBeGreaterThanOrEqual(first.interest);
          expect(whole.interest).toBeGreaterThanOrEqual(0);
          expect(Number.isSafeInteger(whole.interest)).toBe(true);
          const exact = whole.periods.reduce((sum, p) => sum + p.days * p.basisPoints, 0) * amount;
          // Exact to the cent: |interest x 3,650,000 - exact| <= half of 3,650,000.
          expect(Math.abs(whole.interest * 3_650_000 - exact)).toBeLessThanOrEqual(1_825_000);
        },
      ),
    );
  });

  it('applies to businesses (a VAT number) in EUR when the firm switched it on', () => {
    expect(lateInterestApplies(true, { taxId: 'NL001234567B01' }, 'EUR')).toBe(true);
    expect(lateInterestApplies(false, { taxId: 'NL001234567B01' }, 'EUR')).toBe(false);
    expect(lateInterestApplies(true, { taxId: null }, 'EUR')).toBe(false);
    expect(lateInterestApplies(true, { taxId: 'NL001234567B01' }, 'USD')).toBe(false);
  });
});
