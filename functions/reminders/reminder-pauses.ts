import { addDays, daysOverdue, InvalidTransition, ValidationFailed, type IsoDate } from '../domain/index.ts';
import { NotFound, StaleVersion } from '../shared/errors.ts';
import type { InvoiceHeader, ReminderRecordPorts } from './ports.ts';

/**
 * The portal's side of reminders: pause and resume them on one invoice with a reason (a dispute), an invoice's
 * reminder history, and the overdue list. Pause and resume change the invoice (version + 1, an audit entry), so the
 * reminder run's claim, conditional on the header, never sends a level to a paused invoice.
 */
export interface Actor {
  readonly username: string;
  readonly userId: string;
}

export async function changeReminderPause(
  ports: ReminderRecordPorts,
  invoiceId: string,
  action: 'pause' | 'resume',
  expectedVersion: number,
  reasonInput: unknown,
  actor: Actor,
  now: Date,
): Promise<InvoiceHeader> {
  const reason = typeof reasonInput === 'string' ? reasonInput.trim() : '';
  if (reason === '') throw new ValidationFailed('reason', 'say why (for example the dispute)');
  const header = await ports.header(invoiceId);
  if (!header) throw new NotFound(`invoice ${invoiceId}`);
  if (header.version !== expectedVersion) throw new StaleVersion(header.version, 'invoice');
  if (header.kind !== 'invoice' || (header.status !== 'issued' && header.status !== 'partially_paid'))
    throw new InvalidTransition(header.status, `${action} reminders on`, 'only open issued invoices get reminders');
  if (action === 'pause' && header.remindersPaused)
    throw new InvalidTransition('paused', 'pause reminders on', 'reminders are paused already');
  if (action === 'resume' && !header.remindersPaused)
    throw new InvalidTransition('not paused', 'resume reminders on', 'reminders are not paused');
  const at = now.toISOString();
  const pause = action === 'pause' ? { reason, by: actor.username, at } : undefined;
  const toVersion = expectedVersion + 1;
  const written = await ports.reminders.writePause(
    header,
    expectedVersion,
    pause,
    {
      invoiceId,
      action: action === 'pause' ? 'paused' : 'resumed',
      reason,
      by: actor.username,
      at,
      version: toVersion,
    },
    {
      action: action === 'pause' ? 'pause_reminders' : 'resume_reminders',
      actor: actor.username,
      actorId: actor.userId,
      at,
      fromVersion: expectedVersion,
      toVersion,
      before: { remindersPaused: header.remindersPaused ? header.remindersPaused.reason : null },
      after: { remindersPaused: pause ? reason : null, reason },
    },
  );
  if (written === 'stale') throw new StaleVersion((await ports.header(invoiceId))?.version ?? null, 'invoice');
  return (await ports.header(invoiceId)) ?? header;
}

/** An invoice's reminders with their e-mails' delivery status, pauses, failures, and what the plan does next. */
export async function invoiceReminders(ports: ReminderRecordPorts, invoiceId: string, today: IsoDate) {
  const header = await ports.header(invoiceId);
  if (!header) throw new NotFound(`invoice ${invoiceId}`);
  const [history, deliveries, { plan }] = await Promise.all([
    ports.reminders.history(invoiceId),
    ports.deliveries(invoiceId),
    ports.firm(),
  ]);
  const last = header.lastReminder?.level ?? 0;
  const nextLevel = plan.levels.find((level) => level.level > last);
  const open =
    header.kind === 'invoice' && ['issued', 'partially_paid'].includes(header.status) && header.totals.balance > 0;
  return {
    invoiceId,
    number: header.number,
    status: header.status,
    version: header.version,
    dueDate: header.dueDate,
    daysOverdue: header.dueDate ? Math.max(0, daysOverdue(header.dueDate, today)) : 0,
    openAmount: header.totals.balance,
    currency: header.currency,
    paused: header.remindersPaused ?? null,
    next:
      open && !header.remindersPaused && nextLevel && header.dueDate
        ? { level: nextLevel.level, on: addDays(header.dueDate, nextLevel.daysAfterDue) }
        : null,
    reminders: history.reminders.map((reminder) => {
      const delivery = deliveries.find((candidate) => candidate.deliveryId === reminder.deliveryId);
      return {
        level: reminder.level,
        date: reminder.date,
        daysOverdue: reminder.daysOverdue,
        openAmount: reminder.openAmount,
        lateInterest: reminder.lateInterest
          ? { interest: reminder.lateInterest.interest, compensation: reminder.lateInterest.compensation }
          : null,
        subject: delivery?.reminder?.subject ?? null,
        to: delivery?.to ?? null,
        deliveryStatus: delivery?.status ?? 'queued',
        sentAt: delivery?.sentAt ?? null,
      };
    }),
    pauses: history.pauses.sort((a, b) => a.version - b.version),
    failures: history.failures,
  };
}

/** Overdue on a date: open issued invoices due before it (A31), oldest due first, with days overdue and the last reminder. */
export async function overdueInvoices(
  ports: ReminderRecordPorts,
  date: IsoDate,
  limit: number,
  startKey?: Record<string, unknown>,
) {
  const page = await ports.reminders.openInvoicesDueBy(addDays(date, -1), limit, startKey);
  return {
    date,
    items: page.headers.map((header) => ({
      invoiceId: header.id,
      number: header.number,
      customer: header.customer.name,
      projectId: header.projectId,
      dueDate: header.dueDate,
      daysOverdue: header.dueDate ? daysOverdue(header.dueDate, date) : 0,
      openAmount: header.totals.balance,
      currency: header.currency,
      status: header.status,
      version: header.version,
      lastReminder: header.lastReminder ?? null,
      paused: header.remindersPaused ?? null,
    })),
    next: page.next,
  };
}
