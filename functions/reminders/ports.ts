/**
 * The ports of the reminder use cases (the reminder run's steps, pause and resume, the history, the overdue list):
 * what they need from storage, the firm and the outbox. Implemented by the DynamoDB adapter (adapters/dynamodb/
 * reminders-store.ts) and the delivery use case, bound in handlers/wiring/reminders.ts, and in memory by the unit
 * tests (test/unit/reminders/memory-reminders.ts). Nothing here knows DynamoDB.
 */
import type { LateInterest, ReminderPlan } from '../domain/index.ts';
import type { FirmProfile } from '../documents/firm.ts';
import type { InvoiceHeader, ReminderPause, StoredAuditEntry } from '../invoices/ports.ts';
import type { ReminderMessage } from '../sending/ports.ts';

export type { InvoiceHeader, ReminderPause, StoredAuditEntry };

/** A reminder's e-mail as composed when its level was claimed (the outbox's delivery carries it). */
export type { ReminderMessage };

export interface ReminderRecord {
  readonly invoiceId: string;
  readonly level: number;
  /** The run date it was sent for. */
  readonly date: string;
  readonly daysOverdue: number;
  readonly openAmount: number;
  readonly currency: string;
  /** The final notice's statutory interest and compensation, when stated. */
  readonly lateInterest: LateInterest | null;
  readonly deliveryId: string;
  readonly claimedAt: string;
  readonly executionId: string | null;
}

export interface ReminderPauseEvent {
  readonly invoiceId: string;
  readonly action: 'paused' | 'resumed';
  readonly reason: string;
  readonly by: string;
  readonly at: string;
  readonly version: number;
}

export interface ReminderFailure {
  readonly invoiceId: string;
  readonly date: string;
  readonly error: string;
  readonly cause: string;
  readonly executionId: string | null;
  readonly at: string;
}

/** The outbox id of a level's e-mail. */
export const reminderDeliveryId = (level: number): string => `reminder-${level}`;

export interface OverduePage {
  readonly headers: InvoiceHeader[];
  readonly next?: Record<string, unknown>;
}

/** A level claimed with its audit entry and queued e-mail, in one atomic change conditional on the header read. */
export interface ReminderClaim {
  readonly header: InvoiceHeader;
  readonly record: ReminderRecord;
  readonly audit: StoredAuditEntry;
  readonly delivery: { readonly to: string; readonly queuedBy: string; readonly message: ReminderMessage };
}

/**
 * `header_changed`: someone wrote the header first (a payment, a pause, another level): decide again from it.
 * `level_claimed`: this level was claimed already (another execution).
 */
export type ClaimOutcome = 'claimed' | 'header_changed' | 'level_claimed';

export interface ReminderHistory {
  readonly reminders: ReminderRecord[];
  readonly pauses: ReminderPauseEvent[];
  readonly failures: ReminderFailure[];
}

export interface Reminders {
  /** Open issued invoices with a due date on or before `latestDueDate`, oldest due first, paged (A31). */
  openInvoicesDueBy(latestDueDate: string, limit: number, startKey?: Record<string, unknown>): Promise<OverduePage>;
  /** Claims a level (header still open, not paused, at the version read; the level not claimed yet). */
  claim(claim: ReminderClaim): Promise<ClaimOutcome>;
  /** Pause or resume: the header at `expectedVersion`, its audit entry and the event, atomically. */
  writePause(
    header: InvoiceHeader,
    expectedVersion: number,
    pause: ReminderPause | undefined,
    event: ReminderPauseEvent,
    audit: StoredAuditEntry,
  ): Promise<'written' | 'stale'>;
  history(invoiceId: string): Promise<ReminderHistory>;
  /** Records a run's failure for the invoice on a date (overwrites an earlier one of that date). */
  putFailure(failure: ReminderFailure): Promise<void>;
}

/** What the reminder history shows of a queued e-mail. */
export interface ReminderDelivery {
  readonly deliveryId: string;
  readonly to: string;
  readonly status: string;
  readonly sentAt: string | null;
  readonly reminder?: ReminderMessage;
}

/** What the reminder reads, pauses and history need: the ports without the outbox's delivery. */
export type ReminderRecordPorts = Omit<ReminderPorts, 'deliver'>;

export interface ReminderPorts {
  readonly reminders: Reminders;
  header(invoiceId: string): Promise<InvoiceHeader | undefined>;
  /** The firm (its name and account on the e-mail) and its reminder plan, checked. */
  firm(): Promise<{ readonly profile: FirmProfile; readonly plan: ReminderPlan }>;
  /** Delivers a queued e-mail through the outbox (claimed before SES; an unknown outcome is never resent). */
  deliver(invoiceId: string, deliveryId: string, now: () => string): Promise<{ readonly status: string } | undefined>;
  deliveries(invoiceId: string): Promise<readonly ReminderDelivery[]>;
}
