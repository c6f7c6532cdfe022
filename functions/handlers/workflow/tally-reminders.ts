import { tallyReminders } from '../../reminders/reminder-run.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask(async (input: Parameters<typeof tallyReminders>[0]) => tallyReminders(input));
