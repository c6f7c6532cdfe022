import { sweepOutbox } from '../../sending/deliver-invoice.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask(() => sweepOutbox(() => new Date().toISOString()));
