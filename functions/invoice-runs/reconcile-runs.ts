import type { ExecutionOutcome, InvoiceRunPorts, InvoiceRunRecord, PageStart, RunFailure } from './ports.ts';

/**
 * Stale runs: a run stays `running` when its execution died without recording it (DynamoDB unreachable for longer
 * than RecordRunFailure's retries, an execution timeout, StopExecution, the local cloud killed). Such a run is shown
 * to operators as failed, with the execution's outcome as its failure, and restarts like any failed run: checked on
 * every read of runs (GET /runs, /runs/failed, one run, the CLI, a restart) and by the scheduled reconciliation
 * (workflow reconcile-runs). A run whose execution is still RUNNING is left alone.
 */
export type ReconcilePorts = Pick<InvoiceRunPorts, 'runs' | 'executions'>;

/** The failure recorded for a run whose execution ended without finishing it. */
export function staleFailure(run: InvoiceRunRecord, outcome: ExecutionOutcome, now: string): RunFailure {
  const error =
    outcome.status === 'MISSING'
      ? 'ExecutionDoesNotExist'
      : outcome.status === 'TIMED_OUT'
        ? (outcome.error ?? 'States.Timeout')
        : outcome.status === 'ABORTED'
          ? (outcome.error ?? 'ExecutionAborted')
          : (outcome.error ?? `Execution${outcome.status}`);
  const cause =
    outcome.status === 'MISSING'
      ? 'The execution of this run no longer exists.'
      : `The execution ended ${outcome.status} without finishing this run${outcome.cause ? `: ${outcome.cause}` : '.'}`;
  return { error, cause, state: STALE_STATE, executionId: run.executionId, at: now };
}

/** The `state` of a stale run's failure: the execution itself ended, not one of its states. */
export const STALE_STATE = 'Execution';

export function isStale(run: InvoiceRunRecord): boolean {
  return run.status === 'failed' && run.failure?.state === STALE_STATE;
}

/**
 * Checks the running ones among `runs` against their executions (one DescribeExecution per distinct execution) and
 * fails the stale ones. Returns the runs as they are now (stale ones as failed).
 */
export async function reconcileRuns(
  ports: ReconcilePorts,
  runs: readonly InvoiceRunRecord[],
  now: () => string = () => new Date().toISOString(),
): Promise<InvoiceRunRecord[]> {
  const outcomes = new Map<string, Promise<ExecutionOutcome>>();
  const outcomeOf = (executionArn: string) => {
    let outcome = outcomes.get(executionArn);
    if (!outcome) {
      outcome = ports.executions.describe(executionArn);
      outcomes.set(executionArn, outcome);
    }
    return outcome;
  };
  return Promise.all(
    runs.map(async (run) => {
      if (run.status !== 'running') return run;
      const outcome = await outcomeOf(run.executionId);
      if (outcome.status === 'RUNNING' || outcome.status === 'PENDING_REDRIVE') return run;
      // Not failed: the run changed meanwhile (a Lambda of the dead execution finished it, or a restart claimed it).
      return (
        (await ports.runs.failStale(run, staleFailure(run, outcome, now()))) ??
        (await ports.runs.get(run.projectId, run.runDate)) ??
        run
      );
    }),
  );
}

/** The runs of a date, the stale ones failed first (A11). */
export async function reconciledRunsOfDate(ports: ReconcilePorts, runDate: string): Promise<InvoiceRunRecord[]> {
  return reconcileRuns(ports, await ports.runs.ofDate(runDate));
}

/**
 * The scheduled reconciliation (and the check before listing failed runs): every running run (A37), page by page,
 * up to `maxRuns`. Returns how many were checked and how many were stale.
 */
export async function reconcileRunningRuns(
  ports: ReconcilePorts,
  options: { maxRuns?: number } = {},
): Promise<{ checked: number; stale: number }> {
  const maxRuns = options.maxRuns ?? 10_000;
  let checked = 0;
  let stale = 0;
  let next: PageStart | undefined;
  do {
    const page = await ports.runs.running(Math.min(500, maxRuns - checked), next);
    const after = await reconcileRuns(ports, page.runs);
    checked += page.runs.length;
    stale += after.filter(
      (run, position) => run.status === 'failed' && page.runs[position]?.status === 'running',
    ).length;
    next = page.next;
  } while (next && checked < maxRuns);
  return { checked, stale };
}
