import type {
  InvoiceDetail,
  InvoiceFrequency,
  Milestone,
  Project,
  Transaction,
} from '../../../functions/domain/index.ts';
import type {
  DetailChunk,
  ExecutionOutcome,
  InvoiceRunPorts,
  InvoiceRunRecord,
  PageStart,
  RunFailure,
  RunPage,
} from '../../../functions/invoice-runs/ports.ts';
import { firstAttempt, isFinished } from '../../../functions/invoice-runs/ports.ts';
import { type InvoiceHeader, storedHeader } from '../../../functions/invoices/ports.ts';

/**
 * The invoice-run ports in memory, with the conditions of the DynamoDB adapters (runs-store.ts, run-claims.ts,
 * run-write-path.ts): a finished run keeps its outcome, "nothing to invoice" only while the run's invoice does not
 * exist, a stale run fails only under the same execution, a reservation only when unbilled at the version built from
 * (or held by the same invoice), a draft completes or is dropped only while it has its build's key. Listings page
 * like a Query with Limit (a full page always says there may be more). `writes` counts every write by kind.
 */
export interface MemoryTransaction extends Transaction {
  readonly projectId: string;
  billingState: 'unbilled' | 'reserved' | 'billed';
}

interface MemoryProject {
  readonly project: Project;
  readonly customerId: string;
  readonly frequency: InvoiceFrequency;
}

/** Details a chunk holds, as the DynamoDB adapter cuts them (detail-chunks.ts CHUNK_DETAILS). */
const CHUNK_DETAILS = 50;

const runKey = (projectId: string, runDate: string) => `${projectId}#${runDate}`;
const position = (run: InvoiceRunRecord) => `${run.runDate}#${run.projectId}`;

function page(sorted: readonly InvoiceRunRecord[], limit: number, startAfter?: PageStart): RunPage {
  const after = startAfter?.after as string | undefined;
  const from = after === undefined ? 0 : sorted.findIndex((run) => position(run) === after) + 1;
  const runs = sorted.slice(from, from + limit);
  const last = runs.at(-1);
  return runs.length === limit && last ? { runs, next: { after: position(last) } } : { runs };
}

export class MemoryRuns {
  readonly projects = new Map<string, MemoryProject>();
  readonly milestones = new Map<string, Milestone & { projectId: string }>();
  readonly transactions = new Map<string, MemoryTransaction>();
  readonly runs = new Map<string, InvoiceRunRecord>();
  readonly attempts: { projectId: string; runDate: string; executionId: string; startedAt: string }[] = [];
  readonly headers = new Map<string, InvoiceHeader>();
  /** The drafts' detail chunks by invoice, then by chunk key (as detail-chunks.ts stores them). */
  readonly chunks = new Map<string, Map<string, readonly InvoiceDetail[]>>();
  readonly excluded = new Map<string, readonly unknown[]>();
  readonly executions = new Map<string, ExecutionOutcome>();
  readonly started: { input: { runDate: string; projectIds?: readonly string[] }; name: string }[] = [];
  lastRunDate: string | null = null;
  /** Writes by kind (claim, finish, fail, detail, reserve, release, header ...). */
  readonly writes = new Map<string, number>();

  private wrote(kind: string, count = 1): void {
    this.writes.set(kind, (this.writes.get(kind) ?? 0) + count);
  }

  addProject(project: Project, frequency: InvoiceFrequency, customerId = 'C1'): void {
    this.projects.set(project.id, { project, customerId, frequency });
  }

  addTransaction(projectId: string, transaction: Transaction): void {
    this.transactions.set(transaction.id, { ...transaction, projectId, billingState: 'unbilled' });
  }

  addMilestone(projectId: string, milestone: Milestone): void {
    this.milestones.set(milestone.id, { ...milestone, projectId });
  }

  /** The chunks of a draft in key order. */
  chunksOf(invoiceId: string): DetailChunk[] {
    return [...(this.chunks.get(invoiceId) ?? new Map())]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, details]) => ({ key, details }));
  }

  /** The details of a draft, one copy of each id (the copy in the later chunk, as A8 reads them). */
  detailsOf(invoiceId: string): InvoiceDetail[] {
    const found = new Map<string, InvoiceDetail>();
    for (const chunk of this.chunksOf(invoiceId)) for (const detail of chunk.details) found.set(detail.id, detail);
    return [...found.values()];
  }

  executionArn(name: string): string {
    return `arn:aws:states:eu-west-1:1:execution:invoice-run:${name}`;
  }

  ports(): InvoiceRunPorts {
    return {
      runs: {
        get: async (projectId, runDate) => this.runs.get(runKey(projectId, runDate)),
        claim: async (...args) => this.claim(...args),
        finish: async (projectId, runDate, outcome, executionId, now) => {
          const run = this.runs.get(runKey(projectId, runDate));
          if (outcome.status === 'nothing_to_invoice' && this.headers.has(outcome.invoiceId)) return false;
          if (!run || isFinished(run)) return true;
          this.wrote('finish');
          this.runs.set(runKey(projectId, runDate), {
            ...run,
            status: outcome.status,
            invoiceId: outcome.status === 'invoiced' ? outcome.invoiceId : null,
            completedBy: executionId,
            failure: null,
            updatedAt: now,
          });
          return true;
        },
        fail: async (...args) => this.fail(...args),
        failStale: async (run, failure) => {
          const current = this.runs.get(runKey(run.projectId, run.runDate));
          if (current?.status !== 'running' || current.executionId !== run.executionId) return undefined;
          this.wrote('fail');
          const failed: InvoiceRunRecord = { ...current, status: 'failed', failure, updatedAt: failure.at };
          this.runs.set(runKey(run.projectId, run.runDate), failed);
          return failed;
        },
        ofDate: async (runDate) =>
          [...this.runs.values()]
            .filter((run) => run.runDate === runDate)
            .sort((a, b) => (a.projectId < b.projectId ? -1 : 1)),
        running: async (limit, startAfter) => page(this.sorted('running'), limit, startAfter),
        failed: async (limit, startAfter, runDate) =>
          page(
            this.sorted('failed')
              .filter((run) => runDate === undefined || run.runDate === runDate)
              .reverse(),
            limit,
            startAfter,
          ),
      },
      calendar: {
        lastScheduledRunDate: async () => this.lastRunDate,
        advance: async (runDate) => {
          if (this.lastRunDate === null || this.lastRunDate < runDate) this.lastRunDate = runDate;
        },
      },
      schedule: {
        frequencyGroups: async () => {
          const groups = new Map<string, InvoiceFrequency>();
          for (const { frequency } of this.projects.values()) groups.set(JSON.stringify(frequency), frequency);
          return [...groups].map(([key, pattern]) => ({ key, pattern }));
        },
        projectsInGroup: async (groupKey, limit, startAfter) => {
          const all = [...this.projects.values()]
            .filter((entry) => JSON.stringify(entry.frequency) === groupKey)
            .map((entry) => ({ id: entry.project.id, frequency: entry.frequency }))
            .sort((a, b) => (a.id < b.id ? -1 : 1));
          const from = startAfter ? all.findIndex((project) => project.id === startAfter.id) + 1 : 0;
          const projects = all.slice(from, from + limit);
          const last = projects.at(-1);
          return projects.length === limit && last ? { projects, next: { id: last.id } } : { projects };
        },
      },
      billing: {
        billingOf: async (projectId) => {
          const entry = this.projects.get(projectId);
          if (!entry) return undefined;
          const milestones = [...this.milestones.values()]
            .filter((milestone) => milestone.projectId === projectId)
            .map(({ projectId: _p, ...milestone }) => milestone);
          return { project: entry.project, milestones, customerId: entry.customerId };
        },
        unbilledUpTo: async (projectId, cutOff) =>
          [...this.transactions.values()]
            .filter((t) => t.projectId === projectId && t.billingState === 'unbilled' && t.date <= cutOff)
            .sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? -1 : 1)),
        transactionsById: async (_projectId, refs) => refs.flatMap(({ id }) => this.transactions.get(id) ?? []),
        projectInvoices: async (projectId) =>
          [...this.headers.values()].filter((header) => header.projectId === projectId),
      },
      drafts: {
        header: async (invoiceId) => this.headers.get(invoiceId),
        stored: async (invoiceId) => ({ chunks: this.chunksOf(invoiceId), details: this.detailsOf(invoiceId) }),
        chunked: (details) => {
          const sorted = [...details].sort((a, b) => (a.id < b.id ? -1 : 1));
          const chunks: DetailChunk[] = [];
          for (let start = 0; start < sorted.length; start += CHUNK_DETAILS) {
            const slice = sorted.slice(start, start + CHUNK_DETAILS);
            chunks.push({ key: slice[0]?.id ?? '', details: slice });
          }
          return chunks;
        },
        createBuilding: async (invoice, createdAt, customerId, buildKey) => {
          if (this.headers.has(invoice.id)) return false;
          this.wrote('header');
          this.headers.set(invoice.id, { ...storedHeader(invoice, 'building', createdAt, customerId), buildKey });
          return true;
        },
        stampBuild: async (invoiceId, buildKey) => {
          const header = this.headers.get(invoiceId);
          if (header?.status !== 'building') return false;
          this.headers.set(invoiceId, { ...header, buildKey });
          return true;
        },
        writeChunks: async (invoiceId, chunks) => {
          const stored = this.chunks.get(invoiceId) ?? new Map<string, readonly InvoiceDetail[]>();
          for (const chunk of chunks) stored.set(chunk.key, chunk.details);
          this.chunks.set(invoiceId, stored);
          this.wrote('chunk', chunks.length);
        },
        deleteChunks: async (invoiceId, keys) => {
          for (const key of keys) this.chunks.get(invoiceId)?.delete(key);
          this.wrote('chunk-delete', keys.length);
        },
        reserveSources: async (invoiceId, _projectId, details, afterEach) => {
          const taken: string[] = [];
          for (const detail of details) {
            if (!this.reserve(invoiceId, detail)) taken.push(detail.id);
            await afterEach?.();
          }
          return { taken };
        },
        releaseSources: async (invoiceId, _projectId, details, afterEach) => {
          for (const detail of details) {
            this.release(invoiceId, detail);
            await afterEach?.();
          }
        },
        replaceExcluded: async (invoiceId, excluded) => {
          this.excluded.set(invoiceId, excluded);
        },
        complete: async (invoice, createdAt, customerId, buildKey) => {
          const header = this.headers.get(invoice.id);
          if (header?.status !== 'building' || header.buildKey !== buildKey) return false;
          const { buildKey: _key, ...rest } = header;
          const draft = storedHeader(invoice, 'draft', createdAt, customerId);
          this.wrote('complete');
          this.headers.set(invoice.id, {
            ...rest,
            status: 'draft',
            totals: draft.totals,
            lines: draft.lines,
            limits: draft.limits,
            detailCount: draft.detailCount,
            excludedCount: draft.excludedCount,
            summary: draft.summary,
            heldCount: draft.detailCount,
          });
          return true;
        },
        drop: async (invoiceId, buildKey) => {
          const header = this.headers.get(invoiceId);
          if (header?.status !== 'building' || header.buildKey !== buildKey) return false;
          this.headers.delete(invoiceId);
          return true;
        },
      },
      executions: {
        start: async (input, name) => {
          const arn = this.executionArn(name);
          if (!this.executions.has(arn)) {
            this.started.push({ input, name });
            this.executions.set(arn, { status: 'RUNNING', error: null, cause: null, stoppedAt: null });
          }
          return arn;
        },
        describe: async (arn) =>
          this.executions.get(arn) ?? { status: 'MISSING', error: null, cause: null, stoppedAt: null },
      },
    };
  }

  private sorted(status: InvoiceRunRecord['status']): InvoiceRunRecord[] {
    return [...this.runs.values()]
      .filter((run) => run.status === status)
      .sort((a, b) => (position(a) < position(b) ? -1 : 1));
  }

  private claim(projectId: string, runDate: string, cutOff: string, executionId: string, now: string) {
    const key = runKey(projectId, runDate);
    const existing = this.runs.get(key);
    if (existing && isFinished(existing)) return { record: existing, created: false };
    this.wrote('claim');
    const run: InvoiceRunRecord = existing
      ? { ...existing, status: 'running', attempts: existing.attempts + 1, executionId, updatedAt: now }
      : firstAttempt(projectId, runDate, cutOff, executionId, now);
    this.runs.set(key, run);
    this.attempts.push({ projectId, runDate, executionId, startedAt: now });
    return { record: run, created: existing === undefined };
  }

  private fail(projectId: string, runDate: string, cutOff: string, failure: RunFailure) {
    const key = runKey(projectId, runDate);
    const existing = this.runs.get(key);
    if (existing && isFinished(existing)) return undefined;
    this.wrote('fail');
    const run: InvoiceRunRecord = {
      projectId,
      runDate,
      cutOff: existing?.cutOff ?? cutOff,
      status: 'failed',
      invoiceId: existing?.invoiceId ?? null,
      attempts: existing?.attempts ?? 1,
      executionId: failure.executionId,
      completedBy: null,
      failure,
      createdAt: existing?.createdAt ?? failure.at,
      updatedAt: failure.at,
    };
    this.runs.set(key, run);
    return run;
  }

  private reserve(invoiceId: string, detail: InvoiceDetail): boolean {
    const source = detail.source;
    if (source.kind === 'transaction') {
      const t = this.transactions.get(source.transactionId);
      const free = t?.billingState === 'unbilled' && t.version === source.transactionVersion;
      if (!t || !(free || (t.billingState === 'reserved' && t.reservedBy === invoiceId))) return false;
      this.wrote('reserve');
      this.transactions.set(t.id, { ...t, billingState: 'reserved', reservedBy: invoiceId });
      return true;
    }
    if (source.kind === 'milestone') {
      const m = this.milestones.get(source.milestoneId);
      if (!m || (m.invoicedBy !== null && m.invoicedBy !== invoiceId)) return false;
      this.wrote('reserve');
      this.milestones.set(m.id, { ...m, invoicedBy: invoiceId });
      return true;
    }
    throw new Error(`a run never reserves a ${source.kind} detail`);
  }

  private release(invoiceId: string, detail: InvoiceDetail): void {
    const source = detail.source;
    if (source.kind === 'transaction') {
      const t = this.transactions.get(source.transactionId);
      if (t?.billingState !== 'reserved' || t.reservedBy !== invoiceId) return;
      this.wrote('release');
      this.transactions.set(t.id, { ...t, billingState: 'unbilled', reservedBy: null });
    } else if (source.kind === 'milestone') {
      const m = this.milestones.get(source.milestoneId);
      if (m?.invoicedBy !== invoiceId) return;
      this.wrote('release');
      this.milestones.set(m.id, { ...m, invoicedBy: null });
    }
  }
}
