import { buildInvoice, creditorReference, type InvoiceDetail, send } from '../../../functions/domain/index.ts';
import type { InvoiceHeader } from '../../../functions/invoices/ports.ts';
import { ctx, project, tx } from '../domain/fixtures.ts';

/** The payment reference of invoice number `n` of 2027. */
export const rf = (n: number) => creditorReference(`INV2027${String(n).padStart(6, '0')}`);

/**
 * An issued invoice as stored: one time detail, sent on 2027-02-01 (due 30 days later) as INV-2027-<n>, of
 * customer `customerId`, with its payment reference.
 */
export function issuedInvoice(
  id: string,
  n: number,
  customerId = 'C1',
): { header: InvoiceHeader; details: InvoiceDetail[] } {
  const built = buildInvoice({
    invoiceId: id,
    origin: { kind: 'run' },
    project: project(),
    transactions: [tx(`${id}-t1`)],
    milestones: [],
    runDate: '2027-02-01',
    cutOff: '2027-01-31',
  });
  if (built.outcome !== 'draft') throw new Error('expected a draft');
  const invoice = send(built.invoice, { number: `INV-2027-${String(n).padStart(6, '0')}` }, ctx).invoice;
  const { details, audit: _a, excluded: _e, ...rest } = invoice;
  const header: InvoiceHeader = {
    ...rest,
    detailCount: details.length,
    heldCount: details.length,
    excludedCount: 0,
    createdAt: '2027-01-31T23:30:00.000Z',
    customerId,
    paymentReference: rf(n),
  };
  return { header, details: [...details] };
}
