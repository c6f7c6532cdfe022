import './handler-environment.ts';
import { describe, expect, it } from 'vitest';
import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { buildInvoice, cutOffFor } from '../../functions/domain/index.ts';
import { billingContext } from '../../functions/adapters/dynamodb/projects-store.ts';
import {
  advanceCalendar,
  failedRuns,
  getRun,
  lastScheduledRunDate,
} from '../../functions/adapters/dynamodb/runs-store.ts';
import { runInvoiceId } from '../../functions/invoice-runs/invoice-project.ts';
import { startInvoiceRun, waitForExecution } from '../../local/invoice-run-client.ts';
import { stateMachineArn } from '../../local/handler-environment.ts';
import {
  givenCustomer,
  givenProject,
  givenTransactions,
  monthlyOn,
  transaction,
  weeklyOn,
} from '../support/billing-data.ts';
import { draftsOf, expectHeldBy, expectTotalsAddUp, largestItemBytes } from '../support/invoice-run-checks.ts';
import { sfn } from './clients.ts';

const invoiceRun = stateMachineArn('invoice-run');

async function run(input: Parameters<typeof startInvoiceRun>[2], name?: string) {
  const execution = await waitForExecution(sfn, await startInvoiceRun(sfn, invoiceRun, input, name), {
    timeoutMillis: 300_000,
  });
  expect(execution.status, execution.cause).toBe('SUCCEEDED');
  return JSON.parse(execution.output ?? '[]') as {
    runDate: string;
    due: number;
    created: number;
    nothingToInvoice: number;
    failed: number;
  }[];
}

// Run dates lie in the past (run dates after today are refused): 2003 and 2004 have the calendar of 2031 and 2032.
describe('the invoice-run workflow on the local cloud', () => {
  it('makes one draft per due project from what is chargeable up to the cut-off, and none on a second run', async () => {
    const runDate = '2003-01-15';
    const customer = await givenCustomer();
    const due = await givenProject(customer.id, monthlyOn([15, 'last'], '2002-12-01'));
    const notDue = await givenProject(customer.id, monthlyOn([10], '2002-12-01'));
    const idle = await givenProject(customer.id, monthlyOn([15], '2002-12-01'));
    const eligible = [1, 2, 3, 4, 5, 6].map((n) => transaction(due, n, `2003-01-${String(n + 5).padStart(2, '0')}`));
    const onCutOff = transaction(due, 7, cutOffFor(runDate));
    const afterCutOff = transaction(due, 8, runDate);
    const onHold = transaction(due, 9, '2003-01-02', { onHold: true });
    const notApproved = transaction(due, 10, '2003-01-02', { approved: false });
    const internal = transaction(due, 11, '2003-01-02', { billingType: 'non_chargeable' });
    const complimentary = transaction(due, 12, '2003-01-03', { billingType: 'complimentary' });
    await givenTransactions([
      ...eligible,
      onCutOff,
      afterCutOff,
      onHold,
      notApproved,
      internal,
      complimentary,
      transaction(notDue, 1, '2003-01-05'),
    ]);

    const [first] = await run({ runDate });
    expect(first).toMatchObject({ runDate });
    const drafts = await draftsOf(due.id);
    expect(drafts).toHaveLength(1);
    const invoiceId = runInvoiceId(due.id, runDate);
    expect(drafts[0]).toMatchObject({
      id: invoiceId,
      status: 'draft',
      cutOff: '2003-01-14',
      origin: { kind: 'run', key: `${due.id}#${runDate}` },
    });
    await expectHeldBy(
      invoiceId,
      [...eligible, onCutOff, complimentary].map((item) => item.id),
    );
    await expectTotalsAddUp(invoiceId);
    expect(await draftsOf(notDue.id)).toEqual([]);
    expect(await getRun(due.id, runDate)).toMatchObject({ status: 'invoiced', invoiceId });
    expect(await getRun(idle.id, runDate)).toMatchObject({ status: 'nothing_to_invoice', invoiceId: null });
    expect(await getRun(notDue.id, runDate)).toBeUndefined();

    // What the domain builds from the same data is exactly what the run stored.
    const context = await billingContext(due.id);
    const expected = buildInvoice({
      invoiceId,
      origin: { kind: 'run' },
      project: context!.project,
      transactions: [...eligible, onCutOff, afterCutOff, onHold, notApproved, internal, complimentary].map((item) => ({
        ...item,
        reservedBy: null,
      })),
      milestones: [],
      runDate,
      cutOff: cutOffFor(runDate),
    });
    expect(expected.outcome).toBe('draft');
    if (expected.outcome === 'draft') expect(drafts[0]?.totals).toEqual(expected.invoice.totals);

    const [second] = await run({ runDate });
    expect(second).toMatchObject({ runDate, created: 0 });
    expect(await draftsOf(due.id)).toHaveLength(1);
  });

  it('ends with one invoice per project when the same run date is started twice at once', async () => {
    const runDate = '2003-02-17';
    const customer = await givenCustomer();
    const projects = await Promise.all(
      [1, 2, 3, 4, 5].map(() => givenProject(customer.id, weeklyOn('monday', '2003-01-01'))),
    );
    await givenTransactions(
      projects.flatMap((project) => Array.from({ length: 30 }, (_, n) => transaction(project, n, `2003-02-1${n % 6}`))),
    );
    await Promise.all([run({ runDate }), run({ runDate })]);
    for (const project of projects) {
      const drafts = await draftsOf(project.id);
      expect(drafts.map((draft) => draft.id)).toEqual([runInvoiceId(project.id, runDate)]);
      expect(drafts[0]?.detailCount).toBe(30);
      await expectTotalsAddUp(drafts[0]!.id);
    }
  });

  it('catches up every run date missed since the last scheduled run, oldest first, each with its own cut-off', async () => {
    const customer = await givenCustomer();
    const daily = [
      await givenProject(customer.id, weeklyOn('monday', '2003-03-01')),
      await givenProject(customer.id, weeklyOn('tuesday', '2003-03-01')),
      await givenProject(customer.id, weeklyOn('wednesday', '2003-03-01')),
    ];
    await givenTransactions(
      daily.flatMap((project) => [transaction(project, 1, '2003-03-08'), transaction(project, 2, '2003-03-11')]),
    );
    await advanceCalendar('2003-03-09', new Date().toISOString());
    // 05:00 in Amsterdam on Wednesday 2003-03-12 is 04:00 UTC.
    const summaries = await run({ scheduledTime: '2003-03-12T04:00:00Z' });
    expect(summaries.map((summary) => summary.runDate)).toEqual(['2003-03-10', '2003-03-11', '2003-03-12']);
    expect(await lastScheduledRunDate()).toBe('2003-03-12');
    const monday = await draftsOf(daily[0]!.id);
    expect(monday[0]?.cutOff).toBe('2003-03-09');
    expect(monday[0]?.detailCount).toBe(1); // the work of 03-11 is after Monday's cut-off
    const wednesday = await draftsOf(daily[2]!.id);
    expect(wednesday[0]?.detailCount).toBe(2);
    // A second fire of the same schedule finds nothing left to run.
    expect(await run({ scheduledTime: '2003-03-12T04:00:00Z' })).toEqual([]);
  });

  it('records a failing project as a failed run with its error and state, and does not stop the others', async () => {
    const runDate = '2003-04-15';
    const customer = await givenCustomer();
    const healthy = await givenProject(customer.id, monthlyOn([15], '2003-01-01'));
    const broken = await givenProject('no-such-customer', monthlyOn([15], '2003-01-01'));
    await givenTransactions([transaction(healthy, 1, '2003-04-01'), transaction(broken, 1, '2003-04-01')]);
    const [summary] = await run({ runDate });
    expect(summary).toMatchObject({ failed: 1 });
    expect(await getRun(healthy.id, runDate)).toMatchObject({ status: 'invoiced' });
    const failed = await getRun(broken.id, runDate);
    expect(failed).toMatchObject({ status: 'failed', failure: { error: 'Error', state: 'InvoiceProject' } });
    expect(failed?.failure?.cause).toContain('no-such-customer');
    const listed = await failedRuns(10, undefined, runDate);
    expect(listed.runs.map((item) => item.projectId)).toEqual([broken.id]);
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: failed!.failure!.executionId, maxResults: 1000 }),
    );
    expect(
      history.events?.some(
        (event) => event.type === 'TaskStateEntered' && event.stateEnteredEventDetails?.name === 'RecordRunFailure',
      ),
    ).toBe(true);
  });

  it('turns a project with 20,000 transactions into one draft whose largest item stays under 50 KB', async () => {
    const runDate = '2003-05-15';
    const customer = await givenCustomer();
    const big = await givenProject(customer.id, monthlyOn([15], '2003-01-01'));
    await givenTransactions(
      Array.from({ length: 20_000 }, (_, n) => transaction(big, n, `2003-05-${String(1 + (n % 14)).padStart(2, '0')}`)),
      32,
    );
    await run({ runDate: runDate });
    const [draft] = await draftsOf(big.id);
    expect(draft).toMatchObject({ status: 'draft', detailCount: 20_000 });
    await expectTotalsAddUp(draft!.id);
    expect(await largestItemBytes(draft!.id)).toBeLessThan(50_000);
  }, 600_000);

  it('invoices every due project when more are due than fit one page of the workflow', async () => {
    const runDate = '2003-06-20';
    const customer = await givenCustomer();
    const projects = [];
    for (let start = 0; start < 450; start += 25) {
      projects.push(
        ...(await Promise.all(
          Array.from({ length: 25 }, () => givenProject(customer.id, monthlyOn([20], '2003-06-01'))),
        )),
      );
    }
    await givenTransactions(
      projects.map((project) => transaction(project, 1, '2003-06-10')),
      32,
    );
    const [summary] = await run({ runDate });
    expect(summary).toMatchObject({ runDate, due: 450, created: 450 });
  }, 600_000);
});
