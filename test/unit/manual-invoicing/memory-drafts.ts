import type { ExcludedItem, InvoiceDetail, Milestone, Project, Transaction } from '../../../functions/domain/index.ts';
import type { StoredAuditEntry } from '../../../functions/invoices/ports.ts';
import type { InvoiceHeader, ManualInvoicingPorts } from '../../../functions/manual-invoicing/ports.ts';

/**
 * Manual invoicing's ports in memory, with the DynamoDB adapter's conditions: a building header is created once;
 * a chunk of details is reserved all or nothing, each transaction only while unbilled at the version built from (or
 * held by this draft); the draft completes only from `building` while it holds every detail.
 */
export class MemoryDrafts {
  readonly transactions = new Map<string, Transaction>();
  readonly milestones = new Map<string, Milestone>();
  readonly headers = new Map<string, InvoiceHeader>();
  readonly details = new Map<string, Map<string, InvoiceDetail>>();
  readonly excluded = new Map<string, readonly ExcludedItem[]>();
  readonly audit: StoredAuditEntry[] = [];
  /** Reserve calls (a retry's cost). */
  reserves = 0;
  /** Runs before each reservation is checked (a test takes a transaction "meanwhile" here). */
  beforeReserve: () => void = () => {};

  constructor(readonly project: Project) {}

  ports(chunk = 2): ManualInvoicingPorts {
    return {
      timeZone: 'Europe/Amsterdam',
      billing: {
        context: async (projectId) =>
          projectId === this.project.id
            ? { project: this.project, milestones: [...this.milestones.values()], customerId: 'C1' }
            : undefined,
        openTransactions: async () => [...this.transactions.values()],
        transactionsById: async (_projectId, refs) => refs.flatMap(({ id }) => this.transactions.get(id) ?? []),
        projectInvoices: async () => [...this.headers.values()],
      },
      drafts: {
        header: async (id) => this.headers.get(id),
        details: async (id) => [...(this.details.get(id)?.values() ?? [])],
        createBuilding: async (header) => {
          if (this.headers.has(header.id)) return false;
          this.headers.set(header.id, header);
          return true;
        },
        reservationChunk: chunk,
        reserve: async (invoiceId, _projectId, details) => this.reserve(invoiceId, details),
        release: async (invoiceId, _projectId, details) => {
          for (const detail of details) {
            const source = detail.source;
            const t = source.kind === 'transaction' ? this.transactions.get(source.transactionId) : undefined;
            if (t?.reservedBy === invoiceId) this.transactions.set(t.id, { ...t, reservedBy: null });
            this.details.get(invoiceId)?.delete(detail.id);
            this.held(invoiceId, -1);
          }
        },
        dropBuilding: async (invoiceId) => {
          const header = this.headers.get(invoiceId);
          if (header?.status !== 'building' || header.heldCount !== 0) return false;
          this.headers.delete(invoiceId);
          return true;
        },
        replaceExcluded: async (invoiceId, excluded) => {
          this.excluded.set(invoiceId, excluded);
        },
        complete: async (draft) => {
          const header = this.headers.get(draft.id);
          if (header?.status !== 'building' || header.heldCount !== draft.detailCount) return false;
          this.headers.set(draft.id, { ...header, ...draft, status: 'draft', heldCount: draft.detailCount });
          return true;
        },
        audit: async (_invoiceId, entry) => {
          this.audit.push(entry);
        },
      },
    };
  }

  private held(invoiceId: string, by: number): void {
    const header = this.headers.get(invoiceId);
    if (header) this.headers.set(invoiceId, { ...header, heldCount: header.heldCount + by });
  }

  private reserve(invoiceId: string, details: readonly InvoiceDetail[]) {
    this.reserves += 1;
    this.beforeReserve();
    const mine = this.details.get(invoiceId) ?? new Map<string, InvoiceDetail>();
    const alreadyHeld = details.filter((d) => mine.has(d.id)).map((d) => d.id);
    const taken = details
      .filter((d) => {
        if (d.source.kind !== 'transaction') return false;
        const t = this.transactions.get(d.source.transactionId);
        const free = t?.reservedBy === null && t.version === d.source.transactionVersion;
        return !free && t?.reservedBy !== invoiceId;
      })
      .map((d) => d.id);
    if (this.headers.get(invoiceId)?.status !== 'building') throw new Error('the draft is not building');
    if (taken.length || alreadyHeld.length) return { taken, alreadyHeld };
    for (const d of details) {
      if (d.source.kind === 'transaction') {
        const t = this.transactions.get(d.source.transactionId) as Transaction;
        this.transactions.set(t.id, { ...t, reservedBy: invoiceId });
      }
      mine.set(d.id, d);
    }
    this.details.set(invoiceId, mine);
    this.held(invoiceId, details.length);
    return { taken: [], alreadyHeld: [] };
  }
}
