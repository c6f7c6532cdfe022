/**
 * Run dates of an invoice frequency (rules section 1): pure calendar arithmetic on day numbers. What a frequency
 * is and its validation: frequency-rules.ts (exported from here too).
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
import {
  type InvoiceFrequency,
  isWeekdayRule,
  OCCURRENCES,
  type RunRule,
  ruleKey,
  validateFrequency,
  type Weekday,
  WEEKDAYS,
  type WeekdayRule,
} from './frequency-rules.ts';

export * from './frequency-rules.ts';

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
