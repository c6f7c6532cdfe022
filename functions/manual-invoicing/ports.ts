/**
 * The ports of manual invoicing (Next and Finish): the project's billing data and the draft being built, in the
 * words of rules section 5. Implemented by the DynamoDB adapter (projects-store.ts, transactions-store.ts,
 * invoices-store.ts), bound in handlers/wiring/manual-invoicing.ts, and in memory by the unit tests
 * (test/unit/manual-invoicing/memory-drafts.ts). Nothing here knows DynamoDB.
 */
import type { ExcludedItem, InvoiceDetail, Milestone, Project, Transaction } from '../domain/index.ts';
import type { InvoiceHeader, StoredAuditEntry, TransactionRef } from '../invoices/ports.ts';

export type { InvoiceHeader };

export interface ManualBilling {
  /** The project as the domain builds invoices from it, its milestones and the customer it bills. */
  context(
    projectId: string,
  ): Promise<{ project: Project; milestones: readonly Milestone[]; customerId: string | null } | undefined>;
  /** Every transaction of the project that is unbilled or on a draft (those on another invoice are excluded). */
  openTransactions(projectId: string): Promise<Transaction[]>;
  /** The project's transactions by id and date (A40). */
  transactionsById(projectId: string, transactions: readonly TransactionRef[]): Promise<Transaction[]>;
  /** The project's invoices and credit notes with their lines (what they consume of not-to-exceed limits). */
  projectInvoices(projectId: string): Promise<readonly Pick<InvoiceHeader, 'id' | 'lines'>[]>;
}

/** A draft built the way a run builds one: a `building` header, its details reserved in chunks, then a draft. */
export interface ManualDrafts {
  header(invoiceId: string): Promise<InvoiceHeader | undefined>;
  details(invoiceId: string): Promise<InvoiceDetail[]>;
  createBuilding(header: InvoiceHeader): Promise<boolean>;
  /** Most details one `reserve` takes. */
  readonly reservationChunk: number;
  /**
   * Reserves the details' transactions and milestones and writes the details, all or nothing, while the draft is
   * building. `taken`: details whose item another invoice holds; `alreadyHeld`: details this draft holds already.
   */
  reserve(
    invoiceId: string,
    projectId: string,
    details: readonly InvoiceDetail[],
  ): Promise<{ readonly taken: string[]; readonly alreadyHeld: string[] }>;
  /** Takes details off the building draft and returns their work to the backlog. */
  release(invoiceId: string, projectId: string, details: readonly InvoiceDetail[]): Promise<void>;
  /** Drops the header of a building draft that holds no detail. */
  dropBuilding(invoiceId: string): Promise<boolean>;
  replaceExcluded(invoiceId: string, excluded: readonly ExcludedItem[]): Promise<void>;
  /** `building` -> draft with the totals, only while it holds every detail; false otherwise. */
  complete(draft: InvoiceHeader): Promise<boolean>;
  audit(invoiceId: string, entry: StoredAuditEntry): Promise<void>;
}

export interface ManualInvoicingPorts {
  readonly billing: ManualBilling;
  readonly drafts: ManualDrafts;
  /** The firm's IANA time zone ("today"). */
  readonly timeZone: string;
}
