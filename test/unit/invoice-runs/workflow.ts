import type { InvoiceFrequency } from '../../../functions/domain/index.ts';
import { completeRunDate, type RunDateSummary } from '../../../functions/invoice-runs/complete-run-date.ts';
import { findDueProjects } from '../../../functions/invoice-runs/find-due-projects.ts';
import { invoiceProjects } from '../../../functions/invoice-runs/invoice-projects.ts';
import { planRunDates } from '../../../functions/invoice-runs/plan-run-dates.ts';
import type { InvoiceRunPorts, WorkBudget } from '../../../functions/invoice-runs/ports.ts';
import { recordRunFailure } from '../../../functions/invoice-runs/record-run-failure.ts';

/**
 * The invoice-run workflow (workflows/invoice-run.asl.json) played over the run steps in memory: PlanRunDates, then
 * per date FindDueProjects page by page, InvoiceProject per batch (called again while projects are building, the
 * handed-back failures to RecordRunFailure), CompleteRunDate. A Task that throws fails its whole batch
 * (RecordBatchFailure), as the ASL's Catch does after its retries.
 */
export const TIME_ZONE = 'Europe/Amsterdam';

export function monthlyOn(day: number, billingStart = '2026-01-01'): InvoiceFrequency {
  return { period: 'monthly', runsPerPeriod: 1, runDayMode: 'dayOfPeriod', rules: [{ day }], billingStart };
}

export function weeklyOn(weekday: 'monday' | 'friday', billingStart = '2026-01-01'): InvoiceFrequency {
  return { period: 'weekly', runsPerPeriod: 1, runDayMode: 'weekdayOfPeriod', rules: [{ weekday }], billingStart };
}

export function budget(now = '2027-02-01T05:00:00.000Z', remaining: () => number = () => 900_000): WorkBudget {
  return { remainingMillis: remaining, now: () => now };
}

export async function runWorkflow(
  ports: InvoiceRunPorts,
  input: { scheduledTime?: string; runDate?: string; projectIds?: readonly string[] },
  executionId: string,
  now: Date,
): Promise<RunDateSummary[]> {
  const { runDates } = await planRunDates(ports, input, TIME_ZONE, now);
  const summaries: RunDateSummary[] = [];
  for (const plan of runDates) {
    let cursor: string | null = null;
    do {
      const page = await findDueProjects(ports, { runDate: plan.runDate, projectIds: plan.projectIds, cursor });
      for (const batch of page.batches) await invoiceBatch(ports, batch, plan.runDate, executionId, now);
      cursor = page.cursor;
    } while (cursor);
    summaries.push(await completeRunDate(ports, { ...plan, executionId }, now.toISOString()));
  }
  return summaries;
}

async function invoiceBatch(
  ports: InvoiceRunPorts,
  batch: string[],
  runDate: string,
  executionId: string,
  now: Date,
): Promise<void> {
  let projectIds = batch;
  while (projectIds.length > 0) {
    try {
      const result = await invoiceProjects(ports, { projectIds, runDate, executionId }, budget(now.toISOString()));
      if (result.hasFailures)
        await recordRunFailure(
          ports,
          { failures: result.failed, runDate, executionId, failedState: 'InvoiceProject' },
          now.toISOString(),
        );
      projectIds = result.projectIds;
    } catch (error) {
      const failure = error as Error;
      await recordRunFailure(
        ports,
        {
          projectIds,
          runDate,
          executionId,
          failedState: 'InvoiceProject',
          error: failure.name,
          cause: failure.message,
        },
        now.toISOString(),
      );
      return;
    }
  }
}
