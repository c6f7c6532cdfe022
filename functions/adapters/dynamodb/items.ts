import type { ContractLine, CustomerSnapshot, InvoiceFrequency, Milestone, Transaction } from '../../domain/index.ts';

/**
 * What the table stores, item by item (keys and index attributes are added by the stores).
 * Domain values are stored as they are; these types add what only storage needs.
 */
export interface CustomerRecord extends CustomerSnapshot {
  readonly id: string;
  /** Default payment terms of the customer's projects; a project's own terms win. Not part of an invoice's snapshot. */
  readonly paymentTermsDays?: number | null;
  readonly version: number;
}

export interface ProjectRecord {
  readonly id: string;
  readonly name: string;
  readonly customerId: string;
  readonly currency: string;
  readonly orgUnit: string | null;
  readonly frequency: InvoiceFrequency;
  /** Bounded (a project has a handful of contract lines), so kept on the project item. */
  readonly contractLines: readonly ContractLine[];
  /** The project's own payment terms; absent or null: the customer's (rules section 3, adopted), else 30 days. */
  readonly paymentTermsDays?: number | null;
  /** BT-10: the buyer's reference (a purchase-order number or the customer's own reference), copied to new drafts. */
  readonly buyerReference?: string | null;
  readonly version: number;
}

export type BillingState = 'unbilled' | 'reserved' | 'billed';

export interface TransactionRecord extends Transaction {
  readonly projectId: string;
  readonly billingState: BillingState;
}

export interface MilestoneRecord extends Milestone {
  readonly projectId: string;
}

/** Strips the table's own attributes from an item read back. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    gsi2pk: _g2,
    gsi2sk: _g2s,
    gsi3pk: _g3,
    gsi3sk: _g3s,
    gsi4pk: _g4,
    gsi4sk: _g4s,
    entity: _entity,
    expiresAt: _expiresAt,
    ...rest
  } = item;
  return rest as T;
}
