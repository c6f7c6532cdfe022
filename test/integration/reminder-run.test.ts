import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { addDays, lateInterest, todayInZone } from '../../functions/domain/index.ts';
import { formatMoney } from '../../functions/documents/format.ts';
import { stateMachineArn } from '../../local/handler-environment.ts';
import { startInvoiceRun, waitForExecution } from '../../local/invoice-run-client.ts';
import { call, useLocalCloudFromTests } from './api/support.ts';
import { cloud, inbox, sfn } from './clients.ts';
import { givenIssuedInvoice } from '../support/reminder-data.ts';

/**
 * The reminder run end to end on the local cloud: the workflow (ASL on the local Step Functions endpoint) finds the
 * overdue invoices through the OPENDUE index, sends each the level due once through the outbox, with the invoice
 * PDF attached, the open amount and the reference in the text, and the statutory interest on a business customer's
 * final notice. Paid and paused invoices get none; running the date again sends nothing new.
 */
beforeAll(() => useLocalCloudFromTests());
const today = todayInZone(new Date(), 'Europe/Amsterdam');

async function runReminders(date: string) {
  const arn = await startInvoiceRun(sfn, stateMachineArn('reminder-run'), { date });
  return waitForExecution(sfn, arn, { timeoutMillis: 300_000 });
}

const remindersOf = async (number: string) =>
  (await inbox()).filter((email) => email.subject.includes(number) && !/^(Factuur|Invoice) /.test(email.subject));

describe('the reminder run', () => {
  it('sends each due level once, with the PDF, the open amount and the reference; none to paid or paused invoices', async () => {
    const first = await givenIssuedInvoice({ issuedOn: addDays(today, -38) }); // due today - 8: level 1
    const final = await givenIssuedInvoice({ issuedOn: addDays(today, -66), business: true, language: 'en' }); // due - 36
    const paid = await givenIssuedInvoice({ issuedOn: addDays(today, -38) });
    const paused = await givenIssuedInvoice({ issuedOn: addDays(today, -38) });
    const notYet = await givenIssuedInvoice({ issuedOn: addDays(today, -33) }); // due today - 3
    expect(first.dueDate).toBe(addDays(today, -8));

    const payment = await call('POST', `/invoices/${paid.id}/payments`, {
      as: 'billing',
      ifMatch: paid.version,
      body: { paymentId: 'p1', amount: paid.totals.balance, currency: 'EUR', date: today, method: 'bank' },
    });
    expect(payment.status, JSON.stringify(payment.body)).toBe(200);
    const pause = await call('POST', `/invoices/${paused.id}/reminders/pause`, {
      as: 'billing',
      ifMatch: paused.version,
      body: { reason: 'Customer disputes the hours' },
    });
    expect(pause.status, JSON.stringify(pause.body)).toBe(200);
    expect(pause.body.paused).toMatchObject({ reason: 'Customer disputes the hours', by: 'billing' });

    const overdue = await call('GET', `/overdue-invoices?date=${today}&limit=500`, { as: 'viewer' });
    expect(overdue.status).toBe(200);
    const listed = new Map(overdue.body.items.map((item: { invoiceId: string }) => [item.invoiceId, item]));
    expect(listed.get(first.id)).toMatchObject({ daysOverdue: 8, lastReminder: null, paused: null });
    expect(listed.get(paused.id)).toMatchObject({ paused: { reason: 'Customer disputes the hours' } });
    expect(listed.has(paid.id)).toBe(false);
    expect(listed.get(notYet.id)).toMatchObject({ daysOverdue: 3 });

    const execution = await runReminders(today);
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    const summary = JSON.parse(execution.output ?? '{}');
    expect(summary).toMatchObject({ date: today });
    expect(summary.due).toBe(summary.sent + summary.skipped + summary.failed);
    expect(summary.sent).toBeGreaterThanOrEqual(2);

    const [reminder, ...more] = await remindersOf(first.number as string);
    expect(more).toHaveLength(0);
    expect(reminder?.subject).toBe(`Herinnering: factuur ${first.number} van Polder Advies B.V.`);
    expect(reminder?.destination.to).toEqual([first.billTo.email]);
    const text = reminder?.body.text ?? '';
    expect(text).toContain(`Openstaand bedrag: ${formatMoney(first.totals.balance, 'EUR', 'nl')}`);
    const reference = (first as { paymentReference?: string }).paymentReference ?? first.number;
    expect(text).toContain(`Betalingskenmerk: ${reference}`);
    expect(text).not.toContain('handelsrente');
    const pdf = reminder?.attachments.find((attachment) => attachment.contentType === 'application/pdf');
    expect(pdf).toBeDefined();
    const { text: pdfText } = await extractText(
      await getDocumentProxy(new Uint8Array(Buffer.from(pdf?.content ?? '', 'base64'))),
      { mergePages: true },
    );
    expect(pdfText).toContain(first.number);

    // The business customer 36 days late gets the final notice at once, with statutory interest and EUR 40.
    const [notice, ...moreNotices] = await remindersOf(final.number as string);
    expect(moreNotices).toHaveLength(0);
    expect(notice?.subject).toBe(`Final notice: invoice ${final.number} from Polder Advies B.V.`);
    const interest = lateInterest(final.totals.balance, final.dueDate as string, today);
    expect(interest.days).toBe(36);
    expect(notice?.body.text).toContain(`Interest: ${formatMoney(interest.interest, 'EUR', 'en')}`);
    expect(notice?.body.text).toContain(`Fixed compensation for recovery costs: ${formatMoney(4000, 'EUR', 'en')}`);
    expect(notice?.body.text).toContain(
      `Total now owed: ${formatMoney(final.totals.balance + interest.interest + 4000, 'EUR', 'en')}`,
    );

    for (const none of [paid, paused, notYet]) expect(await remindersOf(none.number as string)).toHaveLength(0);

    // The history shows the level with its e-mail; the paused invoice shows the pause and no next level.
    const history = await call('GET', `/invoices/${first.id}/reminders`, { as: 'viewer' });
    expect(history.status).toBe(200);
    expect(history.body.reminders).toEqual([
      expect.objectContaining({ level: 1, date: today, deliveryStatus: 'sent', openAmount: first.totals.balance }),
    ]);
    expect(history.body.next).toEqual({ level: 2, on: addDays(first.dueDate as string, 21) });
    const finalHistory = await call('GET', `/invoices/${final.id}/reminders`, { as: 'viewer' });
    expect(finalHistory.body.reminders[0]).toMatchObject({
      level: 3,
      lateInterest: { interest: interest.interest, compensation: 4000 },
    });
    const pausedHistory = await call('GET', `/invoices/${paused.id}/reminders`, { as: 'viewer' });
    expect(pausedHistory.body).toMatchObject({
      reminders: [],
      next: null,
      paused: { reason: 'Customer disputes the hours' },
    });
    expect(pausedHistory.body.pauses).toEqual([expect.objectContaining({ action: 'paused', by: 'billing' })]);

    // The same date again: the same summary, no new e-mail.
    const again = await runReminders(today);
    expect(JSON.parse(again.output ?? '{}').sent).toBe(summary.sent);
    expect(await remindersOf(first.number as string)).toHaveLength(1);
    expect(await remindersOf(final.number as string)).toHaveLength(1);

    // Resumed: the paused invoice gets its level on the next run.
    const current = await call('GET', `/invoices/${paused.id}`, { as: 'viewer' });
    const resume = await call('POST', `/invoices/${paused.id}/reminders/resume`, {
      as: 'billing',
      ifMatch: current.body.version,
      body: { reason: 'Dispute settled' },
    });
    expect(resume.status, JSON.stringify(resume.body)).toBe(200);
    await runReminders(today);
    expect(await remindersOf(paused.number as string)).toHaveLength(1);
  }, 300_000);

  it('a payment recorded after the level was decided but before its claim wins: no reminder, no level', async () => {
    const invoice = await givenIssuedInvoice({ issuedOn: addDays(today, -38) });
    const { invoiceHeader } = await import('../../functions/adapters/dynamodb/invoices-store.ts');
    const { claimReminder, reminderHistory } = await import('../../functions/adapters/dynamodb/reminders-store.ts');
    const { sendReminder } = await import('../../functions/handlers/wiring/reminders.ts');
    const decidedOn = await invoiceHeader(invoice.id);
    expect(decidedOn?.status).toBe('issued');
    const payment = await call('POST', `/invoices/${invoice.id}/payments`, {
      as: 'billing',
      ifMatch: invoice.version,
      body: { paymentId: 'p1', amount: invoice.totals.balance, currency: 'EUR', date: today, method: 'bank' },
    });
    expect(payment.status).toBe(200);
    const at = new Date().toISOString();
    const outcome = await claimReminder({
      header: decidedOn as NonNullable<typeof decidedOn>,
      record: {
        invoiceId: invoice.id,
        level: 1,
        date: today,
        daysOverdue: 8,
        openAmount: invoice.totals.balance,
        currency: 'EUR',
        lateInterest: null,
        deliveryId: 'reminder-1',
        claimedAt: at,
        executionId: null,
      },
      audit: {
        action: 'reminder',
        actor: 'reminder-run',
        actorId: 'reminder-run',
        at,
        fromVersion: invoice.version,
        toVersion: invoice.version + 1,
        before: {},
        after: {},
      },
      delivery: {
        to: 'x@example.com',
        queuedBy: 'reminder-run',
        message: { level: 1, final: false, subject: 's', text: 't' },
      },
    });
    expect(outcome).toBe('header_changed');
    expect(await sendReminder({ invoiceId: invoice.id, date: today }, () => new Date().toISOString())).toMatchObject({
      outcome: 'skipped',
      reason: 'not_open',
    });
    expect((await reminderHistory(invoice.id)).reminders).toEqual([]);
    expect(await remindersOf(invoice.number as string)).toHaveLength(0);
  }, 120_000);

  it('a bank statement imported while the reminder run is going: no level twice, no reminder claimed after a payment', async () => {
    const { camt053 } = await import('../support/camt053.ts');
    const { postStatement } = await import('./api/bank-support.ts');
    const invoices = [];
    for (let n = 0; n < 6; n++) invoices.push(await givenIssuedInvoice({ issuedOn: addDays(today, -38) }));
    const paidByBank = invoices.filter((_, n) => n % 2 === 0);
    const statement = camt053({
      version: 8,
      statementId: `S-reminders-${invoices[0]?.id}`,
      entries: paidByBank.map((invoice, n) => ({
        amount: (invoice.totals.balance / 100).toFixed(2),
        structuredReference: (invoice as { paymentReference?: string }).paymentReference ?? null,
        accountServicerReference: `REM-${invoice.id}-${n}`,
        bookingDate: today,
      })),
    });
    const [execution, imported] = await Promise.all([
      runReminders(today),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return postStatement(statement);
      })(),
    ]);
    expect(execution.status, execution.cause).toBe('SUCCEEDED');
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    for (const invoice of invoices) {
      const label = invoice.id;
      const history = await call('GET', `/invoices/${invoice.id}/reminders`, { as: 'viewer' });
      expect(history.body.reminders.length, label).toBeLessThanOrEqual(1);
      expect((await remindersOf(invoice.number as string)).length, label).toBeLessThanOrEqual(1);
      const current = (await call('GET', `/invoices/${invoice.id}`, { as: 'viewer' })).body;
      const audit = (await call('GET', `/invoices/${invoice.id}/history?limit=100`, { as: 'viewer' })).body.items as {
        action: string;
        toVersion: number;
        after: { status?: string };
      }[];
      const reminded = audit.find((entry) => entry.action === 'reminder');
      if (paidByBank.includes(invoice)) {
        expect(current.status, label).toBe('paid');
        expect(current.payments, label).toHaveLength(1);
        const paidAt = audit.find((entry) => entry.after.status === 'paid');
        // A reminder, if any, was claimed on the unpaid invoice, before the payment.
        if (reminded) expect(reminded.toVersion, label).toBeLessThan(paidAt?.toVersion ?? 0);
      } else {
        expect(
          history.body.reminders.map((r: { level: number }) => r.level),
          label,
        ).toEqual([1]);
      }
    }
    // Run again: an invoice paid before its claim still gets none.
    await runReminders(today);
    for (const invoice of paidByBank) {
      const history = await call('GET', `/invoices/${invoice.id}/reminders`, { as: 'viewer' });
      expect(history.body.reminders.length).toBeLessThanOrEqual(1);
      expect((await remindersOf(invoice.number as string)).length).toBe(history.body.reminders.length);
    }
  }, 300_000);

  it('pause and resume refuse what does not fit: no reason, stale version, paused twice, not open', async () => {
    const invoice = await givenIssuedInvoice({ issuedOn: addDays(today, -40) });
    const path = `/invoices/${invoice.id}/reminders`;
    const noReason = await call('POST', `${path}/pause`, {
      as: 'billing',
      ifMatch: invoice.version,
      body: { reason: '  ' },
    });
    expect(noReason.status).toBe(422);
    expect(noReason.body.field).toBe('reason');
    const missing = await call('POST', `${path}/pause`, { as: 'billing', ifMatch: invoice.version, body: {} });
    expect(missing.status).toBe(400);
    const stale = await call('POST', `${path}/pause`, {
      as: 'billing',
      ifMatch: invoice.version - 1,
      body: { reason: 'x' },
    });
    expect(stale.status).toBe(412);
    const viewer = await call('POST', `${path}/pause`, {
      as: 'viewer',
      ifMatch: invoice.version,
      body: { reason: 'x' },
    });
    expect(viewer.status).toBe(403);
    const resumeFirst = await call('POST', `${path}/resume`, {
      as: 'billing',
      ifMatch: invoice.version,
      body: { reason: 'x' },
    });
    expect(resumeFirst.status).toBe(409);
    const paused = await call('POST', `${path}/pause`, {
      as: 'billing',
      ifMatch: invoice.version,
      body: { reason: 'x' },
    });
    expect(paused.status).toBe(200);
    const twice = await call('POST', `${path}/pause`, {
      as: 'billing',
      ifMatch: paused.body.invoice.version,
      body: { reason: 'y' },
    });
    expect(twice.status).toBe(409);
    const history = await call('GET', `/invoices/${invoice.id}/history`, { as: 'viewer' });
    expect(history.body.items.map((entry: { action: string }) => entry.action)).toContain('pause_reminders');
  }, 120_000);

  it('npm run reminder-run: the summary as the last line, and a future date refused', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'factuur-reminder-cli-'));
    try {
      writeFileSync(path.join(dataDir, 'urls.json'), JSON.stringify(cloud));
      const run = (date: string) =>
        spawnSync('npx', ['tsx', 'local/reminder-run.ts', '--date', date, '--json'], {
          env: { ...process.env, FACTUUR_DATA_DIR: dataDir },
          encoding: 'utf8',
          timeout: 180_000,
        });
      const future = run(addDays(today, 2));
      expect(future.status).toBe(1);
      expect(future.stderr).toContain('in the future');
      const past = run(addDays(today, -400));
      expect(past.status, past.stderr).toBe(0);
      const last = past.stdout.trim().split('\n').at(-1) ?? '';
      const summary = JSON.parse(last);
      expect(Object.keys(summary)).toEqual(['date', 'due', 'sent', 'skipped']);
      expect(summary).toMatchObject({ date: addDays(today, -400), sent: 0 });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('the workflow itself refuses a future date', async () => {
    const execution = await runReminders(addDays(today, 3));
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('ValidationFailed');
  }, 60_000);
});
