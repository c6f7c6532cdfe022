import { assertIsoDate } from '../domain/index.ts';
import type { InvoiceRunPorts } from './ports.ts';

/** What one run date came to, counted from its run records (so it is right however often the date ran). */
export interface RunDateSummary {
  readonly runDate: string;
  /** Projects due on the date (each has a run record). */
  readonly due: number;
  /** Drafts this execution created. */
  readonly created: number;
  readonly invoiced: number;
  readonly nothingToInvoice: number;
  readonly failed: number;
  readonly running: number;
}

export async function completeRunDate(
  ports: Pick<InvoiceRunPorts, 'runs' | 'calendar'>,
  input: { runDate?: unknown; trigger?: unknown; executionId?: unknown },
  now: string,
): Promise<RunDateSummary> {
  const runDate = assertIsoDate(input.runDate, 'runDate');
  const runs = await ports.runs.ofDate(runDate);
  const count = (status: string) => runs.filter((run) => run.status === status).length;
  if (input.trigger === 'schedule') await ports.calendar.advance(runDate, now);
  return {
    runDate,
    due: runs.length,
    created: runs.filter((run) => run.status === 'invoiced' && run.completedBy === input.executionId).length,
    invoiced: count('invoiced'),
    nothingToInvoice: count('nothing_to_invoice'),
    failed: count('failed'),
    running: count('running') + count('pending'),
  };
}
