/**
 * The ports of Send to customer and of the deliveries (functions/sending/): what these use cases need from storage,
 * the mailer, the archive and the workflow, owned here and implemented by the adapters (DynamoDB, SES, S3, Step
 * Functions; bound in functions/handlers/wiring/sending.ts) and in memory by the unit tests
 * (test/unit/sending/memory-ports.ts). Nothing here knows AWS.
 */
import type { Effects, Invoice, IssueEffects } from '../domain/index.ts';
import type { BillingEffects } from '../domain/index.ts';
import type { FirmProfile } from '../documents/firm.ts';
import type { InvoiceHeader, StoredAuditEntry } from '../invoices/ports.ts';
import type { DocumentArchive } from './document-archive.ts';

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'unknown';

/** A reminder's e-mail as composed when its level was claimed (so every attempt sends the same words). */
export interface ReminderMessage {
  readonly level: number;
  readonly final: boolean;
  readonly subject: string;
  readonly text: string;
}

export interface Delivery {
  readonly invoiceId: string;
  readonly deliveryId: string;
  readonly kind: 'send' | 'resend' | 'reminder';
  /** kind reminder: the message to send (with the invoice PDF attached). */
  readonly reminder?: ReminderMessage;
  readonly to: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly queuedAt: string;
  readonly queuedBy: string;
  readonly nextAttemptAt: string | null;
  readonly startedAt: string | null;
  readonly sentAt: string | null;
  readonly sesMessageId: string | null;
  readonly lastError: string | null;
  /** Set when sent: whether the UBL e-invoice went with the PDF, and if not, why (e.g. no Peppol id, BHD). */
  readonly eInvoice?: { readonly attached: boolean; readonly reason: string | null };
}

/** Definite failures are retried this many times, with backoff; then the delivery stays failed for operators. */
export const MAX_DELIVERY_ATTEMPTS = 5;

export type QueuedDelivery = Pick<Delivery, 'invoiceId' | 'deliveryId' | 'kind' | 'to' | 'queuedAt' | 'queuedBy'>;

export type DeliveryOutcome =
  | { status: 'sent'; sesMessageId: string; at: string; eInvoice?: Delivery['eInvoice'] }
  | { status: 'failed'; error: string; at: string; nextAttemptAt: string | null }
  | { status: 'unknown'; error: string; at: string };

/** The outbox and delivery log. */
export interface Deliveries {
  get(invoiceId: string, deliveryId: string): Promise<Delivery | undefined>;
  list(invoiceId: string): Promise<Delivery[]>;
  /** Queues a delivery unless one with its id exists (false then). */
  queue(delivery: QueuedDelivery): Promise<boolean>;
  /** queued (or failed and due) -> sending, for one attempt; undefined when it is not to be sent now. */
  claim(invoiceId: string, deliveryId: string, now: string): Promise<Delivery | undefined>;
  /** The outcome of the attempt that claimed it (only while that attempt still holds it). */
  record(claimed: Delivery, outcome: DeliveryOutcome): Promise<void>;
  /** Deliveries in one state, oldest first, up to a time (queued/failed: due by then; sending: started before). */
  outbox(status: DeliveryStatus, upTo: string): Promise<Delivery[]>;
  /** A `sending` delivery whose attempt never reported back: unknown (never sent again by itself). */
  markUnknown(delivery: Delivery, at: string): Promise<void>;
}

export interface Mailer {
  /** Hands a raw MIME message to the mail service; answers its message id. */
  send(raw: Buffer): Promise<string>;
  /** Did the service certainly not take the message (so a retry cannot send it twice)? */
  definitelyNotSent(error: unknown): boolean;
}

export interface DeliveryStarter {
  /** Starts the delivery of an invoice's documents and queued e-mails, where nobody waits. */
  start(invoiceId: string): Promise<void>;
}

/** One issue of an invoice, written atomically by `Issuing.apply`: exactly the domain's effects of `issue`. */
export interface IssueChange {
  /** The header is written only if it is still at this version (else StaleVersion). */
  readonly expectedVersion: number;
  /** The header after the issue (number, dates, status, frozen supplier and names, payment reference). */
  readonly header: InvoiceHeader;
  readonly audit: StoredAuditEntry;
  /** Send's effects: transactions billed and written down, manual details' transactions, milestones invoiced. */
  readonly effects: Effects;
  /** The counter, the payment reference and the queued e-mail. */
  readonly issue: IssueEffects;
}

export interface Issuing {
  /** The header with every detail, as the domain sees it. */
  load(invoiceId: string): Promise<{ header: InvoiceHeader; invoice: Invoice } | undefined>;
  /** The last number taken in the invoice series of the year (0: none yet). */
  lastInSeries(year: number): Promise<number>;
  /** Writes the issue; `number_taken` when another document took the number meanwhile (read it again). */
  apply(change: IssueChange): Promise<'issued' | 'number_taken'>;
  /**
   * Writes billing that did not fit in the issue's one transaction (idempotent), then clears `billingPending`:
   * run by the issue itself and, after a crash, by the next delivery attempt.
   */
  completeBilling(invoiceId: string, projectId: string, billing: BillingEffects): Promise<void>;
}

export interface ProjectNames {
  /** The project's printed name and its contract lines' names (A3), frozen with the invoice at Send. */
  names(projectId: string): Promise<{ contractLineNames: Record<string, string>; projectName?: string }>;
}

export interface Firm {
  profile(): Promise<FirmProfile>;
}

/** What Send to customer and resend need. */
export interface SendPorts {
  readonly invoices: { header(invoiceId: string): Promise<InvoiceHeader | undefined> };
  readonly issuing: Issuing;
  readonly firm: Firm;
  readonly projects: ProjectNames;
  readonly deliveries: Deliveries;
  readonly starter: DeliveryStarter;
}

/** A credit note a crash left with its details pending. */
export interface PendingCreditNotes {
  /** Begun before `upTo` and not finished. */
  pending(upTo: string): Promise<string[]>;
  /** Finishes it (see functions/invoices/use-cases/credit.ts); false when there was nothing to finish. */
  resume(creditNoteId: string): Promise<boolean>;
}

/** What the deliveries need (the deliver-invoices workflow, the outbox sweep, a reminder's e-mail). */
export interface DeliveryPorts {
  readonly issuing: Pick<Issuing, 'load' | 'completeBilling'>;
  readonly invoices: { header(invoiceId: string): Promise<InvoiceHeader | undefined> };
  readonly firm: Firm;
  readonly archive: DocumentArchive;
  readonly deliveries: Deliveries;
  readonly mailer: Mailer;
  readonly creditNotes: PendingCreditNotes;
  /** The sender address when the deployment sets one (else the firm's). */
  readonly senderEmail?: string;
}
