/**
 * The ports of the bank-statement use cases (import, report, assignment): what they need from storage and from the
 * invoices, in the words of the statement. Implemented by the DynamoDB adapter (adapters/dynamodb/
 * bank-statements-store.ts, bank-entry-lookups.ts), bound in handlers/wiring/payments.ts, and in memory by the unit
 * tests (test/unit/payments/memory-statements.ts). Nothing here knows DynamoDB.
 */
import type { BankPayment, BankPaymentOutcome } from '../invoices/use-cases/payments.ts';
import type { Actor } from '../invoices/use-cases/context.ts';
import type { InvoiceHeader } from '../invoices/ports.ts';

export type { Actor, BankPayment, InvoiceHeader };

export type LineState =
  | 'pending'
  | 'payment'
  | 'proposed'
  | 'unmatched'
  | 'unapplied'
  | 'assigned'
  | 'duplicate'
  | 'ignored';

export type IgnoredReason = 'debit' | 'currency' | 'account' | 'not_booked' | 'reversal';

export interface StatementLine {
  readonly statementId: string;
  readonly position: number;
  readonly entryId: string;
  readonly state: LineState;
  readonly direction: 'credit' | 'debit';
  readonly amount: string;
  readonly currency: string;
  readonly minor: number | null;
  readonly bookingDate: string | null;
  readonly valueDate: string | null;
  readonly debtorName: string | null;
  readonly debtorIban: string | null;
  readonly structuredReferences: readonly string[];
  readonly unstructured: string;
  readonly accountServicerReference: string | null;
  readonly endToEndId: string | null;
  readonly account: string | null;
  readonly reason?: IgnoredReason;
  /** payment / assigned / unapplied / proposed: the invoice (and its customer). */
  readonly invoiceId?: string;
  readonly customerId?: string | null;
  /** How the invoice was found: a structured reference, one in the text, amount and debtor, or a person. */
  readonly matchedBy?: 'structured' | 'unstructured' | 'amount_and_debtor' | 'person';
  /** Minor units applied to the invoice, and kept as unapplied money on the customer. */
  readonly applied?: number;
  readonly unapplied?: number;
  /** duplicate: where the entry was first imported. */
  readonly duplicateOf?: { readonly statementId: string; readonly position: number };
  readonly decidedBy?: string;
  readonly decidedAt?: string;
}

export interface StatementRecord {
  readonly id: string;
  readonly status: 'importing' | 'imported';
  readonly version: number;
  readonly messageId: string | null;
  readonly statements: readonly {
    readonly id: string;
    readonly iban: string | null;
    readonly from: string | null;
    readonly to: string | null;
  }[];
  readonly lineCount: number;
  readonly importedAt: string;
  readonly importedBy: string;
}

/** The claim of an entry's identity by the first statement line that brought it. */
export interface EntryClaim {
  readonly entryId: string;
  readonly statementId: string;
  readonly position: number;
}

/** Money received and not applied to an invoice, kept on a customer (written once per entry). */
export interface UnappliedMoney {
  readonly customerId: string;
  readonly entryId: string;
  readonly amount: number;
  readonly currency: string;
  readonly invoiceId: string | null;
  readonly statementId: string;
  readonly position: number;
  readonly receivedOn: string | null;
  readonly recordedAt: string;
}

/**
 * A line's move from one of `from` to its outcome, with the money kept on the customer and the account remembered
 * for the customer: written together, and only while the line is still in one of `from`.
 */
export interface LineSettlement {
  readonly line: Pick<StatementLine, 'statementId' | 'position'>;
  readonly from: readonly LineState[];
  readonly outcome: Partial<StatementLine> & { readonly state: LineState };
  readonly unapplied?: UnappliedMoney;
  /** The customer an account pays for (the latest applied payment wins). */
  readonly debtorAccount?: { readonly iban: string; readonly customerId: string; readonly at: string };
}

export interface BankStatements {
  record(statementId: string): Promise<StatementRecord | undefined>;
  /** Creates the record; false when it exists (a retry, or the same document imported at the same time). */
  create(record: StatementRecord): Promise<boolean>;
  /** `importing` -> `imported` (nothing when it is imported already). */
  markImported(statementId: string): Promise<void>;
  /** Every line of a statement, in document order. */
  lines(statementId: string): Promise<StatementLine[]>;
  line(statementId: string, position: number): Promise<StatementLine | undefined>;
  /** A line that is only reported (ignored, duplicate): written once; a retry finds it written. */
  putReported(line: StatementLine): Promise<void>;
  /**
   * Claims the entry's identity for this line and writes the line `pending`, atomically. Returns the claim that
   * holds: this line's own (new, or from an earlier attempt), or another line's (a duplicate).
   */
  claim(line: StatementLine): Promise<EntryClaim>;
  entryClaim(entryId: string): Promise<EntryClaim | undefined>;
  /** Writes the settlement; false when the line is no longer in one of `from` (nothing written). */
  settle(settlement: LineSettlement): Promise<boolean>;
  /** The numbers of invoices (for the report). */
  invoiceNumbers(invoiceIds: readonly string[]): Promise<Map<string, string | null>>;
}

/** The lookups of matching (functions/payments/matching.ts). */
export interface PaymentLookups {
  /** The invoice a canonical payment reference belongs to. */
  invoiceOfReference(canonical: string): Promise<{ invoiceId: string; customerId: string | null } | undefined>;
  /** Customers whose name is exactly `name` (case-insensitive, spaces collapsed). */
  customersNamed(name: string): Promise<string[]>;
  /** The customer an account's payments were applied to before. */
  customerOfAccount(iban: string): Promise<string | undefined>;
  /** Open invoices of a customer whose balance is exactly `balance` (at most two). */
  openInvoicesWithBalance(customerId: string, currency: string, balance: number): Promise<string[]>;
}

export interface InvoicePayments {
  header(invoiceId: string): Promise<InvoiceHeader | undefined>;
  /**
   * Records the entry as a payment on the invoice in ONE atomic change with the settlement `settle` gives for the
   * amount applied and the rest (the invoices' use case recordBankPayment).
   */
  recordBankPayment(
    invoiceId: string,
    payment: BankPayment,
    actor: Actor,
    now: Date,
    settle: (applied: number, unapplied: number, header: InvoiceHeader) => LineSettlement,
  ): Promise<BankPaymentOutcome['kind']>;
}

export interface PaymentPorts {
  readonly statements: BankStatements;
  readonly lookups: PaymentLookups;
  readonly invoices: InvoicePayments;
  /** The firm's own account (entries on other accounts are ignored). */
  firmIban(): Promise<string | null | undefined>;
  customerExists(customerId: string): Promise<boolean>;
}
