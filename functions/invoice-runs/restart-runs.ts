import { createHash } from 'node:crypto';
import { assertIsoDate, ValidationFailed } from '../domain/index.ts';
import { failedRuns, getRun, type InvoiceRunRecord } from '../adapters/dynamodb/runs-store.ts';
import { startInvoiceRunExecution } from '../adapters/stepfunctions/invoice-run-executions.ts';
import { MAX_RESTART_PROJECTS } from './plan-run-dates.ts';

/**
 * Operators restart failed runs: one run, or every failed run of a run date. A restart is an execution of the same
 * workflow for those projects and that date; it claims each run again under the same key P#D and finishes what the
 * failed attempt began. The execution name is derived from the runs and their attempt counts, so pressing Restart
 * twice starts one execution.
 */
export interface RestartResult {
  readonly runDate: string;
  readonly projectIds: readonly string[];
  readonly executionArn: string | null;
}

export class RunNotFailed extends Error {
  override readonly name = 'RunNotFailed';
}

export async function restartFailedRuns(input: { runDate?: unknown; projectId?: unknown }): Promise<RestartResult> {
  const runDate = assertIsoDate(input.runDate, 'runDate');
  let runs: InvoiceRunRecord[];
  if (input.projectId !== undefined) {
    if (typeof input.projectId !== 'string' || input.projectId === '')
      throw new ValidationFailed('projectId', 'must be a project id');
    const run = await getRun(input.projectId, runDate);
    if (!run) throw new ValidationFailed('projectId', `there is no run of ${input.projectId} on ${runDate}`);
    if (run.status !== 'failed')
      throw new RunNotFailed(`The run of ${input.projectId} on ${runDate} is ${run.status}, not failed`);
    runs = [run];
  } else {
    runs = [];
    let next: Record<string, unknown> | undefined;
    do {
      const page = await failedRuns(100, next, runDate);
      runs.push(...page.runs);
      next = page.next;
    } while (next && runs.length < MAX_RESTART_PROJECTS);
  }
  if (runs.length === 0) return { runDate, projectIds: [], executionArn: null };
  const chosen = runs.slice(0, MAX_RESTART_PROJECTS).sort((a, b) => (a.projectId < b.projectId ? -1 : 1));
  const projectIds = chosen.map((run) => run.projectId);
  const fingerprint = createHash('sha256')
    .update(chosen.map((run) => `${run.projectId}:${run.attempts}`).join(','))
    .digest('hex')
    .slice(0, 16);
  const executionArn = await startInvoiceRunExecution({ runDate, projectIds }, `restart-${runDate}-${fingerprint}`);
  return { runDate, projectIds, executionArn };
}
