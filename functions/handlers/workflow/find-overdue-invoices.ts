import { findOverdueInvoices } from '../../reminders/reminder-run.ts';
import { reminderPorts } from '../wiring/reminders.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask((input: { date?: unknown; cursor?: unknown }) =>
  findOverdueInvoices(reminderPorts, input),
);
