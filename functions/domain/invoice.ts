/**
 * The invoice model (rules section 3). Plain readonly data, so an invoice header and its details can be stored as
 * separate items: `details` is an array here; `lines` and `totals` are derived from it (see totals.ts).
 */
import type { IsoDate } from './dates.ts';
import type { Decimal, MinorUnits } from './money.ts';
import type { TaxRate } from './tax.ts';
import type { DetailSummary } from './totals.ts';
import type { CustomerSnapshot, TransactionType } from './project.ts';

export type InvoiceKind = 'invoice' | 'credit_note';
export type InvoiceStatus = 'draft' | 'in_review' | 'issued' | 'partially_paid' | 'paid' | 'cancelled';
export type LineType = TransactionType | 'milestone';
/** Only these billing types reach an invoice. */
export type DetailBillingType = 'chargeable' | 'complimentary';

export const LINE_TYPES: readonly LineType[] = ['time', 'expense', 'material', 'fee', 'milestone'];

/** Where the invoice is sent; starts as the customer's and may be edited on a draft. */
export interface BillTo {
  readonly name: string;
  /** Legacy free text (old customers); the structured address is the customer's postalAddress. */
  readonly address: string;
  readonly email: string | null;
}

export type InvoiceOrigin =
  | { readonly kind: 'run'; readonly key: string; readonly runDate: IsoDate }
  /** Manual invoicing: the request and its parameters (kept so that refresh applies the same filters). */
  | { readonly kind: 'manual'; readonly requestId: string; readonly filters: ManualFilters; readonly runDate: IsoDate }
  | { readonly kind: 'credit'; readonly invoiceId: string };

/** Manual invoicing parameters (section 5). Absent = no filter. */
export interface ManualFilters {
  readonly transactionTypes?: readonly TransactionType[];
  /** Organisational unit of the person who did the work. */
  readonly orgUnit?: string;
  /** Explicit ready milestones; when absent, all ready milestones dated <= cut-off. */
  readonly milestoneIds?: readonly string[];
}

export type DetailSource =
  | { readonly kind: 'transaction'; readonly transactionId: string; readonly transactionVersion: number }
  | { readonly kind: 'milestone'; readonly milestoneId: string }
  /** Added by hand on a draft; its transaction (with this id) is created at Send. */
  | { readonly kind: 'manual'; readonly transactionId: string };

export interface InvoiceDetail {
  /** Unique within the invoice: `t:<transaction id>`, `m:<milestone id>`, `x:<manual transaction id>`. */
  readonly id: string;
  readonly source: DetailSource;
  readonly contractLineId: string;
  readonly type: LineType;
  readonly date: IsoDate;
  /** Internal description. */
  readonly description: string;
  /** Description printed on the invoice. */
  readonly printedDescription: string;
  readonly resource: string | null;
  readonly orgUnit: string | null;
  readonly quantity: Decimal;
  readonly unit: string;
  readonly unitPrice: Decimal;
  readonly billingType: DetailBillingType;
  /** quantity x unitPrice rounded; 0 when complimentary. */
  readonly net: MinorUnits;
  /** Complimentary: the value waived (quantity x unitPrice rounded); else 0. */
  readonly waived: MinorUnits;
  readonly tax: TaxRate;
  /** Set when the quantity or price was edited: the values before the first edit. */
  readonly originalQuantity: Decimal | null;
  readonly originalUnitPrice: Decimal | null;
  /** Credit notes: id of the detail of the credited invoice this corrects. */
  readonly corrects: string | null;
}

/** A line: details of one (contract line, type). Derived. */
export interface InvoiceLine {
  readonly key: string;
  readonly contractLineId: string;
  readonly type: LineType;
  readonly net: MinorUnits;
  readonly waived: MinorUnits;
  readonly detailCount: number;
}

export interface TaxGroupTotal {
  /** `category|rate`, see taxGroupKey. */
  readonly key: string;
  readonly category: TaxRate['category'];
  readonly rate: string;
  readonly net: MinorUnits;
  readonly tax: MinorUnits;
}

export interface InvoiceTotals {
  readonly net: MinorUnits;
  readonly waived: MinorUnits;
  /** Sorted by key. */
  readonly taxes: readonly TaxGroupTotal[];
  readonly tax: MinorUnits;
  /** net + tax */
  readonly total: MinorUnits;
  /** Sum of payments not reversed. */
  readonly paid: MinorUnits;
  /** Sum of credit notes applied (positive). */
  readonly credited: MinorUnits;
  /** total - paid - credited; negative means a refund or customer credit is owed. */
  readonly balance: MinorUnits;
}

export interface Payment {
  /** Client payment id, unique per invoice. */
  readonly id: string;
  readonly amount: MinorUnits;
  readonly date: IsoDate;
  readonly method: string;
  readonly reference: string | null;
  readonly reversal: { readonly id: string; readonly date: IsoDate; readonly reason: string | null } | null;
}

export interface CreditApplied {
  readonly creditNoteId: string;
  readonly full: boolean;
  /** Positive minor units: the credit note's total negated. */
  readonly amount: MinorUnits;
  readonly details: readonly { readonly detailId: string; readonly quantity: Decimal; readonly net: MinorUnits }[];
}

/** Not-to-exceed state of a contract line at build time, checked again by recalculate and send. */
export interface LimitSnapshot {
  readonly contractLineId: string;
  readonly notToExceed: MinorUnits;
  /** Issued-to-date minus credits plus other open drafts. */
  readonly consumedBefore: MinorUnits;
}

export type ExclusionReason =
  | 'after_cut_off'
  | 'on_hold'
  | 'on_other_invoice'
  | 'over_limit'
  | 'not_approved'
  | 'non_chargeable'
  | 'filtered_out'
  /** Milestones not marked ready for invoicing. */
  | 'not_ready';

export interface ExcludedItem {
  readonly kind: 'transaction' | 'milestone';
  readonly id: string;
  readonly reason: ExclusionReason;
  /** on_other_invoice: the invoice holding it. */
  readonly invoiceId?: string;
}

export interface AuditEntry {
  readonly action: string;
  readonly actor: string;
  /** ISO instant from the command context. */
  readonly at: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  /** Adopted: before/after hold the changed fields only (status, total and the command's own fields), not the whole invoice. */
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
}

export interface Invoice {
  readonly id: string;
  readonly kind: InvoiceKind;
  /** Null until issued. */
  readonly number: string | null;
  readonly projectId: string;
  readonly customer: CustomerSnapshot;
  readonly billTo: BillTo;
  readonly currency: string;
  readonly origin: InvoiceOrigin;
  readonly cutOff: IsoDate;
  readonly issueDate: IsoDate | null;
  readonly dueDate: IsoDate | null;
  readonly paymentTermsDays: number;
  readonly poNumber: string | null;
  /** BT-10, copied from the project; absent on invoices made before it existed. */
  readonly buyerReference?: string | null;
  readonly notes: string | null;
  readonly status: InvoiceStatus;
  readonly details: readonly InvoiceDetail[];
  readonly lines: readonly InvoiceLine[];
  readonly totals: InvoiceTotals;
  readonly limits: readonly LimitSnapshot[];
  /** Items left out of this draft because of the not-to-exceed limit (over_limit). */
  readonly excluded: readonly ExcludedItem[];
  readonly payments: readonly Payment[];
  /** Credit notes applied to this invoice. */
  readonly credits: readonly CreditApplied[];
  /** Credit notes: the invoice they correct. */
  readonly creditFor: string | null;
  /** Review before sending: who submitted, who approved or returned it (absent: never submitted). */
  readonly review?: Review;
  /**
   * The sums of ALL details (per rate group and line). When present, `details` may hold only the details a command
   * touches: commands then derive lines and totals from the sums (editing one detail of 20,000 reads one).
   */
  readonly summary?: DetailSummary;
  readonly version: number;
  readonly audit: readonly AuditEntry[];
}

export interface Review {
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly returnedBy: string | null;
  readonly returnedAt: string | null;
  /** The comment of the last return to draft. */
  readonly comment: string | null;
}

/** Who and when, given to every command (no clock inside the domain). */
export interface CommandContext {
  readonly actor: string;
  /** ISO instant. */
  readonly now: string;
  /** The firm's calendar date (see todayInZone). */
  readonly today: IsoDate;
}

/** `P#D`: the key of run (project, run date); one invoice per key. */
export function runKey(projectId: string, runDate: IsoDate): string {
  return `${projectId}#${runDate}`;
}

/**
 * An open invoice: an invoice (not a credit note) that is issued or partly paid and still owed money. It takes
 * payments, is proposed for bank-statement lines, is listed among a customer's open invoices, and (with a due date)
 * gets reminders. Takes stored headers too, whose status may also be `building` or `discarded`.
 */
export function isOpenInvoice(invoice: {
  readonly kind: Invoice['kind'];
  readonly status: string;
  readonly totals: { readonly balance: number };
}): boolean {
  return (
    invoice.kind === 'invoice' &&
    (invoice.status === 'issued' || invoice.status === 'partially_paid') &&
    invoice.totals.balance > 0
  );
}

/** The invoice takes a payment in this currency: an open invoice, in the payment's currency. */
export function takesPaymentIn(
  invoice: Parameters<typeof isOpenInvoice>[0] & { readonly currency: string },
  currency: string,
): boolean {
  return isOpenInvoice(invoice) && invoice.currency === currency;
}
