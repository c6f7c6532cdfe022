import { createHash } from 'node:crypto';
import { assertIsoDate, ValidationFailed } from '../domain/index.ts';
import { Conflict } from '../shared/errors.ts';
import { assertNotInFuture, MAX_RESTART_PROJECTS } from './plan-run-dates.ts';
import type { InvoiceRunRecord, PageStart } from './ports.ts';
import { isStale, type ReconcilePorts, reconciledRunsOfDate, reconcileRuns } from './reconcile-runs.ts';

/**
 * Operators restart failed runs: one run, or every failed run of a run date. A restart is an execution of the same
 * workflow for those projects and that date; it claims each run again under the same key P#D and finishes what the
 * failed attempt began. The execution name is derived from the runs and their attempt counts, so pressing Restart
 * twice starts one execution. A run left `running` by an execution that has ended (stale) is failed first, so it
 * restarts like any failed run; its `building` invoice is finished (or released) by the restarted InvoiceProject.
 */
export interface RestartResult {
  readonly runDate: string;
  readonly projectIds: readonly string[];
  readonly executionArn: string | null;
}

/** Only a failed run restarts (HTTP 409 at the edge, functions/shared/http/problems.ts). */
export class RunNotFailed extends Conflict {
  override readonly name = 'RunNotFailed';
}

export async function restartFailedRuns(
  ports: ReconcilePorts,
  input: { runDate?: unknown; projectId?: unknown },
  options: { now?: Date; firmTimeZone?: string } = {},
): Promise<RestartResult> {
  const runDate = assertIsoDate(input.runDate, 'runDate');
  assertNotInFuture(runDate, options.now ?? new Date(), options.firmTimeZone, 'runDate');
  if (input.projectId !== undefined) return restartRuns(ports, runDate, [await failedRun(ports, input, runDate)]);
  const ofDate = await reconciledRunsOfDate(ports, runDate);
  if (ofDate.some(isStale)) return restartDate(ports, runDate, ofDate);
  const runs: InvoiceRunRecord[] = [];
  let next: PageStart | undefined;
  do {
    const page = await ports.runs.failed(100, next, runDate);
    runs.push(...page.runs);
    next = page.next;
  } while (next && runs.length < MAX_RESTART_PROJECTS);
  return restartRuns(ports, runDate, runs);
}

/** The one run an operator restarts: it must exist and be failed (a stale one is failed first). */
async function failedRun(
  ports: ReconcilePorts,
  input: { projectId?: unknown },
  runDate: string,
): Promise<InvoiceRunRecord> {
  if (typeof input.projectId !== 'string' || input.projectId === '')
    throw new ValidationFailed('projectId', 'must be a project id');
  const found = await ports.runs.get(input.projectId, runDate);
  if (!found) throw new ValidationFailed('projectId', `there is no run of ${input.projectId} on ${runDate}`);
  const [run = found] = await reconcileRuns(ports, [found]);
  if (run.status !== 'failed')
    throw new RunNotFailed(`The run of ${input.projectId} on ${runDate} is ${run.status}, not failed`);
  return run;
}

/**
 * The execution of the date died: projects it had not reached have no run record at all. Restarting the date runs
 * every due project again; finished runs answer at once, the failed and stale ones are taken over.
 */
async function restartDate(
  ports: ReconcilePorts,
  runDate: string,
  ofDate: readonly InvoiceRunRecord[],
): Promise<RestartResult> {
  const fingerprint = fingerprintOf(
    `date:${ofDate
      .map((run) => `${run.projectId}:${run.attempts}:${run.status}`)
      .sort()
      .join(',')}`,
  );
  const projectIds = ofDate
    .filter((run) => run.status === 'failed')
    .map((run) => run.projectId)
    .sort();
  const executionArn = await ports.executions.start({ runDate }, `restart-${runDate}-${fingerprint}`);
  return { runDate, projectIds, executionArn };
}

/** One execution for these failed runs (at most MAX_RESTART_PROJECTS), named after them and their attempts. */
async function restartRuns(
  ports: ReconcilePorts,
  runDate: string,
  runs: readonly InvoiceRunRecord[],
): Promise<RestartResult> {
  if (runs.length === 0) return { runDate, projectIds: [], executionArn: null };
  const chosen = runs.slice(0, MAX_RESTART_PROJECTS).sort((a, b) => (a.projectId < b.projectId ? -1 : 1));
  const projectIds = chosen.map((run) => run.projectId);
  const fingerprint = fingerprintOf(chosen.map((run) => `${run.projectId}:${run.attempts}`).join(','));
  const executionArn = await ports.executions.start({ runDate, projectIds }, `restart-${runDate}-${fingerprint}`);
  return { runDate, projectIds, executionArn };
}

function fingerprintOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
