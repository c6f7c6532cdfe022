import {
  addDays,
  assertIsoDate,
  daysOverdue,
  lateInterest,
  lateInterestApplies,
  reminderDue,
  todayInZone,
  ValidationFailed,
  type IsoDate,
} from '../domain/index.ts';
import { TransientError } from '../shared/errors.ts';
import { faultPoint } from '../shared/faults.ts';
import { type ReminderPorts, reminderDeliveryId } from './ports.ts';
import { composeReminderMessage } from './reminder-email.ts';

/**
 * The reminder run (workflows/reminder-run.asl.json), one date at a time: plan the date, find the open invoices due
 * for a reminder through the OPENDUE index page by page, and for each invoice send the level due on that date,
 * exactly once. Every task is idempotent: a run of a date started again (after a kill, or twice at once) finds the
 * levels already claimed and only finishes their e-mails, so its summary is the same.
 */
export interface ReminderTotals {
  readonly due: number;
  readonly sent: number;
  readonly skipped: number;
  readonly failed: number;
}

const noTotals: ReminderTotals = { due: 0, sent: 0, skipped: 0, failed: 0 };

/** Step Functions' state stays far from 256 KB: 100 ids of at most 128 characters. */
export const OVERDUE_PAGE_SIZE = 100;

export async function planReminderRun(
  input: { date?: unknown; scheduledTime?: unknown },
  timeZone: string,
  now: Date,
): Promise<{ date: IsoDate; totals: ReminderTotals; cursor: null }> {
  const today = todayInZone(now, timeZone);
  if (input.date !== undefined) {
    const date = assertIsoDate(input.date, 'date');
    if (date > today) throw new ValidationFailed('date', `${date} is in the future (today is ${today} in ${timeZone})`);
    return { date, totals: noTotals, cursor: null };
  }
  const scheduled = typeof input.scheduledTime === 'string' ? new Date(input.scheduledTime) : undefined;
  if (!scheduled || Number.isNaN(scheduled.getTime()))
    throw new ValidationFailed('scheduledTime', 'must be an ISO instant');
  // Adopted: no catch-up of missed days: the level due today already covers them (reminders.ts).
  return { date: todayInZone(scheduled, timeZone), totals: noTotals, cursor: null };
}

export interface OverdueWorkPage {
  readonly invoiceIds: string[];
  readonly cursor: string | null;
}

/** One page of the open invoices that are past the plan's first level on the date (A31). */
export async function findOverdueInvoices(
  ports: ReminderPorts,
  input: { date?: unknown; cursor?: unknown },
): Promise<OverdueWorkPage> {
  const date = assertIsoDate(input.date, 'date');
  const { plan } = await ports.firm();
  const first = plan.levels[0]?.daysAfterDue ?? 1;
  const lastLevel = plan.levels.at(-1)?.level ?? 0;
  const startKey = decodeCursor(input.cursor);
  const invoiceIds: string[] = [];
  let key = startKey;
  // Invoices that have had every level are done for good: left out here, so the daily count does not grow with them.
  do {
    const page = await ports.reminders.openInvoicesDueBy(
      addDays(date, -first),
      OVERDUE_PAGE_SIZE - invoiceIds.length,
      key,
    );
    for (const header of page.headers)
      if ((header.lastReminder?.level ?? 0) < lastLevel || header.lastReminder?.date === date)
        invoiceIds.push(header.id);
    key = page.next;
  } while (key && invoiceIds.length < OVERDUE_PAGE_SIZE);
  return { invoiceIds, cursor: key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null };
}

function decodeCursor(value: unknown): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(String(value), 'base64url').toString()) as Record<string, unknown>;
    if (key && typeof key.pk === 'string' && typeof key.gsi4sk === 'string') return key;
  } catch {
    // falls through
  }
  throw new ValidationFailed('cursor', 'is not a cursor this workflow made');
}

export type ReminderOutcome =
  | { readonly invoiceId: string; readonly outcome: 'sent'; readonly level: number; readonly delivery: string }
  | { readonly invoiceId: string; readonly outcome: 'skipped'; readonly reason: string }
  | { readonly invoiceId: string; readonly outcome: 'failed'; readonly error: string };

/**
 * One invoice on one date: decides the level from the header, claims it together with its queued e-mail (the
 * claim's condition on the header makes a payment, credit or pause written first win), then delivers the e-mail
 * through the outbox (claimed before SES; an unknown outcome is never resent). A level claimed for this date
 * already (a retry, a restart, a second execution) is reported as sent and only its e-mail is finished.
 */
export async function sendReminder(
  ports: ReminderPorts,
  input: { invoiceId?: unknown; date?: unknown; executionId?: unknown },
  now: () => string,
): Promise<ReminderOutcome> {
  const invoiceId = typeof input.invoiceId === 'string' && input.invoiceId ? input.invoiceId : undefined;
  if (!invoiceId) throw new ValidationFailed('invoiceId', 'is required');
  const date = assertIsoDate(input.date, 'date');
  const { profile: firm, plan } = await ports.firm();
  for (let attempt = 0; attempt < 5; attempt++) {
    const header = await ports.header(invoiceId);
    if (!header) return { invoiceId, outcome: 'skipped', reason: 'not_found' };
    if (header.lastReminder && header.lastReminder.date === date)
      return finish(ports, invoiceId, header.lastReminder.level, now);
    const decision = reminderDue(
      plan,
      { ...header, status: header.status as 'issued' },
      header.lastReminder?.level ?? 0,
      date,
    );
    if (!decision.send) return { invoiceId, outcome: 'skipped', reason: decision.reason };
    const to = header.billTo.email ?? header.customer.email;
    if (!to) return { invoiceId, outcome: 'skipped', reason: 'no_email' };
    const openAmount = header.totals.balance;
    const interest =
      decision.final && lateInterestApplies(plan.lateInterest, header.customer, header.currency) && header.dueDate
        ? lateInterest(openAmount, header.dueDate, date)
        : null;
    const supplier = header.supplier ?? firm;
    const message = composeReminderMessage({
      invoice: header,
      firm: supplier,
      level: decision.level,
      final: decision.final,
      openAmount,
      daysOverdue: decision.daysOverdue,
      date,
      lateInterest: interest,
    });
    const at = now();
    const deliveryId = reminderDeliveryId(decision.level.level);
    await faultPoint(`reminder:before-claim:${invoiceId}`);
    const claimed = await ports.reminders.claim({
      header,
      record: {
        invoiceId,
        level: decision.level.level,
        date,
        daysOverdue: header.dueDate ? daysOverdue(header.dueDate, date) : decision.daysOverdue,
        openAmount,
        currency: header.currency,
        lateInterest: interest,
        deliveryId,
        claimedAt: at,
        executionId: typeof input.executionId === 'string' ? input.executionId : null,
      },
      audit: {
        action: 'reminder',
        actor: 'reminder-run',
        actorId: 'reminder-run',
        at,
        fromVersion: header.version,
        toVersion: header.version + 1,
        before: { lastReminderLevel: header.lastReminder?.level ?? 0 },
        after: { lastReminderLevel: decision.level.level, date, openAmount },
      },
      delivery: { to, queuedBy: 'reminder-run', message },
    });
    if (claimed === 'claimed') {
      await faultPoint(`reminder:after-claim:${invoiceId}`);
      return finish(ports, invoiceId, decision.level.level, now);
    }
    // Someone wrote the header first (a payment, a pause, another execution's claim): decide again from it.
  }
  throw new TransientError(`the header of ${invoiceId} kept changing while its reminder was claimed`);
}

async function finish(
  ports: ReminderPorts,
  invoiceId: string,
  level: number,
  now: () => string,
): Promise<ReminderOutcome> {
  const delivery = await ports.deliver(invoiceId, reminderDeliveryId(level), now);
  return { invoiceId, outcome: 'sent', level, delivery: delivery?.status ?? 'queued' };
}

/** The Catch of one invoice: recorded for operators; the run goes on with the others. */
export async function recordReminderFailure(
  ports: ReminderPorts,
  input: { invoiceId?: unknown; date?: unknown; executionId?: unknown; error?: unknown; cause?: unknown },
  now: string,
): Promise<ReminderOutcome> {
  const invoiceId = String(input.invoiceId ?? '');
  const date = assertIsoDate(input.date, 'date');
  await ports.reminders.putFailure({
    invoiceId,
    date,
    error: String(input.error ?? 'Error'),
    cause: String(input.cause ?? '').slice(0, 2000),
    executionId: typeof input.executionId === 'string' ? input.executionId : null,
    at: now,
  });
  return { invoiceId, outcome: 'failed', error: String(input.error ?? 'Error') };
}

/** Adds one page's outcomes to the run's totals. */
export function tallyReminders(input: {
  totals?: ReminderTotals;
  results?: readonly { outcome?: string }[];
}): ReminderTotals {
  const totals = input.totals ?? noTotals;
  const results = input.results ?? [];
  const count = (outcome: string) => results.filter((result) => result.outcome === outcome).length;
  return {
    due: totals.due + results.length,
    sent: totals.sent + count('sent'),
    skipped: totals.skipped + count('skipped'),
    failed: totals.failed + count('failed'),
  };
}
