import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '../support/test-cloud.ts';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { LocalCloud } from '../../local/cloud.ts';
import type { FaultKind } from '../../functions/shared/faults.ts';

/**
 * Reminders exactly once, under faults: overdue invoices at every level, some paid before the run; throttles and
 * Lambdas that die before and after the claim and around SES; one run of the date stopped halfway and started
 * again, and two runs of the date at once; operators run the date again until nothing failed. Then every open
 * invoice has exactly the level due (one REMINDER record, never two e-mails for it), the paid ones have none, and
 * every e-mail recorded as sent is in the inbox once. The seed is printed; FAULT_SEED=<n> repeats a run.
 */
const seed = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const invoiceCount = Number(process.env.FAULT_INVOICES ?? 24);

let cloud: LocalCloud;
let testCloud: TestCloud | undefined;

beforeAll(async () => {
  console.log(`reminder-run fault test: FAULT_SEED=${seed} (${invoiceCount} invoices)`);
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  testCloud = await startTestCloud('reminder-faults', {
    faultInjection: true,
    ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0 },
  });
  cloud = testCloud.cloud;
}, 120_000);

afterAll(async () => {
  const { setFaultPlan } = await import('../../functions/shared/faults.ts');
  setFaultPlan(undefined);
  await testCloud?.stop();
});

describe('reminder runs under faults', () => {
  it('give every open invoice its level exactly once and paid invoices none', async () => {
    const { setFaultPlan } = await import('../../functions/shared/faults.ts');
    const data = await import('../support/billing-data.ts');
    const { addDays, defaultReminderPlan, todayInZone } = await import('../../functions/domain/index.ts');
    const { invoiceHeader } = await import('../../functions/adapters/dynamodb/invoices-store.ts');
    const { runInvoiceId } = await import('../../functions/invoice-runs/invoice-project.ts');
    const { sendToCustomer } = await import('../../functions/handlers/wiring/sending.ts');
    const { recordInvoicePayment } = await import('../../functions/handlers/wiring/invoices.ts');
    const { reminderHistory } = await import('../../functions/adapters/dynamodb/reminders-store.ts');
    const { deliveriesOf } = await import('../../functions/adapters/dynamodb/deliveries-store.ts');
    const { generator } = await import('../../local/demo-data.ts');
    const { startInvoiceRun, stepFunctionsClient, waitForExecution } = await import(
      '../../local/invoice-run-client.ts'
    );
    const random = generator(seed);
    const sfn = stepFunctionsClient(cloud.urls.stepfunctions);
    const today = todayInZone(new Date(), 'Europe/Amsterdam');

    // The books: one project per invoice, drafts made by an invoice run, sent on a day that makes them overdue.
    const runDate = '2026-10-31';
    const customer = await data.givenCustomer({
      postalAddress: { lines: ['Markt 1'], postalCode: '1234 AB', city: 'Teststad', subdivision: null, country: 'NL' },
      electronicAddress: null,
    });
    const projects = [];
    for (let n = 0; n < invoiceCount; n++) {
      const project = await data.givenProject(customer.id, data.monthlyOn(['last'], '2026-01-01'), {
        buyerReference: 'PO-REMINDERS',
      });
      projects.push(project);
    }
    await data.givenTransactions(
      projects.map((project, n) => data.transaction(project, n * 4, '2026-10-10')),
      16,
    );
    const invoiceRun = await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run'), { runDate });
    expect((await waitForExecution(sfn, invoiceRun, { timeoutMillis: 300_000 })).status).toBe('SUCCEEDED');
    const invoices: { id: string; number: string; overdue: number; paid: boolean }[] = [];
    for (const project of projects) {
      const id = runInvoiceId(project.id, runDate);
      const draft = await invoiceHeader(id);
      if (draft?.status !== 'draft') continue;
      const overdue = [3, 8, 10, 22, 30, 36, 50][Math.floor(random() * 7)] as number;
      const sent = await sendToCustomer(
        id,
        draft.version,
        { username: 'billing', userId: 'test' },
        new Date(),
        addDays(today, -30 - overdue),
      );
      const paid = random() < 0.25;
      if (paid) {
        await recordInvoicePayment(
          id,
          sent.invoice.version,
          { paymentId: 'bank-1', amount: sent.invoice.totals.balance, currency: 'EUR', date: today, method: 'bank' },
          { username: 'billing', userId: 'test' },
          new Date(),
        );
      }
      invoices.push({ id, number: sent.invoice.number as string, overdue, paid });
    }
    expect(invoices.length).toBeGreaterThan(invoiceCount / 2);

    // Faults at the reminder's and the delivery's fault points, drawn from the seed.
    let faultsOn = true;
    let injected = 0;
    setFaultPlan((point): FaultKind | undefined => {
      if (!faultsOn || !(point.startsWith('reminder:') || point.startsWith('deliver:'))) return undefined;
      const roll = random();
      const fault = roll < 0.12 ? 'transient' : roll < 0.22 ? 'crash' : undefined;
      if (fault) injected += 1;
      return fault;
    });
    const arn = cloud.stateMachineArn('reminder-run');
    const run = async () =>
      waitForExecution(sfn, await startInvoiceRun(sfn, arn, { date: today }), { timeoutMillis: 600_000 });

    // A run killed halfway, then started again; and two runs of the same date at once.
    const killed = await startInvoiceRun(sfn, arn, { date: today });
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(random() * 700)));
    await sfn.send(new StopExecutionCommand({ executionArn: killed, error: 'Killed', cause: 'the test killed it' }));
    await Promise.all([run(), run()]);
    // Operators: run the date again until nothing failed (faults stop meanwhile).
    faultsOn = false;
    for (let round = 0; round < 3; round++) {
      const summary = JSON.parse((await run()).output ?? '{}');
      if (summary.failed === 0) break;
    }
    setFaultPlan(undefined);
    console.log(`reminder-run fault test: ${injected} faults injected`);
    expect(injected).toBeGreaterThan(0);

    // What the table says first, then the inbox: a Lambda of the stopped execution may still be finishing, and
    // whatever it sent after this point cannot make a delivery recorded as sent lack its e-mail.
    const recorded = new Map<
      string,
      { history: Awaited<ReturnType<typeof reminderHistory>>; deliveries: Awaited<ReturnType<typeof deliveriesOf>> }
    >();
    for (const invoice of invoices)
      recorded.set(invoice.id, {
        history: await reminderHistory(invoice.id),
        deliveries: (await deliveriesOf(invoice.id)).filter((delivery) => delivery.kind === 'reminder'),
      });
    const emails = (await (await fetch(`${cloud.urls.ses}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] } }[];
    };
    for (const invoice of invoices) {
      const { history, deliveries } = recorded.get(invoice.id) as NonNullable<ReturnType<typeof recorded.get>>;
      const reminderEmails = emails.emails.filter(
        (email) => email.subject.includes(invoice.number) && !email.subject.startsWith('Factuur '),
      );
      const label = `${invoice.id} (${invoice.overdue} days overdue, paid ${invoice.paid})`;
      const due = defaultReminderPlan.levels.filter((level) => level.daysAfterDue <= invoice.overdue).at(-1);
      if (invoice.paid || !due) {
        expect(history.reminders, label).toEqual([]);
        expect(reminderEmails, label).toEqual([]);
        continue;
      }
      // Exactly the level due, claimed once, for this date.
      expect(
        history.reminders.map((reminder) => [reminder.level, reminder.date]),
        label,
      ).toEqual([[due.level, today]]);
      expect(
        deliveries.map((delivery) => delivery.deliveryId),
        label,
      ).toEqual([`reminder-${due.level}`]);
      const [delivery] = deliveries;
      // Never two e-mails; one when it is recorded sent; an unknown outcome is never resent.
      expect(reminderEmails.length, label).toBeLessThanOrEqual(1);
      if (delivery?.status === 'sent') expect(reminderEmails, label).toHaveLength(1);
      expect(['sent', 'unknown', 'sending'], label).toContain(delivery?.status);
      const header = await invoiceHeader(invoice.id);
      expect(header?.lastReminder, label).toEqual({ level: due.level, date: today });
    }
  }, 900_000);
});
