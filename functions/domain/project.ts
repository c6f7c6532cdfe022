/**
 * What is invoiced (rules section 2): the project with its customer and contract lines, and the work recorded
 * against it (transactions, milestones). The invoice made of it: invoice.ts.
 */
import type { ElectronicAddress, PostalAddress } from './addresses.ts';
import type { IsoDate } from './dates.ts';
import type { Decimal, MinorUnits } from './money.ts';
import type { TaxRate } from './tax.ts';

export type TransactionType = 'time' | 'expense' | 'material' | 'fee';
export type BillingType = 'chargeable' | 'complimentary' | 'non_chargeable' | 'not_available';
export type BillingMethod = 'time_and_material' | 'fixed_price';
export const TRANSACTION_TYPES: readonly TransactionType[] = ['time', 'expense', 'material', 'fee'];

export interface CustomerSnapshot {
  readonly name: string;
  /** Legacy free-text postal address, lines separated by "\n" (old customers; printed as is, never parsed). */
  readonly address?: string;
  /** Structured postal address; documents print from it. Absent on old customers until an admin completes it. */
  readonly postalAddress?: PostalAddress | null;
  /** Peppol participant id; without one, an EU VAT number gives the endpoint, else no e-invoice is sent. */
  readonly electronicAddress?: ElectronicAddress | null;
  readonly email: string | null;
  readonly taxId: string | null;
  /** BCP 47 language of documents, e.g. "nl", "en". */
  readonly language: string;
  readonly reverseCharge?: boolean;
}

export interface ContractLine {
  readonly id: string;
  readonly description: string;
  readonly billingMethod: BillingMethod;
  /** Optional not-to-exceed limit in minor units (time and material only). */
  readonly notToExceed?: MinorUnits | null;
  /** Issued-to-date minus credits plus open drafts on this contract line, in minor units (needed for not-to-exceed). */
  readonly consumed?: MinorUnits;
}

export interface Project {
  readonly id: string;
  readonly currency: string;
  readonly customer: CustomerSnapshot;
  readonly contractLines: readonly ContractLine[];
  /** Adopted: payment terms live on the project (default for new invoices); 30 days when absent. */
  readonly paymentTermsDays?: number;
  /** The buyer's reference (BT-10), copied to each new draft. */
  readonly buyerReference?: string | null;
}

export interface Transaction {
  readonly id: string;
  readonly type: TransactionType;
  /** Work, expense, usage or fee date; date-only, never converted between zones. */
  readonly date: IsoDate;
  readonly contractLineId: string;
  readonly resource: string | null;
  readonly orgUnit: string | null;
  readonly description: string;
  readonly printedDescription?: string;
  readonly quantity: Decimal;
  readonly unit: string;
  readonly unitPrice: Decimal;
  readonly tax: TaxRate;
  readonly billingType: BillingType;
  readonly approved: boolean;
  readonly onHold: boolean;
  /** Invoice that reserved or billed it, or null when unbilled. */
  readonly reservedBy: string | null;
  readonly version: number;
}

export interface Milestone {
  readonly id: string;
  readonly contractLineId: string;
  readonly description: string;
  readonly amount: MinorUnits;
  readonly date: IsoDate;
  readonly readyForInvoicing: boolean;
  readonly tax: TaxRate;
  /** Invoice that reserved or billed it, or null. */
  readonly invoicedBy: string | null;
}
