/**
 * The ports of the invoice-run steps (functions/invoice-runs/): what a run needs from storage and from the workflow
 * engine, in the words of the run. Owned here; implemented by the DynamoDB adapters (adapters/dynamodb/runs-store.ts,
 * run-claims.ts, run-write-path.ts, run-sources.ts), the Step Functions one
 * (adapters/stepfunctions/invoice-run-executions.ts) and, for the unit tests, in memory
 * (test/unit/invoice-runs/memory-ports.ts). Bound once per function, at module scope, by the handlers of the run
 * (functions/handlers/workflow/) and, for reconcile and restart, in functions/handlers/wiring/invoice-runs.ts.
 */
import type {
  ExcludedItem,
  Invoice,
  InvoiceDetail,
  InvoiceFrequency,
  Milestone,
  Project,
  Transaction,
} from '../domain/index.ts';
import type { InvoiceHeader, TransactionRef } from '../invoices/ports.ts';

export type { TransactionRef };

/**
 * Invoice runs as records: one per (project, run date) under the run key P#D, with an item per attempt.
 * Statuses (rules, section 2): pending, running, invoiced, nothing_to_invoice, failed.
 */
export type RunStatus = 'pending' | 'running' | 'invoiced' | 'nothing_to_invoice' | 'failed';

export interface RunFailure {
  readonly error: string;
  readonly cause: string;
  /** The workflow state that failed. */
  readonly state: string;
  readonly executionId: string;
  readonly at: string;
}

export interface InvoiceRunRecord {
  readonly projectId: string;
  readonly runDate: string;
  readonly cutOff: string;
  readonly status: RunStatus;
  readonly invoiceId: string | null;
  readonly attempts: number;
  /** The execution of the latest attempt. */
  readonly executionId: string;
  /** The execution that finished the run (invoiced or nothing to invoice). */
  readonly completedBy: string | null;
  readonly failure: RunFailure | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface RunAttemptRecord {
  readonly executionId: string;
  readonly startedAt: string;
  readonly outcome: RunStatus | null;
  readonly failure: RunFailure | null;
}

const terminal: readonly RunStatus[] = ['invoiced', 'nothing_to_invoice'];

export function isFinished(run: Pick<InvoiceRunRecord, 'status'>): boolean {
  return terminal.includes(run.status);
}

/** The record of run (P, D) as its first attempt creates it: running, one attempt, nothing decided yet. */
export function firstAttempt(
  projectId: string,
  runDate: string,
  cutOff: string,
  executionId: string,
  now: string,
): InvoiceRunRecord {
  return {
    projectId,
    runDate,
    cutOff,
    status: 'running',
    invoiceId: null,
    attempts: 1,
    executionId,
    completedBy: null,
    failure: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** Where the next page of a listing starts (opaque to the run steps). */
export type PageStart = Record<string, unknown>;

export interface RunPage {
  readonly runs: InvoiceRunRecord[];
  readonly next?: PageStart;
}

export type RunOutcome =
  | { readonly status: 'invoiced'; readonly invoiceId: string }
  | { readonly status: 'nothing_to_invoice'; readonly invoiceId: string };

/**
 * What a claim found: the run record, and whether this claim created it. A run's first attempt creates its record
 * before anything else (only an attempt that claimed the run creates its draft), so when the claim created the record
 * the run has no draft yet.
 */
export interface ClaimedRun {
  readonly record: InvoiceRunRecord;
  readonly created: boolean;
}

/** The run records (A10-A12, A37) and their state changes, each one conditional write. */
export interface RunRecords {
  get(projectId: string, runDate: string): Promise<InvoiceRunRecord | undefined>;
  /**
   * Claims run (P, D) for an attempt: creates the record, or takes over one that is pending, running or failed (a
   * retry, a restart, a duplicate start), counting the attempt. A finished run is returned as it is.
   */
  claim(projectId: string, runDate: string, cutOff: string, executionId: string, now: string): Promise<ClaimedRun>;
  /**
   * Finishes a run; one finished already keeps its outcome (true). "Nothing to invoice" only while the run's invoice
   * does not exist (false when it does: a concurrent attempt created the draft).
   */
  finish(projectId: string, runDate: string, outcome: RunOutcome, executionId: string, now: string): Promise<boolean>;
  /** Marks a run failed (creating its record if needed), unless it finished meanwhile (undefined). */
  fail(projectId: string, runDate: string, cutOff: string, failure: RunFailure): Promise<InvoiceRunRecord | undefined>;
  /** Fails a run only while it is still running under the same execution (undefined: it changed meanwhile). */
  failStale(run: InvoiceRunRecord, failure: RunFailure): Promise<InvoiceRunRecord | undefined>;
  /** A11: every run of a run date. */
  ofDate(runDate: string): Promise<InvoiceRunRecord[]>;
  /** A37: running runs, oldest run date first. */
  running(limit: number, startAfter?: PageStart): Promise<RunPage>;
  /** A12: failed runs (of one run date, if given), newest run date first. */
  failed(limit: number, startAfter?: PageStart, runDate?: string): Promise<RunPage>;
}

/** A13: the last run date the schedule ran. */
export interface RunCalendar {
  lastScheduledRunDate(): Promise<string | null>;
  /** Moves the calendar forward to a run date the schedule has run (never backwards). */
  advance(runDate: string, now: string): Promise<void>;
}

export interface FrequencyGroup {
  readonly key: string;
  readonly pattern: InvoiceFrequency;
}

export interface DueProjectCandidate {
  readonly id: string;
  readonly frequency: InvoiceFrequency;
}

/** A4: the projects by frequency group. */
export interface ProjectSchedule {
  frequencyGroups(): Promise<FrequencyGroup[]>;
  projectsInGroup(
    groupKey: string,
    limit: number,
    startAfter?: PageStart,
  ): Promise<{ projects: DueProjectCandidate[]; next?: PageStart }>;
}

/** Everything about a project that building its invoice needs, except transactions. */
export interface ProjectBilling {
  /** The project as the domain builds invoices from it, with a snapshot of its customer. */
  readonly project: Project;
  readonly milestones: readonly Milestone[];
  readonly customerId: string;
}

/** What a run builds from. */
export interface BillingData {
  /** A3 with the customer; undefined when the project does not exist. */
  billingOf(projectId: string): Promise<ProjectBilling | undefined>;
  /** A5: the unbilled backlog up to the cut-off. */
  unbilledUpTo(projectId: string, cutOff: string): Promise<Transaction[]>;
  /** A40: the project's transactions by id (and date, where they are stored), as they are now. */
  transactionsById(projectId: string, transactions: readonly TransactionRef[]): Promise<Transaction[]>;
  /** A9 (project): the project's invoices and credit notes with their lines (not-to-exceed consumption). */
  projectInvoices(projectId: string): Promise<readonly Pick<InvoiceHeader, 'id' | 'lines'>[]>;
}

/**
 * Details stored together (one item): those whose ids lie in [key, the next chunk's key), sorted by id. How many
 * details a chunk holds is the adapter's storage choice (RunDrafts.chunked).
 */
export interface DetailChunk {
  /** The id of the first detail of the chunk's range. */
  readonly key: string;
  readonly details: readonly InvoiceDetail[];
}

/** What a draft has stored: its detail chunks and its details (one copy of each id, see RunDrafts.stored). */
export interface StoredChunks {
  readonly chunks: readonly DetailChunk[];
  readonly details: readonly InvoiceDetail[];
}

/**
 * The run's draft as it is built (adapters/dynamodb/run-write-path.ts: the lean write path and its crash windows).
 * Every write is idempotent or conditional, so any attempt can repeat any of them.
 */
export interface RunDrafts {
  header(invoiceId: string): Promise<InvoiceHeader | undefined>;
  /**
   * A8 as stored: the chunks, and their details with one copy of each id (while `building`, an id can sit in two
   * chunks for a while: the copy in the later chunk counts).
   */
  stored(invoiceId: string): Promise<StoredChunks>;
  /** The details as the adapter stores them: sorted by id, cut in chunks (the same details, the same chunks). */
  chunked(details: readonly InvoiceDetail[]): DetailChunk[];
  /** Creates the `building` header of the invoice with the build's key; false when it exists already. */
  createBuilding(invoice: Invoice, createdAt: string, customerId: string, buildKey: string): Promise<boolean>;
  /** Stamps the attempt's build on a building header; false when the draft has left `building` meanwhile. */
  stampBuild(invoiceId: string, buildKey: string): Promise<boolean>;
  /** Puts whole chunks (idempotent: the same chunk, the same item). */
  writeChunks(invoiceId: string, chunks: readonly DetailChunk[]): Promise<void>;
  /** Deletes chunks by key (idempotent). */
  deleteChunks(invoiceId: string, keys: readonly string[]): Promise<void>;
  /**
   * Reserves each detail's transaction (unbilled at the version built from, or held by this invoice) or milestone;
   * returns the details whose source another invoice holds. `afterEach` runs after each reservation.
   */
  reserveSources(
    invoiceId: string,
    projectId: string,
    details: readonly InvoiceDetail[],
    afterEach?: () => Promise<void>,
  ): Promise<{ taken: string[] }>;
  /** Gives back what each detail holds, if this invoice holds it (`afterEach` runs after each); the chunks stay. */
  releaseSources(
    invoiceId: string,
    projectId: string,
    details: readonly InvoiceDetail[],
    afterEach?: () => Promise<void>,
  ): Promise<void>;
  /** Lists the items the draft left out, replacing what an earlier attempt listed. */
  replaceExcluded(invoiceId: string, excluded: readonly ExcludedItem[]): Promise<void>;
  /** The draft leaves `building` with the totals of the invoice, only while it has this build's key. */
  complete(invoice: Invoice, createdAt: string, customerId: string, buildKey: string): Promise<boolean>;
  /** Drops a building header that ended with nothing to invoice, only while it has this build's key. */
  drop(invoiceId: string, buildKey: string): Promise<boolean>;
}

/** What became of an execution: its status (RUNNING while it works) with error and cause once it ended. */
export interface ExecutionOutcome {
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | 'MISSING';
  readonly error: string | null;
  readonly cause: string | null;
  readonly stoppedAt: string | null;
}

/** Executions of the invoice-run workflow. */
export interface RunExecutions {
  /**
   * Starts an execution under a name: a second start with the same name and input is the same execution (its ARN
   * is the answer), so a double click starts one restart.
   */
  start(input: { runDate: string; projectIds?: readonly string[] }, name: string): Promise<string>;
  /** An execution the engine does not know (expired, never started) is MISSING. */
  describe(executionArn: string): Promise<ExecutionOutcome>;
}

/** The time an InvoiceProject call has (the Lambda's clock). */
export interface WorkBudget {
  /** Milliseconds left before this call should hand back (`building`) and let the workflow call again. */
  remainingMillis(): number;
  now(): string;
}

/** All the ports of the run steps; each step takes the part it needs. */
export interface InvoiceRunPorts {
  readonly runs: RunRecords;
  readonly calendar: RunCalendar;
  readonly schedule: ProjectSchedule;
  readonly billing: BillingData;
  readonly drafts: RunDrafts;
  readonly executions: RunExecutions;
}
