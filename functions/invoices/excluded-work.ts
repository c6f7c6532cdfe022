import type { ExcludedItem } from '../domain/index.ts';
import type { InvoiceHeader } from './ports.ts';

/**
 * The work a draft does not bill, with its reason (rules: what is left out is listed on the draft): what the
 * not-to-exceed limit kept off (stored with the draft, A33) and the project's work up to the cut-off that is on hold
 * or not approved (A5, read now: approving or releasing it is what makes it invoiceable). Each item names its
 * transaction (or milestone) so the portal can open it.
 */
export interface ExcludedWork extends ExcludedItem {
  readonly date?: string;
  readonly description?: string;
  readonly quantity?: string;
  readonly unitPrice?: string;
}

/** What the list of excluded work reads. */
export interface ExcludedWorkPorts {
  /** What the not-to-exceed limit kept off, stored with the draft (A33). */
  excludedOf(invoiceId: string): Promise<ExcludedItem[]>;
  /** The project's work up to the cut-off not billed yet (A5). */
  unbilledUpTo(projectId: string, cutOff: string): Promise<readonly OpenTransaction[]>;
}

export interface OpenTransaction {
  readonly id: string;
  readonly billingType: string;
  readonly approved: boolean;
  readonly onHold: boolean;
  readonly date: string;
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: string;
}

export async function excludedWork(ports: ExcludedWorkPorts, header: InvoiceHeader): Promise<ExcludedWork[]> {
  const editable = header.status === 'draft' || header.status === 'in_review';
  const [stored, open] = await Promise.all([
    ports.excludedOf(header.id),
    editable && header.kind === 'invoice' ? ports.unbilledUpTo(header.projectId, header.cutOff) : Promise.resolve([]),
  ]);
  const held: ExcludedWork[] = open.flatMap((transaction): ExcludedWork[] => {
    if (transaction.billingType === 'non_chargeable' || transaction.billingType === 'not_available') return [];
    const reason = !transaction.approved ? 'not_approved' : transaction.onHold ? 'on_hold' : null;
    if (reason === null) return [];
    return [
      {
        kind: 'transaction',
        id: transaction.id,
        reason,
        date: transaction.date,
        description: transaction.description,
        quantity: transaction.quantity,
        unitPrice: transaction.unitPrice,
      },
    ];
  });
  const seen = new Set(held.map((item) => item.id));
  return [...stored.filter((item) => !seen.has(item.id)), ...held];
}
