import { dynamoRunCalendar, dynamoRunRecords } from '../../adapters/dynamodb/runs-store.ts';
import { completeRunDate } from '../../invoice-runs/complete-run-date.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

const ports = { runs: dynamoRunRecords, calendar: dynamoRunCalendar };

export const handler = workflowTask((input: { runDate?: unknown; trigger?: unknown; executionId?: unknown }) =>
  completeRunDate(ports, input, new Date().toISOString()),
);
