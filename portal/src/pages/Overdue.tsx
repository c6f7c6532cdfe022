import { InvoiceReminders } from './reminders/InvoiceReminders.tsx';
import { OverdueList } from './reminders/OverdueList.tsx';

/** Overdue invoices (days overdue, last reminder), and one invoice's reminders with pause and resume. */
export function Overdue({ invoiceId }: { invoiceId?: string | undefined }) {
  return invoiceId ? <InvoiceReminders invoiceId={invoiceId} /> : <OverdueList />;
}
