/**
 * Invoice frequencies and run dates (rules section 1). Pure calendar arithmetic on day numbers.
 */
import {
  addDays,
  assertIsoDate,
  daysInMonth,
  fromDayNumber,
  isoWeekdayOfDay,
  toDayNumber,
  type IsoDate,
} from './dates.ts';
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
const OCCURRENCES: readonly Occurrence[] = ['first', 'second', 'third', 'fourth', 'last'];

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

function isWeekdayRule(rule: RunRule): rule is WeekdayRule {
  return 'weekday' in rule;
}

function ruleKey(rule: RunRule): string {
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

function weekdayNumber(weekday: Weekday): number {
  return WEEKDAYS.indexOf(weekday) + 1;
}

/** First day >= from that falls on ISO weekday w. */
function nextWeekday(from: number, w: number): number {
  return from + ((w - isoWeekdayOfDay(from) + 7) % 7);
}

function monthlyRunDay(rule: RunRule, year: number, month: number): number {
  const first = toDayNumber(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`);
  const length = daysInMonth(year, month);
  if (!isWeekdayRule(rule)) {
    // Adopted clamp: day n of a shorter month is its last day; computed per month, so the 31st never drifts.
    const n = rule.day === 'last' ? length : Math.min(rule.day, length);
    return first + n - 1;
  }
  const w = weekdayNumber(rule.weekday);
  if (rule.occurrence === 'last') {
    const last = first + length - 1;
    return last - ((isoWeekdayOfDay(last) - w + 7) % 7);
  }
  const k = OCCURRENCES.indexOf(rule.occurrence ?? 'first');
  return nextWeekday(first, w) + 7 * k; // 'fourth' always exists (day <= 28)
}

/** Raw run days (ignoring billing end) in [fromDay, toDay], not before S; sorted, unique. */
function rawRunDays(f: InvoiceFrequency, fromDay: number, toDay: number): number[] {
  const start = toDayNumber(f.billingStart);
  const lo = Math.max(fromDay, start);
  const days: number[] = [];
  if (lo > toDay) return days;
  if (f.period === 'weekly') {
    for (const rule of f.rules as readonly WeekdayRule[]) {
      for (let d = nextWeekday(lo, weekdayNumber(rule.weekday)); d <= toDay; d += 7) days.push(d);
    }
  } else if (f.period === 'biweekly') {
    // Adopted anchor: period k runs from S+14k to S+14k+13.
    for (let k = Math.floor((lo - start) / 14), p = start + 14 * k; p <= toDay; k += 1, p += 14) {
      for (const rule of f.rules) {
        const d = isWeekdayRule(rule)
          ? nextWeekday(p, weekdayNumber(rule.weekday)) + (rule.occurrence === 'second' ? 7 : 0)
          : p + (rule.day as number) - 1;
        if (d >= lo && d <= toDay) days.push(d);
      }
    }
  } else {
    const from = fromDayNumber(lo);
    const to = fromDayNumber(toDay);
    let year = Number(from.slice(0, 4));
    let month = Number(from.slice(5, 7));
    const endKey = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7));
    while (year * 12 + month <= endKey) {
      for (const rule of f.rules) {
        const d = monthlyRunDay(rule, year, month);
        if (d >= lo && d <= toDay) days.push(d);
      }
      month += 1;
      if (month === 13) {
        month = 1;
        year += 1;
      }
    }
  }
  days.sort((a, b) => a - b);
  // Two rules on one date give one run.
  return days.filter((d, i) => i === 0 || d !== days[i - 1]);
}

/** The closing run: the first raw run date after E (adopted), or null without E. */
export function closingRunDate(frequency: InvoiceFrequency): IsoDate | null {
  const f = validateFrequency(frequency);
  if (f.billingEnd === undefined || f.billingEnd === null) return null;
  const after = toDayNumber(f.billingEnd) + 1;
  // Every frequency has a run within 62 days of any day (monthly worst case: first Monday of next month).
  const next = rawRunDays(f, after, after + 70)[0];
  return next === undefined ? null : fromDayNumber(next);
}

/**
 * Run dates D of the frequency within [from, to] (inclusive): sorted, unique, ISO dates.
 * Only D >= S; with a billing end E only D <= E plus the closing run.
 */
export function runDates(frequency: InvoiceFrequency, from: IsoDate, to: IsoDate): IsoDate[] {
  const f = validateFrequency(frequency);
  assertIsoDate(from, 'from');
  assertIsoDate(to, 'to');
  let upper = toDayNumber(to);
  const closing = closingRunDate(f);
  if (closing !== null) upper = Math.min(upper, toDayNumber(closing));
  return rawRunDays(f, toDayNumber(from), upper).map(fromDayNumber);
}

export function isRunDate(frequency: InvoiceFrequency, date: IsoDate): boolean {
  return runDates(frequency, date, date).length === 1;
}

/** Cut-off C = D - 1 day: a run bills dated work with date <= C. */
export function cutOffFor(runDate: IsoDate): IsoDate {
  return addDays(assertIsoDate(runDate, 'runDate'), -1);
}

/**
 * Catch-up: every run date that is due (D <= today) and not yet run (D > lastRunDate), in date order.
 * Adopted: with lastRunDate null the project has never run and dates count from the billing start.
 * A frequency changed later simply applies from lastRunDate on ("only replaces run dates not yet run").
 */
export function dueRunDates(frequency: InvoiceFrequency, lastRunDate: IsoDate | null, today: IsoDate): IsoDate[] {
  const f = validateFrequency(frequency);
  const from = lastRunDate === null ? f.billingStart : addDays(assertIsoDate(lastRunDate, 'lastRunDate'), 1);
  if (from > assertIsoDate(today, 'today')) return [];
  return runDates(f, from, today);
}

/** Preview: the next `count` run dates on or after `from` (fewer when billing ends). */
export function nextRunDates(frequency: InvoiceFrequency, from: IsoDate, count: number): IsoDate[] {
  const result: IsoDate[] = [];
  const closing = closingRunDate(frequency);
  let windowStart = assertIsoDate(from, 'from');
  while (result.length < count) {
    if (closing !== null && windowStart > closing) break;
    const windowEnd = addDays(windowStart, 365);
    result.push(...runDates(frequency, windowStart, windowEnd));
    windowStart = addDays(windowEnd, 1);
  }
  return result.slice(0, count);
}

/**
 * The group of a frequency: what it is without its billing start and end. Projects of one group have the same
 * run dates before their own start and end apply, so the run finds the projects due on D with one query per group
 * whose pattern has a run on D. Biweekly periods are anchored on the billing start, so the start's position in the
 * 14-day cycle belongs to the group.
 */
export interface FrequencyGroup {
  readonly key: string;
  /** The group's run dates: the frequency with an anchor start long ago and no end. */
  readonly pattern: InvoiceFrequency;
}

export function frequencyGroup(frequency: InvoiceFrequency): FrequencyGroup {
  const f = validateFrequency(frequency);
  const anchorPhase = f.period === 'biweekly' ? ((toDayNumber(f.billingStart) % 14) + 14) % 14 : 0;
  const rules = [...f.rules].sort((a, b) => (ruleKey(a) < ruleKey(b) ? -1 : ruleKey(a) > ruleKey(b) ? 1 : 0));
  const key = [
    f.period,
    f.runDayMode,
    rules.map(ruleKey).join(','),
    f.period === 'biweekly' ? `anchor:${anchorPhase}` : '',
  ]
    .filter(Boolean)
    .join('|');
  return {
    key,
    pattern: {
      period: f.period,
      runsPerPeriod: f.runsPerPeriod,
      runDayMode: f.runDayMode,
      rules,
      billingStart: fromDayNumber(anchorPhase),
      billingEnd: null,
    },
  };
}
