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
} from '../domain/index.ts';
import { billingContext } from '../adapters/dynamodb/projects-store.ts';
import { buildKeyOf, candidates, canonical, type StoredDetail } from './run-candidates.ts';
import {
  createBuildingHeader,
  DraftNotBuilding,
  headerOf,
  invoiceDetails,
  invoiceHeader,
  projectInvoices,
  replaceExcluded,
} from '../adapters/dynamodb/invoices-store.ts';
import {
  completeRunDraft,
  dropRunHeader,
  releaseRunDetails,
  reserveSources,
  stampBuild,
  writeDetails,
} from '../adapters/dynamodb/run-write-path.ts';
import { claimRun, finishRun, isFinished } from '../adapters/dynamodb/runs-store.ts';
import { faultPoint } from '../shared/faults.ts';

/**
 * Run (P, D): at most one draft invoice for project P with everything chargeable up to the cut-off D - 1
 * (rules, sections 2 and 8). Every step can be repeated: the run record is claimed by a conditional write on P#D,
 * the invoice id is derived from P#D, the details are written first and then each transaction is reserved by one
 * conditional write (only when unbilled at the version built from, or already held by this invoice; the crash
 * windows and their rules: adapters/dynamodb/run-write-path.ts), and the draft stays `building`, not sendable, until
 * all its details are in and reserved. A large draft is built over several calls: the result `building` asks the workflow to call
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

/** Stop writing when less than this is left of the Lambda's time. */
const HAND_BACK_MILLIS = 20_000;
/** Details written (or reserved) between two looks at the time left. */
const WRITE_SLICE = 400;

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
  const { transactions, stored } = await candidates(
    invoiceId,
    projectId,
    cutOff,
    existing ? await invoiceDetails(invoiceId) : [],
    context.milestones,
  );
  const build = buildInvoice({
    invoiceId,
    origin: { kind: 'run' },
    project: await withConsumption(context.project, invoiceId),
    transactions,
    milestones: context.milestones,
    runDate,
    cutOff,
  });
  await faultPoint(`invoice-project:built:${projectId}`);

  if (build.outcome === 'nothing_to_invoice')
    return closeEmpty(invoiceId, projectId, runDate, executionId, existing ? stored : undefined, budget);

  const buildKey = buildKeyOf(build.invoice.details);
  const header = existing ?? headerOf(build.invoice, 'building', budget.now(), context.record.customerId);
  if (existing || !(await createBuildingHeader({ ...header, buildKey }))) await stampBuild(invoiceId, buildKey);
  await faultPoint(`invoice-project:header-written:${projectId}`);

  const written = await writeBuild(invoiceId, projectId, build.invoice.details, stored, budget);
  if (written !== 'complete') return { status: 'building', invoiceId, detailsWritten: written };

  // Another attempt running at the same time may have built from newer data: complete only what was built here.
  const details = await invoiceDetails(invoiceId);
  const wanted = new Set(build.invoice.details.map((detail) => detail.id));
  if (details.length !== wanted.size || details.some((detail) => !wanted.has(detail.id))) {
    return { status: 'building', invoiceId, detailsWritten: details.length };
  }
  await replaceExcluded(invoiceId, build.invoice.excluded);
  await faultPoint(`invoice-project:before-complete:${projectId}`);
  const draft = headerOf(build.invoice, 'draft', header.createdAt, context.record.customerId);
  if (!(await completeRunDraft(draft, buildKey))) {
    return { status: 'building', invoiceId, detailsWritten: details.length };
  }
  await faultPoint(`invoice-project:draft-complete:${projectId}`);
  await finishRun(projectId, runDate, { status: 'invoiced', invoiceId }, executionId, budget.now());
  return { status: 'invoiced', invoiceId };
}

/**
 * Brings the invoice's stored details and reservations to the build (run-write-path.ts): details no longer built are
 * released, new or changed ones written, then every source not yet reserved by this invoice reserved by one
 * conditional write. `complete` when all is in place; otherwise how many details are in place (call again).
 */
async function writeBuild(
  invoiceId: string,
  projectId: string,
  built: readonly InvoiceDetail[],
  stored: readonly StoredDetail[],
  budget: WorkBudget,
): Promise<'complete' | number> {
  const wanted = new Map(built.map((detail) => [detail.id, detail]));
  const storedById = new Map(stored.map((entry) => [entry.detail.id, entry]));
  const stale = stored.filter((entry) => !wanted.has(entry.detail.id)).map((entry) => entry.detail);
  if (stale.length > 0)
    await releaseRunDetails(invoiceId, projectId, stale, () => faultPoint(`invoice-project:released:${projectId}`));

  const toWrite = built.filter((detail) => {
    const held = storedById.get(detail.id);
    return !held || canonical(held.detail) !== canonical(detail);
  });
  for (let start = 0; start < toWrite.length; start += WRITE_SLICE) {
    if (budget.remainingMillis() < HAND_BACK_MILLIS) return stored.length - stale.length + start;
    await writeDetails(invoiceId, toWrite.slice(start, start + WRITE_SLICE));
    await faultPoint(`invoice-project:details-written:${projectId}`);
  }

  const toReserve = built.filter((detail) => !storedById.get(detail.id)?.reserved);
  let taken = 0;
  for (let start = 0; start < toReserve.length; start += WRITE_SLICE) {
    if (budget.remainingMillis() < HAND_BACK_MILLIS) return built.length - toReserve.length + start;
    const outcome = await reserveSources(invoiceId, projectId, toReserve.slice(start, start + WRITE_SLICE), () =>
      faultPoint(`invoice-project:reserved:${projectId}`),
    );
    taken += outcome.taken.length;
  }
  // Taken by another invoice (or changed) meanwhile: this draft is rebuilt without them on the next call.
  return taken > 0 ? built.length - taken : 'complete';
}

/** The run ends with nothing to invoice: a draft an earlier attempt began gives back what it holds and goes. */
async function closeEmpty(
  invoiceId: string,
  projectId: string,
  runDate: string,
  executionId: string,
  stored: readonly StoredDetail[] | undefined,
  budget: WorkBudget,
): Promise<InvoiceProjectResult> {
  if (stored && !(await dropDraft(invoiceId, projectId, stored))) {
    // Another attempt built something meanwhile: call again and continue that draft.
    return { status: 'building', invoiceId, detailsWritten: 0 };
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

/** A building draft that ends with nothing to invoice gives back what it holds, then goes (false: another build won). */
async function dropDraft(invoiceId: string, projectId: string, stored: readonly StoredDetail[]): Promise<boolean> {
  const key = buildKeyOf([]);
  await stampBuild(invoiceId, key);
  await releaseRunDetails(
    invoiceId,
    projectId,
    stored.map((entry) => entry.detail),
    () => faultPoint(`invoice-project:released:${projectId}`),
  );
  return dropRunHeader(invoiceId, key);
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
