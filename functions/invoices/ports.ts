/**
 * The ports of the invoice use cases (functions/invoices/use-cases/): what they need from storage, owned here and
 * implemented by the DynamoDB adapter (functions/adapters/dynamodb/apply-effects.ts) and by the in-memory
 * one of the unit tests (test/unit/invoices/memory-ports.ts). Nothing here knows DynamoDB.
 */
import type { FirmProfile } from '../documents/firm.ts';
import { Conflict } from '../shared/errors.ts';
import type {
  AuditEntry,
  CommandContext,
  CreditNoteCommand,
  CreditResult,
  CustomerSnapshot,
  Effects,
  Invoice,
  InvoiceDetail,
  InvoiceStatus,
  DetailSummary,
} from '../domain/index.ts';
import { summarizeDetails } from '../domain/index.ts';

/** The stored invoice header: the invoice without its details, plus what storage keeps beside it. */
/** A transaction as a detail names it: its id and its date (a reserved transaction's date does not change). */
export interface TransactionRef {
  readonly id: string;
  readonly date: string;
}

export type StoredInvoiceStatus = InvoiceStatus | 'building' | 'discarded';

export type InvoiceHeader = Omit<Invoice, 'details' | 'audit' | 'excluded' | 'status'> & {
  readonly status: StoredInvoiceStatus;
  readonly detailCount: number;
  /**
   * Detail items the invoice holds, kept exact in the same transactions that write and delete them: a building
   * draft is only dropped while it holds none, and only completed when it holds what it was built with.
   */
  readonly heldCount: number;
  /** A run's building draft: the key of the build the last attempt writes (see run-write-path.ts). */
  readonly buildKey?: string;
  readonly excludedCount: number;
  readonly createdAt: string;
  /** Issued documents: the firm as it was at Send, so the documents never change afterwards. */
  readonly supplier?: FirmProfile;
  /** Issued documents: the contract lines' printed names as they were at Send. */
  readonly contractLineNames?: Readonly<Record<string, string>>;
  /** Issued documents: the project's name as it was at Send (printed; the internal id never is). */
  readonly projectName?: string;
  /** Issued, but its billing did not fit in the issue's transaction (see adapters/dynamodb/apply-effects.ts). */
  readonly billingPending?: boolean;
  /** A credit note whose details are still being written (see credit-note-store.ts). */
  readonly detailsPending?: boolean;
  /** The customer the project bills (for listing invoices by customer); absent on headers written before it existed. */
  readonly customerId?: string | null;
  /**
   * Mergeable sums of the details (per rate group and line), so that editing one detail of a 20,000-detail draft
   * updates the totals without reading the other details. Absent on older headers: computed once from the details.
   */
  readonly summary?: DetailSummary;
  /**
   * Issued invoices: the structured payment reference frozen in the issue transaction, as the customer types it
   * (`RF18INV2027000042`, or Belgian `+++202/7000/04211+++`); see functions/domain/payment-reference.ts.
   */
  readonly paymentReference?: string;
  /** Reminders are paused on this invoice (a dispute): by whom, when, why. Absent when not paused. */
  readonly remindersPaused?: ReminderPause;
  /** The last reminder level sent, and the run date it was sent on. */
  readonly lastReminder?: { readonly level: number; readonly date: string };
};

export interface ReminderPause {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface StoredAuditEntry extends AuditEntry {
  /** The caller's stable id (Cognito sub); `actor` is the user name. */
  readonly actorId: string;
}

/** One state change of an invoice, written atomically by `InvoiceChanges.apply`. */
export interface InvoiceChangeToApply {
  /** The header is written only if it is still at this version (else StaleVersion). */
  readonly expectedVersion: number;
  /** The header after the change (version + 1). */
  readonly header: InvoiceHeader;
  readonly audit: StoredAuditEntry;
  /** The domain command's effects, applied exactly (details written and deleted, work released ...). */
  readonly effects: Effects;
  /** Writes of the caller's own adapter that must happen in the same atomic change (opaque here). */
  readonly alsoWrite?: readonly object[];
}

/** A condition on another item of the change failed (e.g. the transaction was changed meanwhile). */
export class ItemConflict extends Conflict {
  override readonly name = 'ItemConflict';
}

export interface InvoiceChanges {
  header(invoiceId: string): Promise<InvoiceHeader | undefined>;
  /** One detail, without reading the others. */
  detail(invoiceId: string, detailId: string): Promise<InvoiceDetail | undefined>;
  /** Every detail (O(details)). */
  details(invoiceId: string): Promise<InvoiceDetail[]>;
  /** Writes the change atomically; StaleVersion when the header moved on, ItemConflict when another item did. */
  apply(change: InvoiceChangeToApply): Promise<void>;
  /** Discard, after the header says `discarded`: deletes the detail and releases what it reserved (idempotent). */
  releaseDiscardedDetail(header: InvoiceHeader, detail: InvoiceDetail): Promise<void>;
}

export interface CustomerDirectory {
  /** The customer data the project bills today (Recalculate re-reads it). */
  currentCustomer(projectId: string): Promise<CustomerSnapshot | undefined>;
}

export interface InvoicePorts {
  readonly invoices: InvoiceChanges;
  readonly customers: CustomerDirectory;
  /** The firm's IANA time zone ("today"). */
  readonly timeZone: string;
}

/** The stored header of a domain invoice: the invoice without its details, with what storage keeps beside it. */
export function storedHeader(
  invoice: Invoice,
  status: StoredInvoiceStatus,
  createdAt: string,
  customerId: string | null = null,
): InvoiceHeader {
  const { details, audit: _audit, excluded, status: _status, ...header } = invoice;
  return {
    ...header,
    status,
    detailCount: details.length,
    heldCount: status === 'building' ? 0 : details.length,
    excludedCount: excluded.length,
    createdAt,
    customerId,
    summary: summarizeDetails(details),
  };
}

/** The domain's view of a header with the given details (all of them, or only those a command touches). */
export function asInvoice(header: InvoiceHeader, details: readonly InvoiceDetail[]): Invoice {
  const {
    detailCount: _dc,
    heldCount: _hc,
    buildKey: _bk,
    excludedCount: _ec,
    createdAt: _ca,
    customerId: _ci,
    summary: _s,
    supplier: _su,
    contractLineNames: _cl,
    projectName: _pn,
    billingPending: _bp,
    detailsPending: _dp,
    paymentReference: _pr,
    ...rest
  } = header;
  return { ...rest, status: header.status as Invoice['status'], details, audit: [], excluded: [] };
}

/**
 * What a credit note needs to finish after its transaction: the credited invoice's header as it was, the command
 * and its context. From these and the invoice's details (a credit does not change them) the same credit is computed
 * again.
 */
export interface CreditPlan {
  readonly creditNoteId: string;
  readonly invoiceId: string;
  readonly invoiceBefore: InvoiceHeader;
  readonly command: CreditNoteCommand;
  readonly context: CommandContext;
  readonly createdAt: string;
}

/** The issue of a credit note: written in ONE atomic change, or not at all. */
export interface CreditIssue {
  /** The claim of the next number of the series (from `nextNumber`, opaque here). */
  readonly claim: object;
  /** The credited invoice's header is written only at this version. */
  readonly expectedVersion: number;
  readonly invoice: InvoiceHeader;
  readonly creditNote: InvoiceHeader;
  readonly audit: StoredAuditEntry;
  readonly plan: CreditPlan;
  /** The credit note's e-mail, queued in the same change (the outbox). */
  readonly delivery?: { readonly to: string; readonly queuedAt: string; readonly queuedBy: string };
}

export interface CreditNotes {
  /** The next number of the credit-note series of the year, and the claim that takes it. */
  nextNumber(year: number): Promise<{ readonly number: string; readonly claim: object }>;
  /**
   * Writes the issue; `number_taken` when another document took the number meanwhile (read the next one).
   * StaleVersion when the invoice moved on or the credit note exists already.
   */
  issue(issue: CreditIssue): Promise<'issued' | 'number_taken'>;
  /** Writes the credit note's details and the credited work (idempotent), then clears `detailsPending` and the plan. */
  complete(result: CreditResult): Promise<void>;
  plan(creditNoteId: string): Promise<CreditPlan | undefined>;
}
