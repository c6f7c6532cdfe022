import type { CreditResult, CustomerSnapshot, InvoiceDetail, NewTransaction } from '../../../functions/domain/index.ts';
import type { CreditPorts } from '../../../functions/invoices/use-cases/credit.ts';
import {
  type CreditIssue,
  type CreditPlan,
  type InvoiceChangeToApply,
  type InvoiceHeader,
  type InvoicePorts,
  ItemConflict,
  type StoredAuditEntry,
} from '../../../functions/invoices/ports.ts';
import { StaleVersion } from '../../../functions/shared/errors.ts';

/** A transaction's billing state as the invoice changes see it. */
export interface MemoryTransaction {
  billingState: 'unbilled' | 'reserved' | 'billed';
  reservedBy: string | null;
  billingType: string;
}

/**
 * The invoice use cases' ports in memory, with the same conditions as the DynamoDB adapter: the header is written
 * only at the version read, a released transaction must still be reserved by the invoice, a change is all or
 * nothing. `applied` keeps every change as the use case handed it over.
 */
export class MemoryInvoices {
  readonly headers = new Map<string, InvoiceHeader>();
  readonly details = new Map<string, Map<string, InvoiceDetail>>();
  readonly audit: StoredAuditEntry[] = [];
  readonly transactions = new Map<string, MemoryTransaction>();
  readonly milestones = new Map<string, { invoicedBy: string | null }>();
  readonly customers = new Map<string, CustomerSnapshot>();
  readonly applied: InvoiceChangeToApply[] = [];
  readonly alsoWritten: object[] = [];
  /** Credit notes: the last number of the series, plans, credited work created, e-mails queued. */
  lastCreditNumber = 0;
  readonly plans = new Map<string, CreditPlan>();
  readonly created = new Map<string, NewTransaction>();
  readonly queued: NonNullable<CreditIssue['delivery']>[] = [];
  /** Reads of single details and of all details (the cost of a use case). */
  reads = { detail: 0, details: 0 };

  /** Discard: one detail's transaction or milestone released, then the detail deleted (idempotent). */
  releaseDiscardedDetail(header: InvoiceHeader, detail: InvoiceDetail): void {
    if (detail.source.kind === 'transaction') this.release(header.id, detail.source.transactionId, false);
    if (detail.source.kind === 'milestone') this.releaseMilestone(header.id, detail.source.milestoneId, false);
    this.details.get(header.id)?.delete(detail.id);
  }

  put(header: InvoiceHeader, details: readonly InvoiceDetail[]): void {
    this.headers.set(header.id, header);
    this.details.set(header.id, new Map(details.map((d) => [d.id, d])));
    for (const d of details) {
      if (d.source.kind === 'transaction')
        this.transactions.set(d.source.transactionId, {
          billingState: 'reserved',
          reservedBy: header.id,
          billingType: d.billingType,
        });
      if (d.source.kind === 'milestone') this.milestones.set(d.source.milestoneId, { invoicedBy: header.id });
    }
  }

  ports(timeZone = 'Europe/Amsterdam'): InvoicePorts {
    return {
      timeZone,
      customers: { currentCustomer: async (projectId) => this.customers.get(projectId) },
      invoices: {
        header: async (id) => this.headers.get(id),
        detail: async (id, detailId) => {
          this.reads.detail++;
          return this.details.get(id)?.get(detailId);
        },
        details: async (id) => {
          this.reads.details++;
          return [...(this.details.get(id)?.values() ?? [])];
        },
        apply: async (change) => this.apply(change),
        releaseDiscarded: async (header) => {
          for (const detail of [...(this.details.get(header.id)?.values() ?? [])])
            this.releaseDiscardedDetail(header, detail);
        },
      },
    };
  }

  creditPorts(): CreditPorts {
    return {
      invoices: this.ports().invoices,
      credits: {
        nextNumber: async (year) => {
          const next = this.lastCreditNumber + 1;
          return { number: `CN-${year}-${String(next).padStart(6, '0')}`, claim: { last: this.lastCreditNumber } };
        },
        issue: async (issue) => this.issueCredit(issue),
        complete: async (result) => this.completeCredit(result),
        plan: async (id) => this.plans.get(id),
      },
    };
  }

  private issueCredit(issue: CreditIssue): 'issued' | 'number_taken' {
    if ((issue.claim as { last: number }).last !== this.lastCreditNumber) return 'number_taken';
    const current = this.headers.get(issue.invoice.id);
    if (current?.version !== issue.expectedVersion || this.headers.has(issue.creditNote.id))
      throw new StaleVersion(null, 'invoice');
    this.lastCreditNumber += 1;
    this.headers.set(issue.invoice.id, issue.invoice);
    this.headers.set(issue.creditNote.id, issue.creditNote);
    this.audit.push(issue.audit);
    this.plans.set(issue.plan.creditNoteId, issue.plan);
    if (issue.delivery) this.queued.push(issue.delivery);
    return 'issued';
  }

  private completeCredit(result: CreditResult): void {
    const note = result.creditNote;
    this.details.set(note.id, new Map(note.details.map((d) => [d.id, d])));
    for (const t of result.effects.createdTransactions) if (!this.created.has(t.id)) this.created.set(t.id, t);
    for (const id of result.effects.readyMilestoneIds)
      if (this.milestones.get(id)?.invoicedBy === result.invoice.id) this.milestones.set(id, { invoicedBy: null });
    const header = this.headers.get(note.id);
    if (header) this.headers.set(note.id, { ...header, detailsPending: false });
    this.plans.delete(note.id);
  }

  private release(invoiceId: string, transactionId: string, strict: boolean, billingType?: string): void {
    const t = this.transactions.get(transactionId);
    if (!t || t.reservedBy !== invoiceId || t.billingState !== 'reserved') {
      if (strict) throw new ItemConflict('an item of this change was changed by someone else');
      return;
    }
    this.transactions.set(transactionId, {
      billingState: 'unbilled',
      reservedBy: null,
      billingType: billingType ?? t.billingType,
    });
  }

  private releaseMilestone(invoiceId: string, milestoneId: string, strict: boolean): void {
    const m = this.milestones.get(milestoneId);
    if (m?.invoicedBy !== invoiceId) {
      if (strict) throw new ItemConflict('an item of this change was changed by someone else');
      return;
    }
    this.milestones.set(milestoneId, { invoicedBy: null });
  }

  private apply(change: InvoiceChangeToApply): void {
    const { header, effects } = change;
    const current = this.headers.get(header.id);
    if (current?.version !== change.expectedVersion) throw new StaleVersion(current?.version ?? null, 'invoice');
    for (const id of [...effects.releasedTransactionIds, ...effects.nonChargeableTransactionIds]) {
      const t = this.transactions.get(id);
      if (t?.reservedBy !== header.id || t.billingState !== 'reserved')
        throw new ItemConflict('an item of this change was changed by someone else');
    }
    for (const id of effects.releasedMilestoneIds)
      if (this.milestones.get(id)?.invoicedBy !== header.id)
        throw new ItemConflict('an item of this change was changed by someone else');
    this.applied.push(change);
    this.headers.set(header.id, header);
    this.audit.push(change.audit);
    const details = this.details.get(header.id) ?? new Map<string, InvoiceDetail>();
    for (const d of effects.putDetails) details.set(d.id, d);
    for (const d of effects.deletedDetails) details.delete(d.id);
    this.details.set(header.id, details);
    for (const id of effects.releasedTransactionIds) this.release(header.id, id, true);
    for (const id of effects.nonChargeableTransactionIds) this.release(header.id, id, true, 'non_chargeable');
    for (const id of effects.releasedMilestoneIds) this.releaseMilestone(header.id, id, true);
    this.alsoWritten.push(...(change.alsoWrite ?? []));
  }
}
