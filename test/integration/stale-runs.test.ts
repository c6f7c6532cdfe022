import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { LocalCloud, LocalCloudOptions } from '../../local/cloud.ts';
import type { TransactionRecord } from '../../functions/adapters/dynamodb/items.ts';

/**
 * Executions that die mid-run (StopExecution, the local cloud killed with DynamoDB Local, an execution timeout)
 * leave runs `running` and invoices `building`. Operators must see them as failed, with the execution's outcome, on
 * every read; one restart of the date must end with exactly the books of a run without faults.
 */
let cloud: LocalCloud;
let dataDir: string;
let options: LocalCloudOptions;

const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'factuur-stale-runs-'));
  const { startLocalCloud } = await import('../../local/cloud.ts');
  const { freePort } = await import('../../local/ports.ts');
  const { workflows } = await import('../../infra/definitions/workflows.ts');
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const invoiceRun = workflows.find((workflow) => workflow.name === 'invoice-run')!;
  const definition = JSON.parse(readFileSync(path.join(repositoryRoot, invoiceRun.file), 'utf8')) as object;
  options = {
    dataDir,
    faultInjection: true,
    // Fixed ports: the second scenario starts the cloud again, and handlers keep their endpoints.
    ports: {
      api: await freePort(),
      ses: await freePort(),
      dynamodb: await freePort(),
      stepfunctions: await freePort(),
    },
    // The invoice-run workflow with a whole-execution timeout of 3 s, for the timeout scenario.
    extraStateMachines: [
      {
        name: 'invoice-run-timeboxed',
        definition: { ...definition, TimeoutSeconds: 3 },
        taskHandlers: invoiceRun.tasks,
      },
    ],
  };
  cloud = await startLocalCloud(options);
}, 120_000);

afterAll(async () => {
  const { setFaultPlan } = await import('../../functions/shared/faults.ts');
  setFaultPlan(undefined);
  await cloud?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function givenDueProjects(day: number, runDate: string, count: number) {
  const data = await import('../support/billing-data.ts');
  const customer = await data.givenCustomer();
  const projects = [];
  const transactions: TransactionRecord[] = [];
  for (let index = 0; index < count; index++) {
    const project = await data.givenProject(customer.id, data.monthlyOn([day], '2004-01-01'));
    projects.push(project);
    // Every third project has nothing chargeable: its run ends "nothing to invoice", no invoice may remain.
    const work = index % 3 === 2 ? 0 : 2 + (index % 4);
    for (let n = 0; n < work; n++)
      transactions.push(data.transaction(project, n + index * 10, data.addDays(runDate, -(n + 2))));
  }
  await data.givenTransactions(transactions);
  return { projects, transactions };
}

/**
 * Every InvoiceProject of these projects stalls for 2 s after it claimed its run (so the execution is mid-run when
 * it dies), then its Lambda dies too (as it does when its execution is gone): the run stays `running`.
 */
async function stallRunsOf(projects: readonly { id: string }[]) {
  const { setFaultPlan } = await import('../../functions/shared/faults.ts');
  const ids = new Set(projects.map((project) => project.id));
  lastStalledActivity = Date.now();
  setFaultPlan((point) => {
    const [where, what, projectId] = point.split(':');
    if (where !== 'invoice-project' || !projectId || !ids.has(projectId)) return undefined;
    lastStalledActivity = Date.now();
    return what === 'claimed' ? 'stall' : what === 'built' ? 'crash' : undefined;
  });
}

/** When a handler of a stalled project last reached a fault point (a stalled one reaches the next 2 s later). */
let lastStalledActivity = 0;

/**
 * Handlers the dead execution left in flight (on AWS too, a Lambda outlives a stopped execution) end first: no
 * stalled project's handler has moved for 4 s, twice the stall, however slow the machine is.
 */
async function untilDeadExecutionsHandlersEnded() {
  const deadline = Date.now() + 90_000;
  while (Date.now() - lastStalledActivity < 4000) {
    if (Date.now() > deadline) throw new Error('handlers of the dead execution are still running after 90 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function api(method: string, route: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = await cloud.oidc.issueToken('operator');
  const response = await fetch(`${cloud.urls.api}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(method === 'POST' ? { 'idempotency-key': `stale-${crypto.randomUUID()}` } : {}),
    },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function untilSomeRunsRunning(runDate: string) {
  const { runsOfDate } = await import('../../functions/adapters/dynamodb/runs-store.ts');
  for (let tries = 0; tries < 200; tries++) {
    if ((await runsOfDate(runDate)).some((run) => run.status === 'running')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no run of ${runDate} became running`);
}

/** What operators see, then one restart of the date, then the books. */
async function operatorSeesFailedRunsAndRestartsOnce(
  runDate: string,
  projects: readonly { id: string }[],
  transactions: readonly TransactionRecord[],
  expectedError: string,
) {
  const { setFaultPlan } = await import('../../functions/shared/faults.ts');
  const { stepFunctionsClient, waitForExecution } = await import('../../local/invoice-run-client.ts');
  const checks = await import('../support/invoice-run-checks.ts');
  // Handlers the dead execution left in flight end first (their stall, then their crash).
  await untilDeadExecutionsHandlersEnded();
  setFaultPlan(undefined);

  const counts = await api('GET', `/runs?runDate=${runDate}`);
  expect(counts.status).toBe(200);
  expect((counts.body.counts as Record<string, number>).running ?? 0).toBe(0);
  expect((counts.body.counts as Record<string, number>).failed).toBeGreaterThan(0);
  const failed = await api('GET', '/runs/failed?limit=500');
  const ofDate = (failed.body.items as { runDate: string; failure: { error: string; state: string } }[]).filter(
    (run) => run.runDate === runDate,
  );
  expect(ofDate.length).toBe((counts.body.counts as Record<string, number>).failed);
  for (const run of ofDate) expect(run.failure).toMatchObject({ error: expectedError, state: 'Execution' });

  const restart = await api('POST', `/runs/${runDate}/restart`);
  expect(restart.status).toBe(202);
  expect(restart.body.executionArn).toEqual(expect.any(String));
  const execution = await waitForExecution(
    stepFunctionsClient(cloud.urls.stepfunctions),
    restart.body.executionArn as string,
    { timeoutMillis: 120_000 },
  );
  expect(execution.status, execution.cause).toBe('SUCCEEDED');
  const after = await api('GET', `/runs?runDate=${runDate}`);
  expect(after.body.counts).toEqual(
    expect.not.objectContaining({ running: expect.anything(), failed: expect.anything() }),
  );
  await checks.expectBooksOfFaultFreeRun(projects, transactions, runDate);
}

describe('runs whose execution died', () => {
  it('StopExecution mid-run: failed (ExecutionAborted) on read, one restart gives the books of a fault-free run', async () => {
    const runDate = '2004-07-15';
    const { projects, transactions } = await givenDueProjects(15, runDate, 9);
    await stallRunsOf(projects.slice(3));
    const { startInvoiceRun, stepFunctionsClient } = await import('../../local/invoice-run-client.ts');
    const sfn = stepFunctionsClient(cloud.urls.stepfunctions);
    const executionArn = await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run'), { runDate });
    await untilSomeRunsRunning(runDate);
    await sfn.send(new StopExecutionCommand({ executionArn }));
    await operatorSeesFailedRunsAndRestartsOnce(runDate, projects, transactions, 'ExecutionAborted');
  }, 240_000);

  it('the local cloud killed with DynamoDB Local mid-run and started again: one restart gives the books', async () => {
    const runDate = '2004-07-16';
    const { projects, transactions } = await givenDueProjects(16, runDate, 9);
    await stallRunsOf(projects.slice(3));
    const { startInvoiceRun, stepFunctionsClient } = await import('../../local/invoice-run-client.ts');
    const sfn = stepFunctionsClient(cloud.urls.stepfunctions);
    await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run'), { runDate });
    await untilSomeRunsRunning(runDate);
    // SIGKILL DynamoDB Local, then the whole cloud goes down (executions left RUNNING on disk) and comes back.
    await cloud.dynamodb.crashAndRestart(0);
    await cloud.stop();
    const { startLocalCloud } = await import('../../local/cloud.ts');
    cloud = await startLocalCloud(options);
    await operatorSeesFailedRunsAndRestartsOnce(runDate, projects, transactions, 'LocalCloud.Restarted');
  }, 240_000);

  it('an execution that times out: failed (States.Timeout) on read and by the reconciliation; one restart gives the books', async () => {
    const runDate = '2004-07-17';
    const { projects, transactions } = await givenDueProjects(17, runDate, 9);
    await stallRunsOf(projects);
    const { startInvoiceRun, stepFunctionsClient, waitForExecution } = await import(
      '../../local/invoice-run-client.ts'
    );
    const sfn = stepFunctionsClient(cloud.urls.stepfunctions);
    const executionArn = await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run-timeboxed'), { runDate });
    const ended = await waitForExecution(sfn, executionArn, { timeoutMillis: 60_000 });
    expect(ended.status).toBe('TIMED_OUT');
    // The scheduled reconciliation's task finds the stale runs without anyone reading them.
    const { handler } = await import('../../functions/handlers/workflow/reconcile-runs.ts');
    const { lambdaContext } = await import('../../local/lambda-runtime.ts');
    const reconciled = (await handler({}, lambdaContext('reconcile-runs'))) as { checked: number; stale: number };
    expect(reconciled.stale).toBeGreaterThan(0);
    await operatorSeesFailedRunsAndRestartsOnce(runDate, projects, transactions, 'States.Timeout');
  }, 240_000);
});
