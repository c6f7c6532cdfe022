import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { recordReminderFailure } from '../../reminders/reminder-run.ts';
import { metrics } from '../../shared/metrics.ts';
import { reminderPorts } from '../wiring/reminders.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask(async (input: Parameters<typeof recordReminderFailure>[1]) => {
  const result = await recordReminderFailure(reminderPorts, input, new Date().toISOString());
  metrics.addMetric('ReminderFailed', MetricUnit.Count, 1);
  return result;
});
