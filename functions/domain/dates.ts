/**
 * Calendar dates as ISO strings `YYYY-MM-DD`. All arithmetic is on UTC day numbers (days since 1970-01-01),
 * never through local time, so DST and the machine's zone cannot shift a date.
 */
import { ValidationFailed } from './errors.ts';

/** A calendar date `YYYY-MM-DD` (no time, no zone). */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Throws ValidationFailed(field) unless `value` is a real calendar date. */
export function assertIsoDate(value: unknown, field: string): IsoDate {
  if (!isIsoDate(value)) throw new ValidationFailed(field, 'must be a calendar date YYYY-MM-DD');
  return value;
}

/** Days since 1970-01-01 of an ISO date. */
export function toDayNumber(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromDayNumber(dayNumber: number): IsoDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** ISO weekday of a day number: 1 = Monday .. 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekdayOfDay(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

export function isoWeekday(date: IsoDate): number {
  return isoWeekdayOfDay(toDayNumber(date));
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date of `instant` in the firm's IANA time zone (e.g. 'Europe/Amsterdam').
 * Unknown zones give ValidationFailed('timeZone').
 */
export function todayInZone(instant: Date, timeZone: string): IsoDate {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new ValidationFailed('timeZone', `unknown time zone ${timeZone}`);
    }
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
  return `${(parts.year ?? '').padStart(4, '0')}-${parts.month}-${parts.day}`;
}
