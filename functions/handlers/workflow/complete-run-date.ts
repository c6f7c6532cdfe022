import { completeRunDate } from '../../invoice-runs/complete-run-date.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask((input: { runDate?: unknown; trigger?: unknown; executionId?: unknown }) =>
  completeRunDate(input, new Date().toISOString()),
);
