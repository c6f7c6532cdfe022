import { createHash } from 'node:crypto';
import {
  assertIsoDate,
  buildInvoice,
  cutOffFor,
  runKey,
  ValidationFailed,
  type ContractLine,
  type InvoiceDetail,
  type Project,
  type Transaction,
} from '../domain/index.ts';
import { billingContext } from '../adapters/dynamodb/projects-store.ts';
import { transactionsById, unbilledUpTo } from '../adapters/dynamodb/transactions-store.ts';
import {
  completeDraft,
  createBuildingHeader,
  deleteBuildingHeader,
  DraftNotBuilding,
  headerOf,
  invoiceDetails,
  invoiceHeader,
  projectInvoices,
  releaseDetails,
  replaceExcluded,
  reserveDetails,
  RESERVATION_CHUNK,
} from '../adapters/dynamodb/invoices-store.ts';
import { claimRun, finishRun, isFinished } from '../adapters/dynamodb/runs-store.ts';
import { faultPoint } from '../shared/faults.ts';

/**
 * Run (P, D): at most one draft invoice for project P with everything chargeable up to the cut-off D - 1
 * (rules, sections 2 and 8). Every step can be repeated: the run record is claimed by a conditional write on P#D,
 * the invoice id is derived from P#D, each transaction is reserved together with its detail in one transaction
 * (only when unbilled, or already held by this invoice), and the draft stays `building`, not sendable, until all
 * its details are in. A large draft is built over several calls: the result `building` asks the workflow to call
 * again, and each call continues where the last one stopped.
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

export interface WorkBudget {
  /** Milliseconds left before this call should hand back (`building`) and let the workflow call again. */
  remainingMillis(): number;
  now(): string;
}

/** Stop reserving when less than this is left of the Lambda's time. */
const HAND_BACK_MILLIS = 20_000;
/** Chunks reserved in parallel (each a TransactWriteItems of up to 81 items). */
const PARALLEL_CHUNKS = 4;

export class ProjectNotFound extends Error {
  override readonly name = 'ProjectNotFound';
}

/** The invoice of run P#D has an id derived from the run key, so every attempt of the run builds the same invoice. */
export function runInvoiceId(projectId: string, runDate: string): string {
  return `inv-${createHash('sha256').update(runKey(projectId, runDate)).digest('hex').slice(0, 24)}`;
}

export async function invoiceProject(input: InvoiceProjectInput, budget: WorkBudget): Promise<InvoiceProjectResult> {
  try {
    return await attempt(input, budget);
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

async function attempt(input: InvoiceProjectInput, budget: WorkBudget): Promise<InvoiceProjectResult> {
  const projectId = requiredString(input.projectId, 'projectId');
  const runDate = assertIsoDate(input.runDate, 'runDate');
  const executionId = requiredString(input.executionId, 'executionId');
  const cutOff = cutOffFor(runDate);

  const run = await claimRun(projectId, runDate, cutOff, executionId, budget.now());
  if (isFinished(run))
    return run.status === 'invoiced' && run.invoiceId
      ? { status: 'invoiced', invoiceId: run.invoiceId }
      : { status: 'nothing_to_invoice' };
  await faultPoint(`invoice-project:claimed:${projectId}`);

  const invoiceId = runInvoiceId(projectId, runDate);
  const existing = await invoiceHeader(invoiceId);
  if (existing && existing.status !== 'building') {
    // An earlier attempt finished the draft but not the run record.
    await finishRun(projectId, runDate, { status: 'invoiced', invoiceId }, executionId, budget.now());
    return { status: 'invoiced', invoiceId };
  }

  const context = await billingContext(projectId);
  if (!context) throw new ProjectNotFound(`Project ${projectId} does not exist`);
  const stored = existing ? await invoiceDetails(invoiceId) : [];
  const build = buildInvoice({
    invoiceId,
    origin: { kind: 'run' },
    project: await withConsumption(context.project, invoiceId),
    transactions: await candidates(projectId, cutOff, stored),
    milestones: context.milestones,
    runDate,
    cutOff,
  });
  await faultPoint(`invoice-project:built:${projectId}`);

  if (build.outcome === 'nothing_to_invoice') {
    if (existing) {
      await releaseDetails(invoiceId, projectId, stored);
      // It holds details another attempt reserved after this one looked: call again and continue that draft.
      if (!(await deleteBuildingHeader(invoiceId))) return { status: 'building', invoiceId, detailsWritten: 0 };
    }
    const closed = await finishRun(
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

  const header = existing ?? headerOf(build.invoice, 'building', budget.now(), context.record.customerId);
  if (!existing) await createBuildingHeader(header);
  await faultPoint(`invoice-project:header-written:${projectId}`);

  const wanted = new Set(build.invoice.details.map((detail) => detail.id));
  const held = new Set(stored.map((detail) => detail.id));
  const stale = stored.filter((detail) => !wanted.has(detail.id));
  if (stale.length > 0) await releaseDetails(invoiceId, projectId, stale);

  const missing = build.invoice.details.filter((detail) => !held.has(detail.id));
  const chunks: InvoiceDetail[][] = [];
  for (let start = 0; start < missing.length; start += RESERVATION_CHUNK)
    chunks.push(missing.slice(start, start + RESERVATION_CHUNK));
  let written = stored.length - stale.length;
  let takenElsewhere = false;
  for (let start = 0; start < chunks.length; start += PARALLEL_CHUNKS) {
    if (budget.remainingMillis() < HAND_BACK_MILLIS) return { status: 'building', invoiceId, detailsWritten: written };
    await Promise.all(
      chunks.slice(start, start + PARALLEL_CHUNKS).map(async (chunk) => {
        let rest = chunk;
        while (rest.length > 0) {
          const outcome = await reserveDetails(
            invoiceId,
            projectId,
            rest.map((detail) => ({ detail })),
          );
          const skipped = new Set([...outcome.taken, ...outcome.alreadyHeld]);
          // Taken by another invoice: this draft is rebuilt without them on the next call.
          if (outcome.taken.length > 0) takenElsewhere = true;
          if (skipped.size === 0) written += rest.length;
          rest = skipped.size === 0 ? [] : rest.filter((detail) => !skipped.has(detail.id));
        }
        await faultPoint(`invoice-project:chunk-reserved:${projectId}`);
      }),
    );
  }
  if (takenElsewhere) return { status: 'building', invoiceId, detailsWritten: written };

  // Another attempt running at the same time may have built from newer data: complete only what was built here.
  const details = await invoiceDetails(invoiceId);
  if (details.length !== wanted.size || details.some((detail) => !wanted.has(detail.id))) {
    return { status: 'building', invoiceId, detailsWritten: details.length };
  }
  await replaceExcluded(invoiceId, build.invoice.excluded);
  await faultPoint(`invoice-project:before-complete:${projectId}`);
  if (!(await completeDraft(headerOf(build.invoice, 'draft', header.createdAt, context.record.customerId)))) {
    return { status: 'building', invoiceId, detailsWritten: details.length };
  }
  await faultPoint(`invoice-project:draft-complete:${projectId}`);
  await finishRun(projectId, runDate, { status: 'invoiced', invoiceId }, executionId, budget.now());
  return { status: 'invoiced', invoiceId };
}

/** The backlog up to the cut-off, plus what this invoice already holds from an earlier attempt. */
async function candidates(projectId: string, cutOff: string, stored: readonly InvoiceDetail[]): Promise<Transaction[]> {
  const heldIds = stored.flatMap((detail) =>
    detail.source.kind === 'transaction' ? [detail.source.transactionId] : [],
  );
  const [backlog, held] = await Promise.all([unbilledUpTo(projectId, cutOff), transactionsById(heldIds)]);
  const byId = new Map<string, Transaction>();
  for (const transaction of [...backlog, ...held]) byId.set(transaction.id, transaction);
  return [...byId.values()];
}

/** Not-to-exceed needs what the other invoices of the project already take of each limited contract line. */
export async function withConsumption(project: Project, invoiceId: string): Promise<Project> {
  if (!project.contractLines.some((line) => line.notToExceed !== undefined && line.notToExceed !== null))
    return project;
  const consumed = new Map<string, number>();
  for (const invoice of await projectInvoices(project.id)) {
    if (invoice.id === invoiceId) continue;
    // Credit notes carry negative nets, so issued minus credits plus open drafts is a plain sum.
    for (const line of invoice.lines)
      consumed.set(line.contractLineId, (consumed.get(line.contractLineId) ?? 0) + line.net);
  }
  return {
    ...project,
    contractLines: project.contractLines.map(
      (line): ContractLine => ({ ...line, consumed: consumed.get(line.id) ?? 0 }),
    ),
  };
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new ValidationFailed(field, 'is required');
  return value;
}
