import type { InvoiceDetail } from '../domain/index.ts';
import { faultPoint } from '../shared/faults.ts';
import type { RunDrafts, WorkBudget } from './ports.ts';
import { buildKeyOf, canonical, type StoredDetail } from './run-candidates.ts';

/**
 * What an attempt of run (P, D) writes to bring its draft to its build (the lean write path and its crash windows:
 * adapters/dynamodb/run-write-path.ts). Every write is idempotent or conditional on the build's key, so any attempt
 * can stop anywhere and the next one continues.
 */

/** Stop writing when less than this is left of the Lambda's time. */
const HAND_BACK_MILLIS = 20_000;
/** Details written (or reserved) between two looks at the time left. */
const WRITE_SLICE = 400;

/** The draft has left `building` meanwhile (another attempt completed or dropped it): look again. */
export class DraftNotBuilding extends Error {
  override readonly name = 'DraftNotBuilding';
}

/** Stamps the attempt's build on the building header (DraftNotBuilding when it is no longer building). */
export async function stampBuild(drafts: RunDrafts, invoiceId: string, buildKey: string): Promise<void> {
  if (!(await drafts.stampBuild(invoiceId, buildKey)))
    throw new DraftNotBuilding(`invoice ${invoiceId} is no longer building`);
}

/**
 * Brings the invoice's stored details and reservations to the build: details no longer built are released, new or
 * changed ones written, then every source not yet reserved by this invoice reserved by one conditional write.
 * `complete` when all is in place; otherwise how many details are in place (call again).
 */
export async function writeBuild(
  drafts: RunDrafts,
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
    await drafts.releaseDetails(invoiceId, projectId, stale, () => faultPoint(`invoice-project:released:${projectId}`));

  const toWrite = built.filter((detail) => {
    const held = storedById.get(detail.id);
    return !held || canonical(held.detail) !== canonical(detail);
  });
  for (let start = 0; start < toWrite.length; start += WRITE_SLICE) {
    if (budget.remainingMillis() < HAND_BACK_MILLIS) return stored.length - stale.length + start;
    await drafts.writeDetails(invoiceId, toWrite.slice(start, start + WRITE_SLICE));
    await faultPoint(`invoice-project:details-written:${projectId}`);
  }

  const toReserve = built.filter((detail) => !storedById.get(detail.id)?.reserved);
  let taken = 0;
  for (let start = 0; start < toReserve.length; start += WRITE_SLICE) {
    if (budget.remainingMillis() < HAND_BACK_MILLIS) return built.length - toReserve.length + start;
    const outcome = await drafts.reserveSources(invoiceId, projectId, toReserve.slice(start, start + WRITE_SLICE), () =>
      faultPoint(`invoice-project:reserved:${projectId}`),
    );
    taken += outcome.taken.length;
  }
  // Taken by another invoice (or changed) meanwhile: this draft is rebuilt without them on the next call.
  return taken > 0 ? built.length - taken : 'complete';
}

/** A building draft that ends with nothing to invoice gives back what it holds, then goes (false: another build won). */
export async function dropDraft(
  drafts: RunDrafts,
  invoiceId: string,
  projectId: string,
  stored: readonly StoredDetail[],
): Promise<boolean> {
  const key = buildKeyOf([]);
  await stampBuild(drafts, invoiceId, key);
  await drafts.releaseDetails(
    invoiceId,
    projectId,
    stored.map((entry) => entry.detail),
    () => faultPoint(`invoice-project:released:${projectId}`),
  );
  return drafts.drop(invoiceId, key);
}
