import { addDays } from '../functions/domain/index.ts';
import { projectInvoices } from '../functions/adapters/dynamodb/invoices-store.ts';
import { sendToCustomer } from '../functions/handlers/wiring/sending.ts';

/**
 * Demo for reminders: one of the demo drafts is sent as if on a day 50 days ago, so `npm start` has a sent invoice
 * that is 20 days overdue (payment terms 30 days): the plan's first reminder (+7) is due, the second (+21) tomorrow.
 * Sent through the ordinary Send (issue transaction, e-mail through the outbox), only with an earlier "today".
 */
export const demoOverdueProjects = ['p-haven-digital-twin', 'p-zaanstad-datalab', 'p-zaanstad-omgevingswet'];

export async function seedOverdueInvoice(today: string): Promise<string | undefined> {
  for (const projectId of demoOverdueProjects) {
    const drafts = (await projectInvoices(projectId))
      .filter((header) => header.status === 'draft' && header.kind === 'invoice' && header.totals.total > 0)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    const draft = drafts[0];
    if (!draft) continue;
    const sent = await sendToCustomer(
      draft.id,
      draft.version,
      { username: 'billing', userId: 'demo-seed' },
      new Date(),
      addDays(today, -50),
    );
    return sent.invoice.id;
  }
  return undefined;
}
