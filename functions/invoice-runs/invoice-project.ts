import { createHash } from 'node:crypto';
import { assertIsoDate, buildInvoice, cutOffFor, runKey, ValidationFailed, type Invoice } from '../domain/index.ts';
import type { InvoiceHeader } from '../invoices/ports.ts';
import { faultPoint } from '../shared/faults.ts';
import { withConsumption } from './consumption.ts';
import { DraftNotBuilding, dropDraft, holdsExactly, type StoredDraft, stampBuild, writeBuild } from './draft-writes.ts';
import { type InvoiceRunPorts, isFinished, type ProjectBilling, type WorkBudget } from './ports.ts';
import { buildKeyOf, candidates } from './run-candidates.ts';

/**
 * Run (P, D): at most one draft invoice for project P with everything chargeable up to the cut-off D - 1
 * (rules, sections 2 and 8). Every step can be repeated: the run record is claimed by a conditional write on P#D,
 * the invoice id is derived from P#D, the details are written first (in chunk items of many) and then each
 * transaction is reserved by one conditional write (only when unbilled at the version built from, or already held
 * by this invoice; the crash windows and their rules: adapters/dynamodb/run-write-path.ts), and the draft stays
 * `building`, not sendable, until all its details are in and reserved. A large draft is built over several calls: the result `building` asks the
 * workflow to call again, and each call continues where the last one stopped.
 */
export type InvoiceProjectResult =
  | { readonly status: 'invoiced'; readonly invoiceId: string }
  | { readonly status: 'nothing_to_invoice' }
  | { readonly status: 'building'; readonly invoiceId: string; readonly detailsWritten: number };

export interface InvoiceProjectInput {
  readonly projectId?: unknown;
  readonly runDate?: unknown;
  readonly executionId?: unknown;
}

export type { WorkBudget };

/** What one InvoiceProject call needs: the run records, what it builds from, the draft it writes. */
export type InvoiceProjectPorts = Pick<InvoiceRunPorts, 'runs' | 'billing' | 'drafts'>;

export class ProjectNotFound extends Error {
  override readonly name = 'ProjectNotFound';
}

/** The invoice of run P#D has an id derived from the run key, so every attempt of the run builds the same invoice. */
export function runInvoiceId(projectId: string, runDate: string): string {
  return `inv-${createHash('sha256').update(runKey(projectId, runDate)).digest('hex').slice(0, 24)}`;
}

export async function invoiceProject(
  ports: InvoiceProjectPorts,
  input: InvoiceProjectInput,
  budget: WorkBudget,
): Promise<InvoiceProjectResult> {
  try {
    return await attempt(ports, input, budget);
  } catch (error) {
    // Another attempt completed or dropped the draft while this one worked on it: look again.
    if (error instanceof DraftNotBuilding)
      return {
        status: 'building',
        invoiceId: runInvoiceId(String(input.projectId), String(input.runDate)),
        detailsWritten: 0,
      };
    throw error;
  }
}

/** The run an attempt works on. */
interface RunAttempt {
  readonly projectId: string;
  readonly runDate: string;
  readonly cutOff: string;
  readonly executionId: string;
  readonly invoiceId: string;
}

async function attempt(
  ports: InvoiceProjectPorts,
  input: InvoiceProjectInput,
  budget: WorkBudget,
): Promise<InvoiceProjectResult> {
  const projectId = requiredString(input.projectId, 'projectId');
  const runDate = assertIsoDate(input.runDate, 'runDate');
  const executionId = requiredString(input.executionId, 'executionId');
  const cutOff = cutOffFor(runDate);

  const { record, created } = await ports.runs.claim(projectId, runDate, cutOff, executionId, budget.now());
  if (isFinished(record))
    return record.status === 'invoiced' && record.invoiceId
      ? { status: 'invoiced', invoiceId: record.invoiceId }
      : { status: 'nothing_to_invoice' };
  await faultPoint(`invoice-project:claimed:${projectId}`);

  const run: RunAttempt = { projectId, runDate, cutOff, executionId, invoiceId: runInvoiceId(projectId, runDate) };
  // A claim that created the run record is its first attempt: no draft of the run exists yet, nothing to look up.
  const existing = created ? undefined : await ports.drafts.header(run.invoiceId);
  if (existing && existing.status !== 'building') {
    // An earlier attempt finished the draft but not the run record.
    return finished(ports, run, budget);
  }

  const { build, billing, stored } = await buildRun(ports, run, existing);
  await faultPoint(`invoice-project:built:${projectId}`);
  if (build.outcome === 'nothing_to_invoice') return closeEmpty(ports, run, existing ? stored : undefined, budget);
  return writeDraft(ports, run, { invoice: build.invoice, billing, stored, existing }, budget);
}

/** Builds the run's invoice with the domain from the project, its backlog and what an earlier attempt stored. */
async function buildRun(ports: InvoiceProjectPorts, run: RunAttempt, existing: InvoiceHeader | undefined) {
  const billing = await ports.billing.billingOf(run.projectId);
  if (!billing) throw new ProjectNotFound(`Project ${run.projectId} does not exist`);
  const found = existing ? await ports.drafts.stored(run.invoiceId) : { chunks: [], details: [] };
  const { transactions, stored: details } = await candidates(
    ports.billing,
    run.invoiceId,
    run.projectId,
    run.cutOff,
    found.details,
    billing.milestones,
  );
  const stored: StoredDraft = { chunks: found.chunks, details };
  const build = buildInvoice({
    invoiceId: run.invoiceId,
    origin: { kind: 'run' },
    project: await withConsumption(billing.project, run.invoiceId, ports.billing.projectInvoices),
    transactions,
    milestones: billing.milestones,
    runDate: run.runDate,
    cutOff: run.cutOff,
  });
  return { build, billing, stored };
}

/** The draft the attempt built, with what it builds on. */
interface BuiltDraft {
  readonly invoice: Invoice;
  readonly billing: ProjectBilling;
  readonly stored: StoredDraft;
  readonly existing: InvoiceHeader | undefined;
}

/** Writes the draft (over several calls if large), completes it when it holds exactly its build, finishes the run. */
async function writeDraft(
  ports: InvoiceProjectPorts,
  run: RunAttempt,
  { invoice, billing, stored, existing }: BuiltDraft,
  budget: WorkBudget,
): Promise<InvoiceProjectResult> {
  const { invoiceId, projectId } = run;
  const buildKey = buildKeyOf(invoice.details);
  const createdAt = existing?.createdAt ?? budget.now();
  const headerCreated =
    !existing && (await ports.drafts.createBuilding(invoice, createdAt, billing.customerId, buildKey));
  if (!headerCreated) await stampBuild(ports.drafts, invoiceId, buildKey);
  await faultPoint(`invoice-project:header-written:${projectId}`);

  const written = await writeBuild(ports.drafts, invoiceId, projectId, invoice.details, stored, budget);
  if (written !== 'complete') return { status: 'building', invoiceId, detailsWritten: written };

  // Another attempt running at the same time may have built from newer data: complete only what was built here,
  // and only once the stored chunks are exactly the build's (none left over from an earlier build).
  const { chunks, details } = await ports.drafts.stored(invoiceId);
  if (!holdsExactly(ports.drafts, chunks, invoice.details)) {
    return { status: 'building', invoiceId, detailsWritten: details.length };
  }
  // A header this call created has no excluded items stored: nothing to replace when the build excludes nothing.
  if (!headerCreated || invoice.excluded.length > 0) await ports.drafts.replaceExcluded(invoiceId, invoice.excluded);
  await faultPoint(`invoice-project:before-complete:${projectId}`);
  if (!(await ports.drafts.complete(invoice, createdAt, billing.customerId, buildKey))) {
    return { status: 'building', invoiceId, detailsWritten: details.length };
  }
  await faultPoint(`invoice-project:draft-complete:${projectId}`);
  return finished(ports, run, budget);
}

async function finished(
  ports: InvoiceProjectPorts,
  run: RunAttempt,
  budget: WorkBudget,
): Promise<InvoiceProjectResult> {
  const { projectId, runDate, invoiceId, executionId } = run;
  await ports.runs.finish(projectId, runDate, { status: 'invoiced', invoiceId }, executionId, budget.now());
  return { status: 'invoiced', invoiceId };
}

/** The run ends with nothing to invoice: a draft an earlier attempt began gives back what it holds and goes. */
async function closeEmpty(
  ports: InvoiceProjectPorts,
  run: RunAttempt,
  stored: StoredDraft | undefined,
  budget: WorkBudget,
): Promise<InvoiceProjectResult> {
  const { projectId, runDate, invoiceId, executionId } = run;
  if (stored && !(await dropDraft(ports.drafts, invoiceId, projectId, stored))) {
    // Another attempt built something meanwhile: call again and continue that draft.
    return { status: 'building', invoiceId, detailsWritten: 0 };
  }
  const closed = await ports.runs.finish(
    projectId,
    runDate,
    { status: 'nothing_to_invoice', invoiceId },
    executionId,
    budget.now(),
  );
  // A concurrent attempt created the draft after this one looked: call again and continue its draft.
  if (!closed) return { status: 'building', invoiceId, detailsWritten: 0 };
  return { status: 'nothing_to_invoice' };
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new ValidationFailed(field, 'is required');
  return value;
}
