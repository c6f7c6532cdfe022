import { beforeEach, describe, expect, it } from 'vitest';
import { defaultReminderPlan, InvalidTransition, ValidationFailed } from '../../../functions/domain/index.ts';
import type { InvoiceHeader } from '../../../functions/reminders/ports.ts';
import {
  changeReminderPause,
  invoiceReminders,
  overdueInvoices,
} from '../../../functions/reminders/reminder-pauses.ts';
import {
  findOverdueInvoices,
  planReminderRun,
  recordReminderFailure,
  sendReminder,
  tallyReminders,
} from '../../../functions/reminders/reminder-run.ts';
import { NotFound, StaleVersion } from '../../../functions/shared/errors.ts';
import { issuedInvoice } from '../payments/issued-invoice.ts';
import { MemoryReminders } from './memory-reminders.ts';

/** The reminder run's steps and the portal's pause, history and overdue list on in-memory ports. */
const at = () => '2027-03-01T07:00:00.000Z';
const alice = { username: 'alice', userId: 'sub-alice' };
let memory: MemoryReminders;
let ports: ReturnType<MemoryReminders['ports']>;

/** Issued 2027-02-01, due 2027-02-15: level 1 from 02-22, level 2 from 03-08, the final notice from 03-22. */
function given(id: string, n: number, extra: Partial<InvoiceHeader> = {}): InvoiceHeader {
  const header = { ...issuedInvoice(id, n).header, ...extra };
  memory.headers.set(id, header);
  return header;
}

beforeEach(() => {
  memory = new MemoryReminders();
  ports = memory.ports();
});

describe('sending a reminder (one invoice, one date)', () => {
  it('sends the level due once: a retry or a second execution of the date only finishes its e-mail', async () => {
    const { version } = given('I1', 1);
    expect(await sendReminder(ports, { invoiceId: 'I1', date: '2027-02-21' }, at)).toEqual({
      invoiceId: 'I1',
      outcome: 'skipped',
      reason: 'not_due',
    });
    const first = await sendReminder(ports, { invoiceId: 'I1', date: '2027-02-22', executionId: 'x1' }, at);
    expect(first).toEqual({ invoiceId: 'I1', outcome: 'sent', level: 1, delivery: 'sent' });
    expect(await sendReminder(ports, { invoiceId: 'I1', date: '2027-02-22', executionId: 'x2' }, at)).toEqual(first);
    expect(await sendReminder(ports, { invoiceId: 'I1', date: '2027-03-01' }, at)).toMatchObject({
      outcome: 'skipped',
      reason: 'already_sent',
    });
    expect(memory.sends).toBe(1);
    expect([...memory.records.values()]).toEqual([
      expect.objectContaining({ level: 1, date: '2027-02-22', daysOverdue: 7, executionId: 'x1', lateInterest: null }),
    ]);
    expect(memory.headers.get('I1')).toMatchObject({
      version: version + 1,
      lastReminder: { level: 1, date: '2027-02-22' },
    });
    expect(memory.audit).toEqual([
      expect.objectContaining({ action: 'reminder', fromVersion: version, toVersion: version + 1 }),
    ]);
    const delivery = [...memory.deliveries.values()][0];
    expect(delivery).toMatchObject({ deliveryId: 'reminder-1', to: 'ap@acme.test' });
    expect(delivery?.reminder?.text).toContain('INV-2027-000001');

    // Weeks later the next level, once; past the final notice nothing more.
    expect(await sendReminder(ports, { invoiceId: 'I1', date: '2027-03-08' }, at)).toMatchObject({ level: 2 });
    expect(await sendReminder(ports, { invoiceId: 'I1', date: '2027-03-30' }, at)).toMatchObject({ level: 3 });
    expect(await sendReminder(ports, { invoiceId: 'I1', date: '2027-04-30' }, at)).toMatchObject({
      outcome: 'skipped',
    });
    expect(memory.sends).toBe(3);
  });

  it('decides again when the header changed before the claim: a payment written first wins', async () => {
    const header = given('I1', 1);
    memory.beforeClaim = () => {
      memory.headers.set('I1', { ...header, version: 2, status: 'paid', totals: { ...header.totals, balance: 0 } });
    };
    expect(await sendReminder(ports, { invoiceId: 'I1', date: '2027-02-22' }, at)).toMatchObject({
      outcome: 'skipped',
      reason: 'not_open',
    });
    expect(memory.records.size).toBe(0);
    expect(memory.sends).toBe(0);
  });

  it('a header that never settles is a transient error; missing, paused and unreachable invoices are skipped', async () => {
    const header = given('I1', 1);
    memory.beforeClaim = (claim) => {
      memory.headers.set('I1', { ...header, version: claim.header.version + 1 });
    };
    await expect(sendReminder(ports, { invoiceId: 'I1', date: '2027-02-22' }, at)).rejects.toMatchObject({
      name: 'TransientError',
    });
    memory.beforeClaim = () => {};
    given('I2', 2, { remindersPaused: { reason: 'dispute', by: 'alice', at: at() } });
    const noMail = issuedInvoice('I3', 3).header;
    given('I3', 3, { billTo: { ...noMail.billTo, email: null }, customer: { ...noMail.customer, email: null } });
    const date = '2027-02-22';
    expect(await sendReminder(ports, { invoiceId: 'I2', date }, at)).toMatchObject({ reason: 'paused' });
    expect(await sendReminder(ports, { invoiceId: 'I3', date }, at)).toMatchObject({ reason: 'no_email' });
    expect(await sendReminder(ports, { invoiceId: 'I9', date }, at)).toMatchObject({ reason: 'not_found' });
    await expect(sendReminder(ports, { date }, at)).rejects.toBeInstanceOf(ValidationFailed);
  });

  it('the final notice states late interest when the plan asks for it', async () => {
    given('I1', 1);
    const withInterest = memory.ports({}, { ...defaultReminderPlan, lateInterest: true });
    const final = await sendReminder(withInterest, { invoiceId: 'I1', date: '2027-03-22' }, at);
    expect(final).toMatchObject({ outcome: 'sent', level: 3 });
    expect([...memory.records.values()][0]?.lateInterest).toMatchObject({ compensation: 40_00 });
  });
});

describe('the reminder run around it', () => {
  it('plans a date, pages through the overdue invoices, tallies and records failures', async () => {
    const now = new Date('2027-03-01T07:00:00.000Z');
    expect(await planReminderRun({ date: '2027-02-28' }, 'Europe/Amsterdam', now)).toMatchObject({
      date: '2027-02-28',
    });
    expect(await planReminderRun({ scheduledTime: '2027-02-28T23:30:00Z' }, 'Europe/Amsterdam', now)).toMatchObject({
      date: '2027-03-01',
    });
    await expect(planReminderRun({ date: '2027-03-02' }, 'Europe/Amsterdam', now)).rejects.toMatchObject({
      field: 'date',
    });
    await expect(planReminderRun({}, 'Europe/Amsterdam', now)).rejects.toMatchObject({ field: 'scheduledTime' });

    for (let n = 1; n <= 150; n++) given(`I${String(n).padStart(3, '0')}`, n);
    given('DONE', 999, { lastReminder: { level: 3, date: '2027-02-01' } });
    const first = await findOverdueInvoices(ports, { date: '2027-02-22', cursor: null });
    expect(first.invoiceIds).toHaveLength(100);
    const second = await findOverdueInvoices(ports, { date: '2027-02-22', cursor: first.cursor });
    expect(second).toMatchObject({ cursor: null });
    expect(new Set([...first.invoiceIds, ...second.invoiceIds]).size).toBe(150);
    expect(second.invoiceIds).not.toContain('DONE');
    expect(await findOverdueInvoices(ports, { date: '2027-02-21' })).toEqual({ invoiceIds: [], cursor: null });
    await expect(findOverdueInvoices(ports, { date: '2027-02-22', cursor: 'forged' })).rejects.toMatchObject({
      field: 'cursor',
    });

    const failed = await recordReminderFailure(
      ports,
      { invoiceId: 'I001', date: '2027-02-22', error: 'Boom', cause: 'x'.repeat(3000), executionId: 'x1' },
      at(),
    );
    expect(failed).toEqual({ invoiceId: 'I001', outcome: 'failed', error: 'Boom' });
    expect(memory.failures.get('I001#2027-02-22')?.cause).toHaveLength(2000);
    const totals = tallyReminders({ results: [{ outcome: 'sent' }, { outcome: 'skipped' }, failed] });
    expect(tallyReminders({ totals, results: [{ outcome: 'sent' }] })).toEqual({
      due: 4,
      sent: 2,
      skipped: 1,
      failed: 1,
    });
  });
});

describe('pausing reminders and the history', () => {
  it('pause and resume change the invoice at its version, once each, and the history shows them', async () => {
    const v = given('I1', 1).version;
    const now = new Date('2027-02-20T10:00:00.000Z');
    await expect(changeReminderPause(ports, 'I1', 'pause', v, ' ', alice, now)).rejects.toMatchObject({
      field: 'reason',
    });
    await expect(changeReminderPause(ports, 'I1', 'pause', v + 5, 'dispute', alice, now)).rejects.toBeInstanceOf(
      StaleVersion,
    );
    await expect(changeReminderPause(ports, 'I9', 'pause', v, 'dispute', alice, now)).rejects.toBeInstanceOf(NotFound);
    await expect(changeReminderPause(ports, 'I1', 'resume', v, 'ok', alice, now)).rejects.toBeInstanceOf(
      InvalidTransition,
    );
    const paused = await changeReminderPause(ports, 'I1', 'pause', v, 'dispute', alice, now);
    expect(paused).toMatchObject({ version: v + 1, remindersPaused: { reason: 'dispute', by: 'alice' } });
    await expect(changeReminderPause(ports, 'I1', 'pause', v + 1, 'again', alice, now)).rejects.toBeInstanceOf(
      InvalidTransition,
    );
    expect(await sendReminder(ports, { invoiceId: 'I1', date: '2027-02-22' }, at)).toMatchObject({ reason: 'paused' });
    const view = await invoiceReminders(ports, 'I1', '2027-02-22');
    expect(view).toMatchObject({ paused: { reason: 'dispute' }, next: null, daysOverdue: 7, reminders: [] });
    const resumed = await changeReminderPause(ports, 'I1', 'resume', v + 1, 'settled', alice, now);
    expect(resumed.remindersPaused).toBeUndefined();
    await sendReminder(ports, { invoiceId: 'I1', date: '2027-02-22' }, at);
    const after = await invoiceReminders(ports, 'I1', '2027-02-23');
    expect(after).toMatchObject({
      version: v + 3,
      next: { level: 2, on: '2027-03-08' },
      reminders: [{ level: 1, deliveryStatus: 'sent', to: 'ap@acme.test' }],
      pauses: [{ action: 'paused' }, { action: 'resumed' }],
    });
    await expect(invoiceReminders(ports, 'I9', '2027-02-23')).rejects.toBeInstanceOf(NotFound);
    const draft = given('I2', 2, { status: 'paid' });
    await expect(changeReminderPause(ports, 'I2', 'pause', draft.version, 'x', alice, now)).rejects.toBeInstanceOf(
      InvalidTransition,
    );
  });

  it('a pause written by someone else meanwhile is stale', async () => {
    const { version } = given('I1', 1);
    const writePause = async () => 'stale' as const;
    const racing: typeof ports = { ...ports, reminders: Object.assign(Object.create(memory), { writePause }) };
    await expect(
      changeReminderPause(racing, 'I1', 'pause', version, 'dispute', alice, new Date()),
    ).rejects.toBeInstanceOf(StaleVersion);
    expect(memory.pauses).toEqual([]);
  });

  it('lists the overdue invoices of a date, oldest due first', async () => {
    given('I1', 1);
    given('I2', 2, { dueDate: '2027-02-10' });
    const page = await overdueInvoices(ports, '2027-02-16', 10);
    expect(page.items.map((item) => [item.invoiceId, item.daysOverdue])).toEqual([
      ['I2', 6],
      ['I1', 1],
    ]);
    expect((await overdueInvoices(ports, '2027-02-16', 1)).next).toBeDefined();
  });
});
