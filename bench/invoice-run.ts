import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { startLocalCloud } from '../local/cloud.ts';
import { localClient } from '../local/dynamodb-local.ts';
import { startInvoiceRun, stepFunctionsClient, waitForExecution } from '../local/invoice-run-client.ts';
import { argument, flag, log, median, round, sleep } from './lib.ts';
import { DynamoCounter, type DynamoCounts } from './counting.ts';

/**
 * One invoice-run measurement on a fresh local cloud (in memory): P projects x T chargeable transactions due on one
 * run date; the floor (a plain script: the same reads, one conditional write per transaction, 8/16/32 in flight);
 * the workflow run from StartExecution to its end, with what it consumed (state transitions, Lambda invocations and
 * their durations, DynamoDB units); and optionally a sample of invoices issued and delivered (Send + outbox sweep)
 * for the cost per invoice.
 *
 *   tsx bench/invoice-run.ts --projects 100 --transactions 100 [--floor-reps 3] [--send 10] --out result.json
 */
const projects = Number(argument('projects'));
const transactionsPerProject = Number(argument('transactions'));
const floorReps = Number(argument('floor-reps', '0'));
/** Projects whose transactions the floor writes (0: all); the floor time is then all transactions at the sampled rate (--quick). */
const floorSample = Number(argument('floor-sample', '0'));
const sendSample = Number(argument('send', '0'));
const warmUpProjects = Number(argument('warm-up', '20'));
/** Repetitions of the measured run (each on its own run date, over its own month of transactions); the median counts. */
const runReps = Number(argument('run-reps', '1'));
/** --by-ids: start the run with the due projects' ids, 200 per execution, instead of as the schedule does. */
const byIds = flag('by-ids');
const out = argument('out');
const levels = [8, 16, 32];
const runDates = ['2025-03-15', '2025-05-15', '2025-06-15', '2025-07-15', '2025-08-15'];
const billingStart = '2025-01-01';

export interface ExecutionUsage {
  readonly millis: number;
  readonly stateTransitions: number;
  readonly historyEvents: number;
  readonly lambdaInvocations: number;
  readonly lambdaMillis: number;
  /** Task states entered, by state name (one Lambda invocation each). */
  readonly tasks: Record<string, number>;
  /** States entered, by state name (Express children are billed per request and duration, not per transition). */
  readonly statesEntered: Record<string, number>;
}

interface RunRepetition {
  readonly usage: ExecutionUsage;
  readonly runCounts: DynamoCounts;
  readonly created: number;
}

export interface InvoiceRunResult {
  readonly projects: number;
  readonly transactionsPerProject: number;
  readonly transactions: number;
  readonly invoicesCreated: number;
  /** Due projects the run did not invoice (should be 0). */
  readonly projectsMissed: number;
  readonly run: ExecutionUsage & { readonly dynamodb: DynamoCounts };
  /** Every repetition's time (ms); `run` is the median one. */
  readonly runMillis: readonly number[];
  readonly transactionsPerSecond: number;
  readonly floor?: {
    /** Milliseconds of one pass (reads + one conditional write per transaction), per level, each repetition. */
    readonly passes: Record<string, number[]>;
    readonly bestLevel: number;
    /** Transactions the floor wrote per pass; millis is the time for all of them at its rate. */
    readonly sampledTransactions: number;
    readonly millis: number;
    readonly writesPerSecond: number;
    /** Write units the floor's requests consumed per transaction written (one unit: the check of the counting). */
    readonly writeUnitsPerTransaction: number;
  };
  /** One batch run alone (the AWS model's per-page time). */
  readonly soloBatch?: { readonly projects: number; readonly millis: number; readonly usage: ExecutionUsage };
  readonly sending?: {
    readonly invoices: number;
    readonly detailsPerInvoice: number;
    /** The Send API call (issue + queue the e-mail), one per invoice, timed in the bench. */
    readonly send: { readonly invocations: number; readonly lambdaMillis: number; readonly dynamodb: DynamoCounts };
    readonly deliver: ExecutionUsage & {
      readonly dynamodb: DynamoCounts;
      readonly messages: number;
      readonly messageBytes: number;
    };
  };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'factuur-bench-cloud-'));
const cloud = await startLocalCloud({
  ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0 },
  dataDir,
  inMemory: true,
  fresh: true,
});
try {
  const result = await measure();
  writeFileSync(out, JSON.stringify(result, null, 2));
} finally {
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

async function measure(): Promise<InvoiceRunResult> {
  // Imported after startLocalCloud has put the handler environment into process.env (module-scope clients).
  const { dynamodb, tableName } = await import('../functions/adapters/dynamodb/client.ts');
  const { transactionItem, transactionKeyItem } = await import('../functions/adapters/dynamodb/transactions-store.ts');
  const stored = (record: Parameters<typeof transactionItem>[0]) => [
    transactionItem(record),
    transactionKeyItem(record),
  ];
  const { givenCustomer, givenProject, monthlyOn, transaction } = await import('../test/support/billing-data.ts');
  const counter = new DynamoCounter();
  counter.attach(dynamodb);
  const sfn = stepFunctionsClient(cloud.urls.stepfunctions);
  const plainClient = localClient(cloud.urls.dynamodb);
  const plain = DynamoDBDocumentClient.from(plainClient);
  // The floor's requests are counted as the run's are (ReturnConsumedCapacity on each): the same work per request.
  const floorCounter = new DynamoCounter();
  floorCounter.attach(plainClient);
  const table = tableName();

  // Seeding (not timed, not counted): projects through the store, transactions as the store writes them, in batches.
  // A customer Send accepts (structured address, Peppol id): the bench issues through the pre-issue check, as Send does.
  const { demoCustomers } = await import('../local/demo-data.ts');
  const { postalAddress, electronicAddress } = demoCustomers[0] ?? {};
  const customer = await givenCustomer({ id: 'c-bench', postalAddress, electronicAddress });
  const records = new Map<string, Parameters<typeof transaction>[0]>();
  const seeded = await seed(projects, transactionsPerProject, 'p-bench');
  async function seedMonth(ids: readonly string[], perProject: number, month: string, offset: number) {
    const items: Record<string, unknown>[] = [];
    for (const id of ids) {
      const project = records.get(id)!;
      for (let n = 0; n < perProject; n++)
        items.push(...stored(transaction(project, offset + n, `${month}-${String(1 + (n % 14)).padStart(2, '0')}`)));
    }
    await batchWrite(items);
  }
  async function seed(count: number, perProject: number, prefix: string, month = '2025-03', runDay = 15) {
    const projectsSeeded = await pool(
      Array.from({ length: count }, (_, p) => `${prefix}-${String(p).padStart(5, '0')}`),
      16,
      (id) => givenProject(customer.id, monthlyOn([runDay], billingStart), { id, buyerReference: 'ZAANSTAD-2025' }),
    );
    const ids = projectsSeeded.map((project) => project.id);
    for (const project of projectsSeeded) records.set(project.id, project);
    const items: Record<string, unknown>[] = [];
    for (const project of projectsSeeded) {
      for (let n = 0; n < perProject; n++)
        items.push(...stored(transaction(project, n, `${month}-${String(1 + (n % 14)).padStart(2, '0')}`)));
    }
    await batchWrite(items);
    log(`seeded ${count} x ${perProject}`);
    return ids;
  }
  async function batchWrite(items: Record<string, unknown>[]) {
    const batches: Record<string, unknown>[][] = [];
    for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
    await pool(batches, 16, async (batch) => {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const answer = await plain.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (answer.UnprocessedItems?.[table] ?? []) as typeof requests;
        if (requests.length > 0) await sleep(50);
      }
    });
  }

  // Warm-up (not timed, not counted): a run of --warm-up projects (20) x 100 transactions on an earlier run date first, so that the
  // measured run includes neither loading and compiling the handler modules with tsx, which a deployed Lambda does
  // not do (its cold start is in the import bench), nor the just-in-time compilation of DynamoDB Local's transaction
  // path in its fresh JVM. Without it the first ten projects took 3.7 s each and the later ones 2 s: a fixed 10 s
  // that made the 100 x 100 run look 50% slower per transaction than the 400 x 100 one.
  // Its projects run on the 14th, so they are not due on the measured run date.
  const warm = await seed(warmUpProjects, 100, 'p-warm-up', '2025-02', 14);
  const warmUp = await waitForExecution(
    sfn,
    await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run'), { runDate: '2025-02-14', projectIds: warm }),
  );
  if (warmUp.status !== 'SUCCEEDED') throw new Error(`the warm-up run ended ${warmUp.status}`);

  const floor =
    floorReps > 0
      ? await measureFloor(plain, floorCounter, table, floorSample > 0 ? seeded.slice(0, floorSample) : seeded)
      : undefined;

  // The same projects get one month of transactions per further repetition (not timed, not counted).
  for (let rep = 1; rep < runReps; rep++)
    await seedMonth(seeded, transactionsPerProject, runDates[rep]!.slice(0, 7), rep * transactionsPerProject);
  const repetitions: RunRepetition[] = [];
  for (let rep = 0; rep < runReps; rep++) repetitions.push(await measuredRun(runDates[rep]!));
  // The median repetition by time stands for the run (its own usage and units); every repetition's time is kept.
  const median = [...repetitions].sort((a, b) => a.usage.millis - b.usage.millis)[Math.floor(runReps / 2)]!;
  const { usage, runCounts, created } = median;
  const total = created * transactionsPerProject;
  log(
    `run ${projects} x ${transactionsPerProject}: ${round(usage.millis / 1000)} s, ${round(total / (usage.millis / 1000), 0)} tx/s (median of ${runReps}: ${repetitions.map((r) => round(r.usage.millis / 1000, 1)).join(', ')} s)`,
  );

  const sending = sendSample > 0 ? await measureSending() : undefined;
  const soloBatch = flag('solo-batch') ? await measureSoloBatch() : undefined;

  return {
    projects,
    transactionsPerProject,
    transactions: total,
    projectsMissed: projects - created,
    invoicesCreated: created,
    run: { ...usage, dynamodb: runCounts },
    runMillis: repetitions.map((repetition) => repetition.usage.millis),
    transactionsPerSecond: total / (usage.millis / 1000),
    ...(floor ? { floor } : {}),
    ...(sending ? { sending } : {}),
    ...(soloBatch ? { soloBatch } : {}),
  };

  /**
   * One batch alone (BATCH_SIZE projects x T, started by ids, nothing else running): the time of an execution whose
   * page is one batch, for the AWS model, where every batch of a page runs in its own Lambda at once (not counted).
   */
  async function measureSoloBatch(): Promise<NonNullable<InvoiceRunResult['soloBatch']>> {
    const { BATCH_SIZE } = await import('../functions/invoice-runs/find-due-projects.ts');
    const ids = await seed(BATCH_SIZE, transactionsPerProject, 'p-solo', '2025-09');
    const executionArn = await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run'), {
      runDate: '2025-10-15',
      projectIds: ids,
    });
    const execution = await waitForExecution(sfn, executionArn);
    if (execution.status !== 'SUCCEEDED') throw new Error(`the solo batch ended ${execution.status}`);
    const usage = await executionUsage(sfn, executionArn);
    return { projects: BATCH_SIZE, millis: usage.millis, usage };
  }

  async function measuredRun(date: string): Promise<RunRepetition> {
    // One execution for the run date, as the schedule starts it; the workflow pages through the due projects itself.
    // (--by-ids starts one execution per 200 project ids instead, the input operators' restarts use.)
    const pages: (readonly string[] | undefined)[] = [];
    if (byIds) for (let start = 0; start < seeded.length; start += 200) pages.push(seeded.slice(start, start + 200));
    else pages.push(undefined);
    counter.enabled = true;
    const usages: ExecutionUsage[] = [];
    let created = 0;
    let failed = 0;
    let lastOutput = '';
    for (const page of pages) {
      const executionArn = await startInvoiceRun(
        sfn,
        cloud.stateMachineArn('invoice-run'),
        page ? { runDate: date, projectIds: page } : { runDate: date },
      );
      const execution = await waitForExecution(sfn, executionArn, { timeoutMillis: 60 * 60_000 });
      if (execution.status !== 'SUCCEEDED')
        throw new Error(`the invoice run ended ${execution.status}: ${execution.cause ?? ''}`);
      const pageSummary = (
        JSON.parse(execution.output ?? '[]') as { runDate: string; created: number; failed: number }[]
      ).find((entry) => entry.runDate === date);
      created += pageSummary?.created ?? 0;
      failed += pageSummary?.failed ?? 0;
      lastOutput = execution.output ?? '';
      usages.push(await executionUsage(sfn, executionArn));
    }
    counter.enabled = false;
    const runCounts = counter.reset();
    const summary = { created, failed };
    if (failed !== 0) throw new Error(`the run failed projects: ${lastOutput}`);
    // Reported, not thrown: a run that leaves due projects out is a finding of the bench (run.ts marks it NOT met).
    if (summary.created !== projects)
      log(`the run invoiced ${summary.created} of ${projects} due projects: ${lastOutput}`);
    const usage: ExecutionUsage = {
      millis: usages.reduce((sum, u) => sum + u.millis, 0),
      stateTransitions: usages.reduce((sum, u) => sum + u.stateTransitions, 0),
      historyEvents: usages.reduce((sum, u) => sum + u.historyEvents, 0),
      lambdaInvocations: usages.reduce((sum, u) => sum + u.lambdaInvocations, 0),
      lambdaMillis: usages.reduce((sum, u) => sum + u.lambdaMillis, 0),
      tasks: usages.reduce<Record<string, number>>((all, u) => {
        for (const [name, count] of Object.entries(u.tasks)) all[name] = (all[name] ?? 0) + count;
        return all;
      }, {}),
      statesEntered: usages.reduce<Record<string, number>>((all, u) => {
        for (const [name, count] of Object.entries(u.statesEntered)) all[name] = (all[name] ?? 0) + count;
        return all;
      }, {}),
    };
    return { usage, runCounts, created: summary.created };
  }

  /**
   * Send: issue (issueInvoice, the atomic core of Send: number, issue and the queued e-mail in one transaction, then
   * the transactions marked billed), then the outbox sweep workflow renders the PDF and UBL and sends.
   * The sample is a second small run of projects with 90 transactions each (not counted).
   */
  async function measureSending(): Promise<NonNullable<InvoiceRunResult['sending']>> {
    const detailsPerInvoice = 90;
    const { firmProfile } = await import('../local/demo-data.ts');
    const { keys } = await import('../functions/adapters/dynamodb/keys.ts');
    const { issueInvoice } = await import('../functions/handlers/wiring/sending.ts');
    const { runInvoiceId } = await import('../functions/invoice-runs/invoice-project.ts');
    await plain.send(
      new PutCommand({ TableName: table, Item: { ...keys.firmProfile(), entity: 'FirmProfile', ...firmProfile } }),
    );
    const sample = await seed(sendSample, detailsPerInvoice, 'p-send');
    const sampleRunDate = '2025-04-15';
    const sampleRun = await waitForExecution(
      sfn,
      await startInvoiceRun(sfn, cloud.stateMachineArn('invoice-run'), { runDate: sampleRunDate, projectIds: sample }),
    );
    if (sampleRun.status !== 'SUCCEEDED') throw new Error(`the sample run ended ${sampleRun.status}`);

    counter.enabled = true;
    let sendMillis = 0;
    for (const projectId of sample) {
      const started = performance.now();
      const invoiceId = runInvoiceId(projectId, sampleRunDate);
      const now = new Date().toISOString();
      // Send's own work: issue (the delivery is queued in the same transaction) and mark the transactions billed.
      await issueInvoice(invoiceId, 1, { actor: 'bench', now, today: '2025-04-16' }, 'bench', {
        supplier: firmProfile,
        contractLineNames: {},
        requireApproval: false,
        to: customer.email ?? 'ap@example.com',
      });
      sendMillis += performance.now() - started;
    }
    const sendCounts = counter.reset();
    const sweepArn = (
      await sfn.send(
        new (
          await import('@aws-sdk/client-sfn')
        ).StartExecutionCommand({ stateMachineArn: cloud.stateMachineArn('deliver-invoices'), input: '{}' }),
      )
    ).executionArn!;
    const sweep = await waitForExecution(sfn, sweepArn);
    counter.enabled = false;
    const deliverCounts = counter.reset();
    if (sweep.status !== 'SUCCEEDED') throw new Error(`the outbox sweep ended ${sweep.status}: ${sweep.cause ?? ''}`);
    const delivered = (JSON.parse(sweep.output ?? '{}') as { delivered?: number }).delivered ?? 0;
    if (delivered !== sample.length)
      throw new Error(`the sweep delivered ${delivered} of ${sample.length}: ${sweep.output}`);
    const store = (await (await fetch(`${cloud.urls.ses}/store`)).json()) as { emails?: unknown[] };
    const messageBytes = (store.emails ?? []).reduce<number>(
      (sum, email) => sum + Buffer.byteLength(JSON.stringify(email)),
      0,
    );
    return {
      invoices: sample.length,
      detailsPerInvoice,
      send: { invocations: sample.length, lambdaMillis: sendMillis, dynamodb: sendCounts },
      deliver: { ...(await executionUsage(sfn, sweepArn)), dynamodb: deliverCounts, messages: delivered, messageBytes },
    };
  }
}

/** The floor: a plain script against the same DynamoDB Local, the same transactions, no workflow and no Lambda. */
async function measureFloor(
  plain: DynamoDBDocumentClient,
  counter: DynamoCounter,
  table: string,
  projectIds: readonly string[],
) {
  const passes: Record<string, number[]> = Object.fromEntries(levels.map((level) => [String(level), [] as number[]]));
  counter.enabled = true;
  for (let rep = 0; rep < floorReps; rep++) {
    for (const level of levels) {
      const started = performance.now();
      // The same reads as the run: each project's backlog up to the cut-off (its partition, A5), then one conditional
      // write per transaction on the same keys, interleaving projects so that requests in flight go to different
      // partitions (PROJECT#<p> each).
      const backlogs = await pool(projectIds, level, async (projectId) => queryAll(plain, table, projectId));
      const writes: { pk: string; sk: string; version: number }[] = [];
      for (let n = 0; n < transactionsPerProject; n++)
        for (const backlog of backlogs) if (backlog[n]) writes.push(backlog[n]!);
      if (writes.length !== projectIds.length * transactionsPerProject)
        throw new Error(`the floor read ${writes.length} transactions`);
      await pool(writes, level, (item) =>
        plain.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET version = :version',
            ConditionExpression: 'billingState = :unbilled AND version = :version',
            ExpressionAttributeValues: { ':unbilled': 'unbilled', ':version': item.version },
          }),
        ),
      );
      const millis = performance.now() - started;
      passes[String(level)]!.push(millis);
      log(`floor ${level} in flight: ${round(millis / 1000)} s, ${round(writes.length / (millis / 1000), 0)} writes/s`);
    }
  }
  counter.enabled = false;
  const counts = counter.reset();
  const medians = levels.map((level) => ({ level, millis: median(passes[String(level)]!) }));
  const best = medians.reduce((a, b) => (b.millis < a.millis ? b : a));
  const sampled = projectIds.length * transactionsPerProject;
  const writesPerSecond = sampled / (best.millis / 1000);
  return {
    passes,
    bestLevel: best.level,
    sampledTransactions: sampled,
    millis: ((projects * transactionsPerProject) / writesPerSecond) * 1000,
    writesPerSecond,
    writeUnitsPerTransaction: counts.writeUnits / (floorReps * levels.length * sampled),
  };
}

async function queryAll(
  plain: DynamoDBDocumentClient,
  table: string,
  projectId: string,
): Promise<{ pk: string; sk: string; version: number }[]> {
  const items: { pk: string; sk: string; version: number }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await plain.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :project AND sk BETWEEN :first AND :upTo',
        FilterExpression: 'billingState = :unbilled',
        ExpressionAttributeValues: {
          ':project': `PROJECT#${projectId}`,
          ':first': 'TX#',
          ':upTo': 'TX#2025-03-14#\uffff',
          ':unbilled': 'unbilled',
        },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? [])
      items.push({ pk: item.pk as string, sk: item.sk as string, version: item.version as number });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Runs `work` over `items` with at most `inFlight` at a time; results in item order. */
async function pool<T, R>(items: readonly T[], inFlight: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

/**
 * What an execution used, from GetExecutionHistory: its time (ExecutionStarted to its end), the state transitions
 * Step Functions bills (one per state entered), the Lambda invocations and their summed durations (the sum of all
 * Task exit timestamps minus the sum of all Task entry timestamps: no pairing needed).
 */
async function executionUsage(
  sfn: ReturnType<typeof stepFunctionsClient>,
  executionArn: string,
): Promise<ExecutionUsage> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const at = (event: HistoryEvent) => event.timestamp!.getTime();
  const started = events.find((event) => event.type === 'ExecutionStarted');
  const ended = events.find((event) => event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed');
  if (!started || !ended) throw new Error('the execution history has no start or end');
  // Task state time is the Lambda's duration here (the handler runs in-process, nothing between). Paired by sums:
  // every Task state entered is exited (a caught failure exits too; an uncaught one fails the run).
  const entered = events.filter((event) => event.type === 'TaskStateEntered');
  const exited = events.filter((event) => event.type === 'TaskStateExited');
  if (entered.length !== exited.length)
    throw new Error(`${entered.length} Task states entered but ${exited.length} exited`);
  const sum = (list: HistoryEvent[]) => list.reduce((total, event) => total + at(event), 0);
  const types: Record<string, number> = {};
  for (const event of events) types[event.type ?? ''] = (types[event.type ?? ''] ?? 0) + 1;
  if (process.env.BENCH_DEBUG) {
    log(JSON.stringify(types));
    const spans: Record<string, [number, number]> = {};
    for (const event of events) {
      const name = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
      if (!name) continue;
      const offset = at(event) - at(started);
      spans[name] ??= [offset, offset];
      const span = spans[name];
      span[0] = Math.min(span[0], offset);
      span[1] = Math.max(span[1], offset);
    }
    log(`state spans (ms from start, first..last event): ${JSON.stringify(spans)}`);
    const done: number[] = [];
    for (const event of events)
      if (event.type === 'SucceedStateEntered')
        done[Math.floor((at(event) - at(started)) / 5000)] =
          (done[Math.floor((at(event) - at(started)) / 5000)] ?? 0) + 1;
    log(`projects done per 5 s: ${Array.from(done, (count) => count ?? 0).join(' ')}`);
  }
  const statesEntered: Record<string, number> = {};
  for (const event of events) {
    const name = event.type?.endsWith('StateEntered') ? event.stateEnteredEventDetails?.name : undefined;
    if (name) statesEntered[name] = (statesEntered[name] ?? 0) + 1;
  }
  const tasks: Record<string, number> = {};
  for (const event of entered) {
    const name = event.stateEnteredEventDetails?.name ?? '';
    tasks[name] = (tasks[name] ?? 0) + 1;
  }
  return {
    millis: at(ended) - at(started),
    stateTransitions: events.filter((event) => event.type?.endsWith('StateEntered')).length,
    historyEvents: events.length,
    lambdaInvocations: entered.length,
    lambdaMillis: sum(exited) - sum(entered),
    tasks,
    statesEntered,
  };
}
