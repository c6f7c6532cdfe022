/** Shapes of the portal API (functions/api/openapi.ts). */
export type InvoiceStatus =
  | 'building'
  | 'draft'
  | 'in_review'
  | 'issued'
  | 'partially_paid'
  | 'paid'
  | 'cancelled'
  | 'discarded';
export const invoiceStatuses: readonly InvoiceStatus[] = [
  'draft',
  'in_review',
  'issued',
  'partially_paid',
  'paid',
  'cancelled',
  'discarded',
  'building',
];
export type TransactionType = 'time' | 'expense' | 'material' | 'fee';
export const transactionTypes: readonly TransactionType[] = ['time', 'expense', 'material', 'fee'];
export type BillingType = 'chargeable' | 'complimentary' | 'non_chargeable';

export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

export interface Totals {
  readonly net: number;
  readonly waived?: number;
  readonly tax: number;
  readonly total: number;
  readonly paid: number;
  readonly credited?: number;
  readonly balance: number;
}

export interface Payment {
  readonly id: string;
  readonly amount: number;
  readonly date: string;
  readonly method: string;
  readonly reference: string | null;
  readonly reversal: { id: string; date: string; reason: string | null } | null;
}

export interface Invoice {
  readonly id: string;
  readonly kind: 'invoice' | 'credit_note';
  readonly number?: string | null;
  readonly status: InvoiceStatus;
  readonly projectId: string;
  readonly customerId: string | null;
  readonly currency: string;
  readonly cutOff?: string;
  readonly version: number;
  readonly totals: Totals;
  readonly payments?: Payment[];
  readonly detailCount?: number;
  readonly createdAt?: string;
  readonly issueDate?: string;
  readonly dueDate?: string;
  /** Issued invoices: the structured payment reference (RF..., or Belgian +++ddd/dddd/ddddd+++). */
  readonly paymentReference?: string | null;
}

export interface TaxRate {
  readonly code: string;
  readonly category: string;
  readonly rate: string;
}

export interface InvoiceDetail {
  readonly id: string;
  readonly type: 'time' | 'expense' | 'material' | 'fee' | 'milestone';
  readonly date?: string;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly net: number;
  readonly billingType: BillingType;
  readonly tax: TaxRate;
  readonly description?: string;
}

export interface InvoiceWithDetails extends Invoice {
  readonly details: Page<InvoiceDetail>;
}

export interface ChangeResult {
  readonly invoice: Invoice;
  readonly problems: { field: string; message: string }[];
}

export interface AuditEntry {
  readonly action: string;
  readonly actor: string;
  readonly at: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
}

export interface Customer {
  readonly id: string;
  readonly name: string;
  readonly email?: string | null;
  readonly address?: string;
  readonly language?: string;
  readonly version: number;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly customerId: string;
  readonly currency: string;
  readonly orgUnit?: string | null;
  readonly version: number;
}

export interface Milestone {
  readonly id: string;
  readonly projectId: string;
  readonly description?: string;
  readonly amount: number;
  readonly date?: string;
  readonly readyForInvoicing: boolean;
  readonly invoicedBy?: string | null;
}

export interface Preview {
  readonly token: string;
  readonly outcome: 'draft' | 'nothing_to_invoice';
  readonly invoice: { currency?: string; totals: Totals; details: InvoiceDetail[] } | null;
  readonly excluded: { kind: string; id: string; reason: string }[];
}

export type RunStatus = 'pending' | 'running' | 'invoiced' | 'nothing_to_invoice' | 'failed';

export interface Run {
  readonly projectId: string;
  readonly runDate: string;
  readonly cutOff?: string;
  readonly status: RunStatus;
  readonly attempts?: number;
  readonly invoiceId?: string | null;
  readonly failure: { error: string; cause: string; state: string; executionId?: string; at?: string } | null;
}

export interface RunCounts {
  readonly runDate: string;
  readonly total: number;
  readonly counts: Record<string, number>;
}
