import { addDays, assertIsoDate, todayInZone, ValidationFailed, type IsoDate } from '../domain/index.ts';
import { firmTimeZone as configuredTimeZone } from '../shared/firm.ts';
import type { InvoiceRunPorts } from './ports.ts';

/**
 * Which run dates an execution of the invoice-run workflow runs, oldest first:
 * - started by the schedule ({scheduledTime}): every date after the last scheduled run up to today in the firm's
 *   time zone (catch-up after missed days), or just today on the first run;
 * - started by a person ({runDate}) or an operator's restart ({runDate, projectIds}): that date.
 */
export type RunTrigger = 'schedule' | 'manual' | 'restart';

export interface RunDatePlan {
  readonly runDate: IsoDate;
  /** Restart: only these projects; otherwise every project due on the date. */
  readonly projectIds: readonly string[] | null;
  readonly trigger: RunTrigger;
}

/** Adopted: a schedule that was off for longer catches up at most this many days (older dates: run by hand). */
export const MAX_CATCH_UP_DAYS = 62;
export const MAX_RESTART_PROJECTS = 200;

/** A run date after today in the firm's zone: the workflow fails with this name (nothing is claimed or billed). */
export class RunDateInFuture extends ValidationFailed {
  override readonly name = 'RunDateInFuture';
}

/**
 * Refuses a date after today in the firm's zone: a run ahead of its date would bill work up to a cut-off that has
 * not come yet and use up the run key, so the real run on that date would create nothing.
 */
export function assertNotInFuture(date: IsoDate, now: Date, timeZone = configuredTimeZone(), field = 'runDate'): void {
  const today = todayInZone(now, timeZone);
  if (date > today) throw new RunDateInFuture(field, `${date} is after today (${today} in ${timeZone})`);
}

export interface PlanRunDatesInput {
  readonly scheduledTime?: unknown;
  readonly runDate?: unknown;
  readonly projectIds?: unknown;
}

export async function planRunDates(
  ports: Pick<InvoiceRunPorts, 'calendar'>,
  input: PlanRunDatesInput,
  firmTimeZone: string,
  now: Date = new Date(),
): Promise<{ runDates: RunDatePlan[] }> {
  if (input.runDate !== undefined) {
    const runDate = assertIsoDate(input.runDate, 'runDate');
    assertNotInFuture(runDate, now, firmTimeZone, 'runDate');
    if (input.projectIds === undefined || input.projectIds === null)
      return { runDates: [{ runDate, projectIds: null, trigger: 'manual' }] };
    const projectIds = input.projectIds;
    if (
      !Array.isArray(projectIds) ||
      projectIds.length === 0 ||
      projectIds.length > MAX_RESTART_PROJECTS ||
      !projectIds.every((id) => typeof id === 'string' && id !== '')
    ) {
      throw new ValidationFailed('projectIds', `must be 1 to ${MAX_RESTART_PROJECTS} project ids`);
    }
    return { runDates: [{ runDate, projectIds: [...new Set(projectIds as string[])].sort(), trigger: 'restart' }] };
  }
  const scheduledTime = typeof input.scheduledTime === 'string' ? new Date(input.scheduledTime) : undefined;
  if (!scheduledTime || Number.isNaN(scheduledTime.getTime()))
    throw new ValidationFailed('scheduledTime', 'must be an ISO instant');
  const today = todayInZone(scheduledTime, firmTimeZone);
  assertNotInFuture(today, now, firmTimeZone, 'scheduledTime');
  const last = await ports.calendar.lastScheduledRunDate();
  const earliest = addDays(today, 1 - MAX_CATCH_UP_DAYS);
  let first = last === null ? today : addDays(last, 1);
  if (first < earliest) first = earliest;
  const runDates: RunDatePlan[] = [];
  for (let date = first; date <= today; date = addDays(date, 1))
    runDates.push({ runDate: date, projectIds: null, trigger: 'schedule' });
  return { runDates };
}
