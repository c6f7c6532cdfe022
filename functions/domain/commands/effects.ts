/**
 * What an invoice command returns: the new invoice (version + 1, one audit entry) and the effects adapters must
 * apply in the same transaction (transactions to release, bill, create; milestones to flip; problems to report).
 */
import type { IsoDate } from '../dates.ts';
import type { DetailBillingType, Invoice, InvoiceDetail } from '../invoice.ts';
import type { TransactionType } from '../project.ts';
import type { Decimal } from '../money.ts';
import type { TaxRate } from '../tax.ts';

export interface BilledTransaction {
  readonly transactionId: string;
  readonly quantity: Decimal;
}

/** A lowered quantity is written down at Send: the remainder is closed as non-chargeable, not billed later. */
export interface WriteDown {
  readonly transactionId: string;
  readonly originalQuantity: Decimal;
  readonly billedQuantity: Decimal;
  readonly writtenDownQuantity: Decimal;
}

/** A transaction the adapter must create: manual details at Send (billed), credited quantity (on hold). */
export interface NewTransaction {
  readonly id: string;
  /** Credit: the original transaction this quantity came from. */
  readonly linkedTransactionId: string | null;
  readonly type: TransactionType;
  readonly date: IsoDate;
  readonly contractLineId: string;
  readonly description: string;
  /** Manual details at Send: the description printed on the invoice. */
  readonly printedDescription?: string;
  readonly resource: string | null;
  readonly orgUnit: string | null;
  readonly quantity: Decimal;
  readonly unit: string;
  readonly unitPrice: Decimal;
  readonly tax: TaxRate;
  readonly billingType: DetailBillingType;
  readonly onHold: boolean;
  /** Invoice that billed it (manual details at Send), or null (credited quantity back in the backlog). */
  readonly billedBy: string | null;
}

export interface ValidationProblem {
  readonly field: string;
  readonly message: string;
}

export interface Effects {
  /** Details to write as they are now (edited, added, recalculated). */
  readonly putDetails: readonly InvoiceDetail[];
  /** Details that leave the invoice (removed, made non-chargeable). */
  readonly deletedDetails: readonly InvoiceDetail[];
  /** Made non-chargeable: back to the backlog as non-chargeable work (never billed). */
  readonly nonChargeableTransactionIds: readonly string[];
  /** Back to unbilled (removeDetail, discard). */
  readonly releasedTransactionIds: readonly string[];
  readonly releasedMilestoneIds: readonly string[];
  /** Send: reserved -> billed(invoice, quantity). */
  readonly billedTransactions: readonly BilledTransaction[];
  readonly writeDowns: readonly WriteDown[];
  readonly invoicedMilestoneIds: readonly string[];
  /** Send (manual details, billed) and credit notes (credited quantity, on hold). */
  readonly createdTransactions: readonly NewTransaction[];
  /** Credit notes: milestones credited whole become ready for invoicing again. */
  readonly readyMilestoneIds: readonly string[];
  /** Refresh transactions: newly added to the draft, to reserve (conditional on version / no invoice). */
  readonly reservedTransactions: readonly { readonly id: string; readonly version: number }[];
  readonly reservedMilestoneIds: readonly string[];
  /** Recalculate (and every edit): what would block Send. */
  readonly problems: readonly ValidationProblem[];
}

export interface CommandResult {
  readonly invoice: Invoice;
  readonly effects: Effects;
}

export interface DiscardResult {
  readonly invoiceId: string;
  /** The origin key stays used: a discarded run does not free its run key. */
  readonly originKey: string;
  readonly audit: Invoice['audit'][number];
  readonly effects: Effects;
}

export interface CreditResult {
  /** The credited invoice: cancelled (full) or with a lower balance (partial). */
  readonly invoice: Invoice;
  readonly creditNote: Invoice;
  readonly effects: Effects;
}

export const NO_EFFECTS: Effects = {
  putDetails: [],
  deletedDetails: [],
  nonChargeableTransactionIds: [],
  releasedTransactionIds: [],
  releasedMilestoneIds: [],
  billedTransactions: [],
  writeDowns: [],
  invoicedMilestoneIds: [],
  createdTransactions: [],
  readyMilestoneIds: [],
  reservedTransactions: [],
  reservedMilestoneIds: [],
  problems: [],
};
