import { findOverdueInvoices } from '../../reminders/reminder-run.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask((input: { date?: unknown; cursor?: unknown }) => findOverdueInvoices(input));
