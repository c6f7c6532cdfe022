/**
 * Shapes of the portal API, from the types generated from the contract (api-schema.ts, `npm run generate:api`):
 * names for the schemas the pages use, never hand copies.
 */
import type { components } from './api-schema.ts';

type Schemas = components['schemas'];

export type Invoice = Schemas['Invoice'];
export type InvoiceStatus = Invoice['status'];
export type Totals = Schemas['Totals'];
export type Payment = Schemas['PaymentRecord'];
export type Review = Schemas['Review'];
export type TaxRate = Schemas['TaxRate'];
export type InvoiceDetail = Schemas['InvoiceDetail'];
export type BillingType = NonNullable<Schemas['EditDetail']['billingType']>;
export type InvoiceWithDetails = Schemas['InvoiceWithDetails'];
export type ChangeResult = Schemas['ChangeResult'];
export type AuditEntry = Schemas['AuditEntry'];
export type Delivery = Schemas['Delivery'];
export type ExcludedWork = Schemas['ExcludedWork'];
export type Customer = Schemas['Customer'];
export type Project = Schemas['Project'];
export type Milestone = Schemas['Milestone'];
export type Preview = Schemas['Preview'];
export type Run = Schemas['Run'];
export type RunStatus = Run['status'];
export type RunCounts = Schemas['RunCounts'];
export type Settings = Schemas['Settings'];
export type TransactionType = NonNullable<Schemas['PreviewRequest']['transactionTypes']>[number];

export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

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
export const transactionTypes: readonly TransactionType[] = ['time', 'expense', 'material', 'fee'];
