import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from '../../shared/metrics.ts';
import { workflowTask } from '../../shared/workflow-task.ts';
import { sendReminder } from '../wiring/reminders.ts';

export const handler = workflowTask(async (input: { invoiceId?: unknown; date?: unknown; executionId?: unknown }) => {
  const result = await sendReminder(input, () => new Date().toISOString());
  if (result.outcome === 'sent') metrics.addMetric('ReminderSent', MetricUnit.Count, 1);
  return result;
});
