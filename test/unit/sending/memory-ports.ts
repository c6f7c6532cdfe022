import type { BillingEffects, Invoice, InvoiceDetail } from '../../../functions/domain/index.ts';
import type { FirmProfile } from '../../../functions/documents/firm.ts';
import { asInvoice, type InvoiceHeader, type StoredAuditEntry } from '../../../functions/invoices/ports.ts';
import { memoryDocumentArchive } from '../../../functions/sending/document-archive.ts';
import {
  type Deliveries,
  type Delivery,
  type DeliveryPorts,
  type IssueChange,
  type Issuing,
  MAX_DELIVERY_ATTEMPTS,
  type SendPorts,
} from '../../../functions/sending/ports.ts';
import { StaleVersion } from '../../../functions/shared/errors.ts';

/**
 * The ports of Send and the deliveries in memory, with the DynamoDB adapter's conditions: the issue is all or
 * nothing, the counter moves only from the number read, the header only at the version read; a delivery is claimed
 * only while queued (or failed and due) and its outcome recorded only by the attempt holding it. The mailer records
 * every message handed to it; `failMail` makes the next hand-over fail as the test says.
 */
export class MemorySending {
  readonly headers = new Map<string, InvoiceHeader>();
  readonly details = new Map<string, readonly InvoiceDetail[]>();
  readonly audit: StoredAuditEntry[] = [];
  readonly series = new Map<number, number>();
  readonly references = new Map<string, string>();
  readonly deliveries = new Map<string, Delivery>();
  readonly transactions = new Map<string, string>();
  readonly milestones = new Map<string, 'billed'>();
  readonly issues: IssueChange[] = [];
  readonly billingCompleted: BillingEffects[] = [];
  readonly mailed: Buffer[] = [];
  readonly started: string[] = [];
  readonly archive = memoryDocumentArchive();
  /** Archive puts (to count renders). */
  archivePuts = 0;
  /** Before the next issue is applied (another Send taking the number meanwhile). */
  beforeIssue: (() => void) | undefined;
  failMail: Error | undefined;
  /** Archive puts of this invoice fail (its documents cannot be kept now). */
  failArchiveOf: string | undefined;
  pendingCreditNotes: string[] = [];
  resumed: string[] = [];

  constructor(readonly firm: FirmProfile) {}

  put(header: InvoiceHeader, details: readonly InvoiceDetail[]): void {
    this.headers.set(header.id, header);
    this.details.set(header.id, details);
  }

  readonly issuing: Issuing = {
    load: async (id) => {
      const header = this.headers.get(id);
      return header ? { header, invoice: asInvoice(header, this.details.get(id) ?? []) as Invoice } : undefined;
    },
    lastInSeries: async (year) => this.series.get(year) ?? 0,
    apply: async (change) => {
      this.beforeIssue?.();
      this.beforeIssue = undefined;
      const { series, paymentReference, queuedDelivery } = change.issue;
      if ((this.series.get(series.year) ?? 0) !== series.last) return 'number_taken';
      if (this.headers.get(change.header.id)?.version !== change.expectedVersion)
        throw new StaleVersion(null, 'invoice');
      const key = `${queuedDelivery.invoiceId}/${queuedDelivery.deliveryId}`;
      if (this.deliveries.has(key) || this.references.has(paymentReference.canonical))
        throw new Error('condition failed');
      this.issues.push(change);
      this.series.set(series.year, series.next);
      this.headers.set(change.header.id, change.header);
      this.audit.push(change.audit);
      this.references.set(paymentReference.canonical, change.header.id);
      this.deliveries.set(key, queued(queuedDelivery));
      this.bill(change.header.id, change.effects);
      return 'issued';
    },
    completeBilling: async (invoiceId, _projectId, billing) => {
      this.billingCompleted.push(billing);
      this.bill(invoiceId, billing);
      const header = this.headers.get(invoiceId);
      if (header) {
        const { billingPending: _pending, ...rest } = header;
        this.headers.set(invoiceId, rest);
      }
    },
  };

  private bill(invoiceId: string, billing: BillingEffects): void {
    for (const t of billing.createdTransactions)
      if (!this.transactions.has(t.id)) this.transactions.set(t.id, invoiceId);
    for (const id of billing.invoicedMilestoneIds) this.milestones.set(id, 'billed');
  }

  readonly outbox: Deliveries = {
    get: async (invoiceId, deliveryId) => this.deliveries.get(`${invoiceId}/${deliveryId}`),
    list: async (invoiceId) => [...this.deliveries.values()].filter((d) => d.invoiceId === invoiceId),
    queue: async (delivery) => {
      const key = `${delivery.invoiceId}/${delivery.deliveryId}`;
      if (this.deliveries.has(key)) return false;
      this.deliveries.set(key, queued(delivery));
      return true;
    },
    claim: async (invoiceId, deliveryId, now) => {
      const key = `${invoiceId}/${deliveryId}`;
      const d = this.deliveries.get(key);
      if (!d || !['queued', 'failed'].includes(d.status) || (d.nextAttemptAt ?? '') > now) return undefined;
      if (d.attempts >= MAX_DELIVERY_ATTEMPTS) return undefined;
      const claimed: Delivery = { ...d, status: 'sending', attempts: d.attempts + 1, startedAt: now };
      this.deliveries.set(key, claimed);
      return claimed;
    },
    record: async (claimed, outcome) => {
      const key = `${claimed.invoiceId}/${claimed.deliveryId}`;
      const d = this.deliveries.get(key);
      if (d?.status !== 'sending' || d.attempts !== claimed.attempts) throw new Error('condition failed');
      this.deliveries.set(key, {
        ...d,
        status: outcome.status,
        sentAt: outcome.status === 'sent' ? outcome.at : null,
        sesMessageId: outcome.status === 'sent' ? outcome.sesMessageId : null,
        lastError: outcome.status === 'sent' ? null : outcome.error,
        nextAttemptAt: outcome.status === 'failed' ? outcome.nextAttemptAt : null,
        ...(outcome.status === 'sent' && outcome.eInvoice ? { eInvoice: outcome.eInvoice } : {}),
      });
    },
    outbox: async (status, upTo) =>
      [...this.deliveries.values()].filter(
        (d) =>
          d.status === status &&
          (status === 'sending' ? (d.startedAt ?? '') : (d.nextAttemptAt ?? '')) <= upTo &&
          !(status === 'failed' && d.nextAttemptAt === null),
      ),
    markUnknown: async (delivery, at) => {
      const d = this.deliveries.get(`${delivery.invoiceId}/${delivery.deliveryId}`);
      if (d?.status !== 'sending') return;
      await this.outbox.record(d, { status: 'unknown', error: 'stopped after the hand-over', at });
    },
  };

  sendPorts(): SendPorts {
    return {
      invoices: { header: async (id) => this.headers.get(id) },
      issuing: this.issuing,
      firm: { profile: async () => this.firm },
      projects: { names: async () => ({ contractLineNames: { CL1: 'Advies' }, projectName: 'Website' }) },
      deliveries: this.outbox,
      starter: { start: async (id) => void this.started.push(id) },
    };
  }

  deliveryPorts(): DeliveryPorts {
    return {
      issuing: this.issuing,
      invoices: { header: async (id) => this.headers.get(id) },
      firm: { profile: async () => this.firm },
      archive: {
        put: async (id, kind, bytes) => {
          if (id === this.failArchiveOf) throw new Error(`the archive refuses ${id}`);
          this.archivePuts += 1;
          return this.archive.put(id, kind, bytes);
        },
        get: (id, kind) => this.archive.get(id, kind),
      },
      deliveries: this.outbox,
      mailer: {
        send: async (raw) => {
          const failure = this.failMail;
          this.failMail = undefined;
          if (failure) throw failure;
          this.mailed.push(raw);
          return `ses-${this.mailed.length}`;
        },
        definitelyNotSent: (error) => error instanceof Error && error.name === 'MessageRejected',
      },
      creditNotes: {
        pending: async () => this.pendingCreditNotes,
        resume: async (id) => {
          this.resumed.push(id);
          this.pendingCreditNotes = this.pendingCreditNotes.filter((p) => p !== id);
          return true;
        },
      },
      senderEmail: 'invoices@factuur.test',
    };
  }
}

function queued(delivery: Pick<Delivery, 'invoiceId' | 'deliveryId' | 'kind' | 'to' | 'queuedAt' | 'queuedBy'>) {
  return {
    ...delivery,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: delivery.queuedAt,
    startedAt: null,
    sentAt: null,
    sesMessageId: null,
    lastError: null,
  } satisfies Delivery;
}
