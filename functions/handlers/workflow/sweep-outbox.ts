import { deliverInvoiceNow, sweepOutbox } from '../wiring/sending.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

/**
 * The deliver-invoices workflow's Task: started with `{invoiceId}` right after Send (a credit note, a resend), it
 * archives that invoice's documents and sends its queued e-mails; started by the schedule, it sweeps the outbox.
 */
export const handler = workflowTask(
  async (input: { invoiceId?: unknown } | undefined): Promise<object> =>
    typeof input?.invoiceId === 'string'
      ? deliverInvoiceNow(input.invoiceId, () => new Date().toISOString())
      : sweepOutbox(() => new Date().toISOString()),
);
