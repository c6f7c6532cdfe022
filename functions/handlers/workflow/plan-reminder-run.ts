import { planReminderRun } from '../../reminders/reminder-run.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask((input: { date?: unknown; scheduledTime?: unknown }) =>
  planReminderRun(input, firmTimeZone(), new Date()),
);
