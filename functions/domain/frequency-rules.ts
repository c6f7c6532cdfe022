/**
 * Invoice frequencies (rules section 1): what a frequency is and when one is valid. The run dates it makes are in
 * frequency.ts.
 */
import { assertIsoDate, type IsoDate } from './dates.ts';
import { ValidationFailed } from './errors.ts';

export type Period = 'weekly' | 'biweekly' | 'monthly';
export type RunDayMode = 'dayOfPeriod' | 'weekdayOfPeriod';
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
export type Occurrence = 'first' | 'second' | 'third' | 'fourth' | 'last';

export const WEEKDAYS: readonly Weekday[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];
export const OCCURRENCES: readonly Occurrence[] = ['first', 'second', 'third', 'fourth', 'last'];

/** dayOfPeriod rule: monthly 1..31 or 'last' (clamped to the month's last day), biweekly 1..14. */
export interface DayOfPeriodRule {
  readonly day: number | 'last';
}

/** weekdayOfPeriod rule. Weekly: no occurrence. Biweekly: first | second. Monthly: first..fourth | last. */
export interface WeekdayRule {
  readonly weekday: Weekday;
  readonly occurrence?: Occurrence;
}

export type RunRule = DayOfPeriodRule | WeekdayRule;

export interface InvoiceFrequency {
  readonly period: Period;
  /** weekly and biweekly: 1; monthly: 1..4. Equals rules.length; rules are distinct. */
  readonly runsPerPeriod: number;
  /** weekly is always weekdayOfPeriod. */
  readonly runDayMode: RunDayMode;
  readonly rules: readonly RunRule[];
  /** Billing start S: no run date before it; biweekly periods are anchored on it. */
  readonly billingStart: IsoDate;
  /** Optional billing end E: runs up to E plus one closing run (the first run after E). */
  readonly billingEnd?: IsoDate | null;
}

export function isWeekdayRule(rule: RunRule): rule is WeekdayRule {
  return 'weekday' in rule;
}

export function ruleKey(rule: RunRule): string {
  return isWeekdayRule(rule) ? `${rule.weekday}:${rule.occurrence ?? ''}` : `day:${rule.day}`;
}

/**
 * Validates a frequency (also when it comes from JSON) and returns it. Throws ValidationFailed naming the field:
 * period, runsPerPeriod, runDayMode, rules, rules[i].day, rules[i].weekday, rules[i].occurrence, billingStart, billingEnd.
 */
export function validateFrequency(input: unknown): InvoiceFrequency {
  if (typeof input !== 'object' || input === null) throw new ValidationFailed('frequency', 'must be an object');
  const f = input as Record<string, unknown>;
  const period = f.period;
  if (period !== 'weekly' && period !== 'biweekly' && period !== 'monthly') {
    throw new ValidationFailed('period', 'must be weekly, biweekly or monthly');
  }
  const runs = f.runsPerPeriod;
  const maxRuns = period === 'monthly' ? 4 : 1;
  if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < 1 || runs > maxRuns) {
    throw new ValidationFailed('runsPerPeriod', period === 'monthly' ? 'must be 1 to 4' : `must be 1 for ${period}`);
  }
  const mode = f.runDayMode;
  if (mode !== 'dayOfPeriod' && mode !== 'weekdayOfPeriod') {
    throw new ValidationFailed('runDayMode', 'must be dayOfPeriod or weekdayOfPeriod');
  }
  if (period === 'weekly' && mode !== 'weekdayOfPeriod') {
    throw new ValidationFailed('runDayMode', 'weekly frequencies always use weekdayOfPeriod');
  }
  const rules = f.rules;
  if (!Array.isArray(rules)) throw new ValidationFailed('rules', 'must be a list of run rules');
  if (rules.length !== runs)
    throw new ValidationFailed('runsPerPeriod', `must equal the number of rules (${rules.length})`);
  const seen = new Set<string>();
  rules.forEach((raw: unknown, i) => {
    const field = `rules[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new ValidationFailed(field, 'must be a run rule');
    const rule = raw as Record<string, unknown>;
    if (mode === 'dayOfPeriod') {
      const day = rule.day;
      const max = period === 'monthly' ? 31 : 14;
      const ok =
        (typeof day === 'number' && Number.isInteger(day) && day >= 1 && day <= max) ||
        (day === 'last' && period === 'monthly');
      if (!ok)
        throw new ValidationFailed(
          `${field}.day`,
          period === 'monthly' ? "must be 1 to 31 or 'last'" : 'must be 1 to 14',
        );
    } else {
      const weekday = rule.weekday;
      if (typeof weekday !== 'string' || !(WEEKDAYS as readonly string[]).includes(weekday)) {
        throw new ValidationFailed(`${field}.weekday`, 'must be monday..sunday');
      }
      const occurrence = rule.occurrence;
      if (period === 'weekly') {
        if (occurrence !== undefined)
          throw new ValidationFailed(`${field}.occurrence`, 'weekly rules have no occurrence');
      } else {
        const allowed: readonly string[] = period === 'biweekly' ? ['first', 'second'] : OCCURRENCES;
        if (typeof occurrence !== 'string' || !allowed.includes(occurrence)) {
          throw new ValidationFailed(`${field}.occurrence`, `must be one of ${allowed.join(', ')}`);
        }
      }
    }
    const key = ruleKey(rule as unknown as RunRule);
    if (seen.has(key)) throw new ValidationFailed('rules', 'run rules must be distinct');
    seen.add(key);
  });
  const billingStart = assertIsoDate(f.billingStart, 'billingStart');
  const billingEnd = f.billingEnd;
  if (billingEnd !== undefined && billingEnd !== null) {
    assertIsoDate(billingEnd, 'billingEnd');
    if ((billingEnd as string) < billingStart)
      throw new ValidationFailed('billingEnd', 'must not be before billingStart');
  }
  return input as InvoiceFrequency;
}
