/**
 * The ports of the setup use cases (customers, projects, transactions, milestones, the CSV import) and the records
 * they write: implemented by the DynamoDB adapter (adapters/dynamodb/setup-store.ts, transactions-store.ts), bound
 * in handlers/wiring/setup.ts, and in memory by the unit tests (test/unit/setup/memory-setup.ts).
 */
import type { ContractLine, CustomerSnapshot, InvoiceFrequency, Milestone, Transaction } from '../domain/index.ts';

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

export type StoredMilestone = MilestoneRecord & { readonly version?: number };

/**
 * A conditional write's outcome: written, or why not (the key exists on create, the version moved on, the item is
 * on an invoice, or it does not exist on change).
 */
export type WriteOutcome = 'ok' | 'exists' | 'stale' | 'invoiced' | 'missing';

/** `expectedVersion`: 'new' creates (the key must not exist), a number changes the item still at that version. */
export interface SetupStore {
  customer(id: string): Promise<CustomerRecord | undefined>;
  writeCustomer(customer: CustomerRecord, expectedVersion: number | 'new'): Promise<boolean>;
  project(id: string): Promise<ProjectRecord | undefined>;
  writeProject(project: ProjectRecord, expectedVersion: number | 'new'): Promise<boolean>;
  transaction(id: string): Promise<TransactionRecord | undefined>;
  /** Create, or change while unbilled and at the expected version. */
  writeTransaction(transaction: TransactionRecord, expectedVersion: number | 'new'): Promise<WriteOutcome>;
  milestone(projectId: string, id: string): Promise<StoredMilestone | undefined>;
  /** Create, or change while not invoiced and at the expected version. */
  writeMilestone(milestone: StoredMilestone, expectedVersion: number | 'new'): Promise<WriteOutcome>;
  /** An imported transaction, written once (false: it exists, left as it is). */
  putNewTransaction(transaction: TransactionRecord): Promise<boolean>;
}
