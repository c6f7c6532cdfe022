import { ValidationFailed } from '../domain/index.ts';
import { isTransient } from '../shared/errors.ts';
import { inParallel } from '../shared/in-parallel.ts';
import { invoiceProject, type InvoiceProjectPorts } from './invoice-project.ts';
import type { WorkBudget } from './ports.ts';

/**
 * A batch of the due projects of one run date in one Task (issue 15: fewer state transitions per invoice). Each
 * project is the resumable run (P, D) of invoice-project.ts, several at a time. What the per-project Map did in the
 * workflow is done here, with the same outcomes:
 * - a project whose draft is still building when the time is up stays in `projectIds` (the workflow calls again);
 * - a project that fails with a business or programming error is handed back in `failed` (the workflow records it
 *   as a failed run in RecordRunFailure, as before) and does not stop the others;
 * - an error a retry can cure (throttle, dead Lambda) is thrown after the other projects settle, so the Task's Retry
 *   runs the batch again: finished projects return at once from their finished run record.
 */
export interface InvoiceProjectsInput {
  readonly projectIds?: unknown;
  readonly runDate?: unknown;
  readonly executionId?: unknown;
}

export interface ProjectFailure {
  readonly projectId: string;
  readonly error: string;
  readonly cause: string;
}

export interface InvoiceProjectsResult {
  readonly status: 'building' | 'done';
  /** The projects still building (call again with these). */
  readonly projectIds: string[];
  readonly failed: ProjectFailure[];
  readonly hasFailures: boolean;
  readonly invoiced: number;
}

/** Projects of a batch worked on at once (each with its own writes in flight). */
const PROJECTS_IN_FLIGHT = 2;
/** Calls of one project's run per invocation before it is handed back as still building. */
const CALLS_PER_PROJECT = 4;
/** Errors the Task's Retry matches as they are (besides everything isTransient knows). */
const RETRIED = new Set(['Runtime.ExitError', 'Sandbox.Timedout', 'States.Timeout']);

export async function invoiceProjects(
  ports: InvoiceProjectPorts,
  input: InvoiceProjectsInput,
  budget: WorkBudget,
): Promise<InvoiceProjectsResult> {
  if (!Array.isArray(input.projectIds) || input.projectIds.some((id) => typeof id !== 'string' || id === ''))
    throw new ValidationFailed('projectIds', 'must be a list of project ids');
  const pending: string[] = [];
  const failed: ProjectFailure[] = [];
  let invoiced = 0;
  let retry: { error: unknown } | undefined;
  await inParallel(input.projectIds as string[], PROJECTS_IN_FLIGHT, async (projectId) => {
    try {
      for (let call = 0; call < CALLS_PER_PROJECT; call++) {
        const result = await invoiceProject(
          ports,
          { projectId, runDate: input.runDate, executionId: input.executionId },
          budget,
        );
        if (result.status === 'invoiced') invoiced += 1;
        if (result.status !== 'building') return;
      }
      pending.push(projectId);
    } catch (error) {
      if (isTransient(error) || (error instanceof Error && RETRIED.has(error.name))) {
        retry ??= { error };
        return;
      }
      failed.push({
        projectId,
        error: error instanceof Error ? error.name : 'Error',
        cause: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
      });
    }
  });
  if (retry) throw retry.error;
  return {
    status: pending.length > 0 ? 'building' : 'done',
    projectIds: pending,
    failed,
    hasFailures: failed.length > 0,
    invoiced,
  };
}
