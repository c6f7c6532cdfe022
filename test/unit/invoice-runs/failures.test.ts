import { afterEach, describe, expect, it } from 'vitest';
import { completeRunDate } from '../../../functions/invoice-runs/complete-run-date.ts';
import { invoiceProject, runInvoiceId } from '../../../functions/invoice-runs/invoice-project.ts';
import { invoiceProjects } from '../../../functions/invoice-runs/invoice-projects.ts';
import { MAX_CATCH_UP_DAYS, planRunDates } from '../../../functions/invoice-runs/plan-run-dates.ts';
import {
  reconciledRunsOfDate,
  reconcileRunningRuns,
  reconcileRuns,
  STALE_STATE,
} from '../../../functions/invoice-runs/reconcile-runs.ts';
import { recordRunFailure } from '../../../functions/invoice-runs/record-run-failure.ts';
import { restartFailedRuns, RunNotFailed } from '../../../functions/invoice-runs/restart-runs.ts';
import { TransientError } from '../../../functions/shared/errors.ts';
import { setFaultPlan } from '../../../functions/shared/faults.ts';
import { conflict, problemOf } from '../../../functions/shared/http/problems.ts';
import { project, tx } from '../domain/fixtures.ts';
import { MemoryRuns } from './memory-ports.ts';
import { budget, monthlyOn, runWorkflow, TIME_ZONE } from './workflow.ts';

/** Failed runs recorded, restarted (once per press) and stale runs reconciled, on the in-memory ports. */
const RUN_DATE = '2027-02-01';
const NOW = new Date('2027-02-01T09:00:00.000Z');
const EXEC = 'arn:aws:states:eu-west-1:1:execution:invoice-run:first';
const at = NOW.toISOString();

function books(projects = ['P1', 'P2', 'P3']): MemoryRuns {
  const memory = new MemoryRuns();
  for (const id of projects) {
    memory.addProject(project({ id }), monthlyOn(1));
    memory.addTransaction(id, tx(`${id}-t1`));
  }
  return memory;
}

afterEach(() => {
  setFaultPlan(undefined);
  delete process.env.FACTUUR_FAULT_INJECTION;
});

describe('a failure recorded', () => {
  it('a batch hands back what failed with its name; the others are invoiced; RecordRunFailure fails those runs', async () => {
    const memory = books(['P1', 'P2']);
    const ports = memory.ports();
    const result = await invoiceProjects(
      ports,
      { projectIds: ['P1', 'gone', 'P2'], runDate: RUN_DATE, executionId: EXEC },
      budget(),
    );
    expect(result).toEqual({
      status: 'done',
      projectIds: [],
      failed: [{ projectId: 'gone', error: 'ProjectNotFound', cause: 'Project gone does not exist' }],
      hasFailures: true,
      invoiced: 2,
    });
    expect(
      await recordRunFailure(
        ports,
        { failures: result.failed, runDate: RUN_DATE, executionId: EXEC, failedState: 'InvoiceProject' },
        at,
      ),
    ).toEqual({ status: 'failed' });
    expect(memory.runs.get(`gone#${RUN_DATE}`)).toMatchObject({
      status: 'failed',
      attempts: 1,
      failure: {
        error: 'ProjectNotFound',
        cause: 'Project gone does not exist',
        state: 'InvoiceProject',
        executionId: EXEC,
        at,
      },
    });
    const summary = await completeRunDate(ports, { runDate: RUN_DATE, trigger: 'manual', executionId: EXEC }, at);
    expect(summary).toMatchObject({ due: 3, created: 2, invoiced: 2, failed: 1 });
    expect(memory.lastRunDate).toBeNull(); // only the schedule moves the calendar
  });

  it('an error a retry can cure is thrown for the whole batch after the others settle', async () => {
    const memory = books(['P1', 'P2']);
    process.env.FACTUUR_FAULT_INJECTION = 'on';
    setFaultPlan((point) => (point === 'invoice-project:built:P1' ? 'transient' : undefined));
    await expect(
      invoiceProjects(memory.ports(), { projectIds: ['P1', 'P2'], runDate: RUN_DATE, executionId: EXEC }, budget()),
    ).rejects.toBeInstanceOf(TransientError);
    expect(memory.runs.get(`P2#${RUN_DATE}`)?.status).toBe('invoiced');
    expect(memory.runs.get(`P1#${RUN_DATE}`)?.status).toBe('running');
  });

  it('a failed Task fails every unfinished run of its batch; a finished one stays finished; the message of a JSON cause', async () => {
    const memory = books(['P1', 'P2']);
    const ports = memory.ports();
    await invoiceProject(ports, { projectId: 'P1', runDate: RUN_DATE, executionId: EXEC }, budget());
    const cause = JSON.stringify({ errorType: 'Error', errorMessage: 'Task timed out', trace: [] });
    const input = {
      runDate: RUN_DATE,
      executionId: EXEC,
      failedState: 'InvoiceProject',
      error: 'States.Timeout',
      cause,
    };
    expect(await recordRunFailure(ports, { ...input, projectIds: ['P1', 'P2'] }, at)).toEqual({ status: 'failed' });
    expect(memory.runs.get(`P1#${RUN_DATE}`)?.status).toBe('invoiced');
    expect(memory.runs.get(`P2#${RUN_DATE}`)).toMatchObject({
      status: 'failed',
      failure: { error: 'States.Timeout', cause: 'Task timed out' },
    });
    expect(await recordRunFailure(ports, { ...input, projectId: 'P1' }, at)).toEqual({ status: 'finished_meanwhile' });
    expect(await recordRunFailure(ports, { ...input, projectId: 'P3', cause: 'plain words' }, at)).toEqual({
      status: 'failed',
    });
    expect(memory.runs.get(`P3#${RUN_DATE}`)?.failure?.cause).toBe('plain words');
    await expect(recordRunFailure(ports, { ...input, projectId: 'P3', error: '' }, at)).rejects.toMatchObject({
      field: 'error',
    });
    await expect(
      recordRunFailure(ports, { ...input, failedState: undefined, projectId: 'P3' }, at),
    ).rejects.toMatchObject({ field: 'failedState' });
  });
});

describe('restart of failed runs', () => {
  async function withFailures(): Promise<MemoryRuns> {
    const memory = books();
    const ports = memory.ports();
    await invoiceProject(ports, { projectId: 'P1', runDate: RUN_DATE, executionId: EXEC }, budget());
    const failure = { runDate: RUN_DATE, executionId: EXEC, failedState: 'InvoiceProject', error: 'Bug', cause: 'x' };
    await recordRunFailure(ports, { ...failure, projectIds: ['P3', 'P2'] }, at);
    return memory;
  }

  it('one execution for the failed runs of the date, sorted; pressing twice starts it once', async () => {
    const memory = await withFailures();
    const ports = memory.ports();
    const first = await restartFailedRuns(ports, { runDate: RUN_DATE }, { now: NOW, firmTimeZone: TIME_ZONE });
    expect(first.projectIds).toEqual(['P2', 'P3']);
    expect(first.executionArn).toMatch(/:restart-2027-02-01-[0-9a-f]{16}$/);
    expect(await restartFailedRuns(ports, { runDate: RUN_DATE }, { now: NOW, firmTimeZone: TIME_ZONE })).toEqual(first);
    expect(memory.started).toEqual([
      { input: { runDate: RUN_DATE, projectIds: ['P2', 'P3'] }, name: first.executionArn?.split(':').at(-1) },
    ]);

    // The restart execution claims the runs again and finishes them; nothing is invoiced twice.
    const restartExec = first.executionArn as string;
    const [summary] = await runWorkflow(ports, memory.started[0]!.input, restartExec, NOW);
    expect(summary).toMatchObject({ due: 3, invoiced: 3, failed: 0, created: 2 });
    expect(memory.runs.get(`P2#${RUN_DATE}`)).toMatchObject({ attempts: 2, failure: null, completedBy: restartExec });
    expect(memory.headers.size).toBe(3);
    expect(await restartFailedRuns(ports, { runDate: RUN_DATE }, { now: NOW, firmTimeZone: TIME_ZONE })).toEqual({
      runDate: RUN_DATE,
      projectIds: [],
      executionArn: null,
    });
  });

  it('one run: only when failed (RunNotFailed), only when it exists (field projectId), never in the future', async () => {
    const memory = await withFailures();
    const ports = memory.ports();
    const options = { now: NOW, firmTimeZone: TIME_ZONE };
    const one = await restartFailedRuns(ports, { runDate: RUN_DATE, projectId: 'P3' }, options);
    expect(one.projectIds).toEqual(['P3']);
    expect(memory.started.at(-1)?.input).toEqual({ runDate: RUN_DATE, projectIds: ['P3'] });
    await expect(restartFailedRuns(ports, { runDate: RUN_DATE, projectId: 'P1' }, options)).rejects.toBeInstanceOf(
      RunNotFailed,
    );
    await expect(restartFailedRuns(ports, { runDate: RUN_DATE, projectId: 'P9' }, options)).rejects.toMatchObject({
      field: 'projectId',
    });
    await expect(restartFailedRuns(ports, { runDate: RUN_DATE, projectId: '' }, options)).rejects.toMatchObject({
      field: 'projectId',
    });
    await expect(restartFailedRuns(ports, { runDate: '2027-02-02' }, options)).rejects.toMatchObject({
      name: 'RunDateInFuture',
    });
    expect(memory.started).toHaveLength(1);
  });

  it('RunNotFailed answers at the edge exactly as the 409 /runs gave before', async () => {
    const memory = await withFailures();
    const refused = await restartFailedRuns(memory.ports(), { runDate: RUN_DATE, projectId: 'P1' }, { now: NOW }).catch(
      (e) => e,
    );
    expect(refused.message).toBe(`The run of P1 on ${RUN_DATE} is invoiced, not failed`);
    const problem = problemOf(refused);
    expect(problem).toEqual(problemOf(conflict(refused.message)));
    expect(problem.statusCode).toBe(409);
  });
});

describe('reconcile of a stale run', () => {
  /** P1 finished, P2 and P3 claimed by an execution that then died, P4 claimed by one still running. */
  async function staleBooks(): Promise<MemoryRuns> {
    const memory = books(['P1', 'P2', 'P3', 'P4']);
    const ports = memory.ports();
    const dead = memory.executionArn('dead');
    memory.executions.set(dead, { status: 'FAILED', error: 'Lambda.Unknown', cause: 'died', stoppedAt: at });
    memory.executions.set(memory.executionArn('alive'), {
      status: 'RUNNING',
      error: null,
      cause: null,
      stoppedAt: null,
    });
    await invoiceProject(ports, { projectId: 'P1', runDate: RUN_DATE, executionId: dead }, budget());
    await ports.runs.claim('P2', RUN_DATE, '2027-01-31', dead, at);
    await ports.runs.claim('P3', RUN_DATE, '2027-01-31', dead, at);
    await ports.runs.claim('P4', RUN_DATE, '2027-01-31', memory.executionArn('alive'), at);
    return memory;
  }

  it('a run whose execution ended is failed with its outcome; one still running is left alone', async () => {
    const memory = await staleBooks();
    const runs = await reconciledRunsOfDate(memory.ports(), RUN_DATE);
    expect(runs.map((run) => [run.projectId, run.status])).toEqual([
      ['P1', 'invoiced'],
      ['P2', 'failed'],
      ['P3', 'failed'],
      ['P4', 'running'],
    ]);
    expect(memory.runs.get(`P2#${RUN_DATE}`)?.failure).toMatchObject({
      error: 'Lambda.Unknown',
      state: STALE_STATE,
      executionId: memory.executionArn('dead'),
    });
  });

  it('the scheduled reconciliation pages through every running run and counts the stale ones', async () => {
    const memory = await staleBooks();
    expect(await reconcileRunningRuns(memory.ports(), { maxRuns: 1 })).toEqual({ checked: 1, stale: 1 });
    expect(await reconcileRunningRuns(memory.ports())).toEqual({ checked: 2, stale: 1 });
    expect(await reconcileRunningRuns(memory.ports())).toEqual({ checked: 1, stale: 0 });
  });

  it('a run claimed again meanwhile is not failed: the record as it is now comes back', async () => {
    const memory = await staleBooks();
    const ports = memory.ports();
    const stale = memory.runs.get(`P2#${RUN_DATE}`)!;
    await ports.runs.claim('P2', RUN_DATE, '2027-01-31', memory.executionArn('alive'), at);
    const [now] = await reconcileRuns(ports, [stale]);
    expect(now).toMatchObject({ status: 'running', attempts: 2, executionId: memory.executionArn('alive') });
  });

  it('a date with stale runs restarts the whole date; the restart finishes them, missing executions count', async () => {
    const memory = await staleBooks();
    memory.runs.set(`P4#${RUN_DATE}`, { ...memory.runs.get(`P4#${RUN_DATE}`)!, executionId: 'arn:gone' });
    const ports = memory.ports();
    const restart = await restartFailedRuns(ports, { runDate: RUN_DATE }, { now: NOW, firmTimeZone: TIME_ZONE });
    expect(restart.projectIds).toEqual(['P2', 'P3', 'P4']);
    expect(memory.started).toEqual([{ input: { runDate: RUN_DATE }, name: restart.executionArn?.split(':').at(-1) }]);
    expect(memory.runs.get(`P4#${RUN_DATE}`)?.failure?.error).toBe('ExecutionDoesNotExist');
    const [summary] = await runWorkflow(ports, { runDate: RUN_DATE }, restart.executionArn as string, NOW);
    expect(summary).toMatchObject({ due: 4, invoiced: 4, failed: 0, running: 0 });
    expect(new Set([...memory.headers.keys()])).toEqual(
      new Set(['P1', 'P2', 'P3', 'P4'].map((id) => runInvoiceId(id, RUN_DATE))),
    );
  });
});

describe('the run dates of the schedule', () => {
  it('catches up every date after the last scheduled run; CompleteRunDate of the schedule moves the calendar', async () => {
    const memory = books(['P1']);
    const ports = memory.ports();
    const scheduledTime = '2027-02-01T04:00:00Z';
    expect((await planRunDates(ports, { scheduledTime }, TIME_ZONE, NOW)).runDates).toEqual([
      { runDate: RUN_DATE, projectIds: null, trigger: 'schedule' },
    ]);
    memory.lastRunDate = '2027-01-29';
    const dates = (await planRunDates(ports, { scheduledTime }, TIME_ZONE, NOW)).runDates.map((plan) => plan.runDate);
    expect(dates).toEqual(['2027-01-30', '2027-01-31', RUN_DATE]);
    memory.lastRunDate = '2026-01-01';
    expect((await planRunDates(ports, { scheduledTime }, TIME_ZONE, NOW)).runDates).toHaveLength(MAX_CATCH_UP_DAYS);

    memory.lastRunDate = '2027-01-31';
    const summaries = await runWorkflow(ports, { scheduledTime }, EXEC, NOW);
    expect(summaries.map((summary) => summary.runDate)).toEqual([RUN_DATE]);
    expect(memory.lastRunDate).toBe(RUN_DATE);
    expect(await planRunDates(ports, { scheduledTime }, TIME_ZONE, NOW)).toEqual({ runDates: [] });
    await completeRunDate(ports, { runDate: '2027-01-15', trigger: 'schedule', executionId: EXEC }, at);
    expect(memory.lastRunDate).toBe(RUN_DATE); // never backwards
  });

  it('refuses a restart list that is not 1 to 200 project ids, and a schedule without its time', async () => {
    const ports = books().ports();
    for (const projectIds of [[], ['P1', ''], 'P1', Array.from({ length: 201 }, (_, n) => `P${n}`)])
      await expect(planRunDates(ports, { runDate: RUN_DATE, projectIds }, TIME_ZONE, NOW)).rejects.toMatchObject({
        field: 'projectIds',
      });
    expect(
      (await planRunDates(ports, { runDate: RUN_DATE, projectIds: ['P2', 'P1', 'P2'] }, TIME_ZONE, NOW)).runDates,
    ).toEqual([{ runDate: RUN_DATE, projectIds: ['P1', 'P2'], trigger: 'restart' }]);
    await expect(planRunDates(ports, { scheduledTime: 'soon' }, TIME_ZONE, NOW)).rejects.toMatchObject({
      field: 'scheduledTime',
    });
  });
});
