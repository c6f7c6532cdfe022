import { describe, expect, it } from 'vitest';

process.env.TABLE_NAME = 'factuur-test';
const { planRunDates, RunDateInFuture } = await import('../../../functions/invoice-runs/plan-run-dates.ts');
const { staleFailure, isStale } = await import('../../../functions/invoice-runs/reconcile-runs.ts');
const { MemoryRuns } = await import('./memory-ports.ts');
/** No run date scheduled yet. */
const ports = new MemoryRuns().ports();

describe('run dates after today in the firm zone', () => {
  // 23:30 UTC on 31 December is already 1 January in Amsterdam.
  const now = new Date('2026-12-31T23:30:00Z');

  it('the workflow input refuses them with the named error RunDateInFuture (field runDate)', async () => {
    await expect(planRunDates(ports, { runDate: '2027-01-02' }, 'Europe/Amsterdam', now)).rejects.toMatchObject({
      name: 'RunDateInFuture',
      field: 'runDate',
    });
    await expect(
      planRunDates(ports, { runDate: '2027-01-02', projectIds: ['p-1'] }, 'Europe/Amsterdam', now),
    ).rejects.toBeInstanceOf(RunDateInFuture);
    await expect(
      planRunDates(ports, { scheduledTime: '2027-01-05T04:00:00Z' }, 'Europe/Amsterdam', now),
    ).rejects.toMatchObject({ name: 'RunDateInFuture', field: 'scheduledTime' });
  });

  it('today in the firm zone is not the future, even when it is tomorrow in UTC', async () => {
    expect(await planRunDates(ports, { runDate: '2027-01-01' }, 'Europe/Amsterdam', now)).toEqual({
      runDates: [{ runDate: '2027-01-01', projectIds: null, trigger: 'manual' }],
    });
    await expect(planRunDates(ports, { runDate: '2027-01-01' }, 'America/New_York', now)).rejects.toBeInstanceOf(
      RunDateInFuture,
    );
  });
});

describe('the failure of a stale run names the execution outcome', () => {
  const run = {
    projectId: 'p-1',
    runDate: '2026-11-30',
    cutOff: '2026-11-29',
    status: 'running' as const,
    invoiceId: null,
    attempts: 1,
    executionId: 'arn:aws:states:eu-west-1:1:execution:invoice-run:x',
    completedBy: null,
    failure: null,
    createdAt: '',
    updatedAt: '',
  };
  it.each([
    [{ status: 'TIMED_OUT', error: null, cause: null }, 'States.Timeout'],
    [{ status: 'ABORTED', error: null, cause: null }, 'ExecutionAborted'],
    [{ status: 'FAILED', error: 'LocalCloud.Restarted', cause: 'stopped' }, 'LocalCloud.Restarted'],
    [{ status: 'MISSING', error: null, cause: null }, 'ExecutionDoesNotExist'],
  ] as const)('%o -> %s', (outcome, error) => {
    const failure = staleFailure(run, { ...outcome, stoppedAt: null }, '2026-12-01T00:00:00Z');
    expect(failure).toMatchObject({ error, state: 'Execution', executionId: run.executionId });
    expect(isStale({ ...run, status: 'failed', failure })).toBe(true);
  });
});
