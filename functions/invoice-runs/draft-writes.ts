import type { InvoiceDetail } from '../domain/index.ts';
import { faultPoint } from '../shared/faults.ts';
import type { DetailChunk, RunDrafts, WorkBudget } from './ports.ts';
import { buildKeyOf, canonical, type StoredDetail } from './run-candidates.ts';

/**
 * What an attempt of run (P, D) writes to bring its draft to its build (the lean write path and its crash windows:
 * adapters/dynamodb/run-write-path.ts). Every write is idempotent or conditional on the build's key, so any attempt
 * can stop anywhere and the next one continues.
 */

/** Stop writing when less than this is left of the Lambda's time. */
const HAND_BACK_MILLIS = 20_000;
/** Details written (in whole chunks) or reserved between two looks at the time left. */
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

/** What an attempt found stored: the draft's chunks and its details, each with whether its source is reserved. */
export interface StoredDraft {
  readonly chunks: readonly DetailChunk[];
  readonly details: readonly StoredDetail[];
}

/**
 * Brings the invoice's stored chunks and reservations to the build, in this order (the crash windows:
 * run-write-path.ts): the sources of details no longer built are released; the build's chunks that are new or
 * differ from what is stored are written, those under new keys first, then those that replace a stored chunk;
 * stored chunks whose key the build does not have are deleted; then every source not yet reserved by this invoice
 * is reserved by one conditional write. `complete` when all is in place; otherwise how many details are in place
 * (call again).
 */
export async function writeBuild(
  drafts: RunDrafts,
  invoiceId: string,
  projectId: string,
  built: readonly InvoiceDetail[],
  stored: StoredDraft,
  budget: WorkBudget,
): Promise<'complete' | number> {
  const wanted = new Set(built.map((detail) => detail.id));
  const stale = stored.details.filter((entry) => !wanted.has(entry.detail.id)).map((entry) => entry.detail);
  if (stale.length > 0)
    await drafts.releaseSources(invoiceId, projectId, stale, () => faultPoint(`invoice-project:released:${projectId}`));

  const target = drafts.chunked(built);
  const storedChunks = new Map(stored.chunks.map((chunk) => [chunk.key, canonical(chunk.details)]));
  const differ = target.filter((chunk) => storedChunks.get(chunk.key) !== canonical(chunk.details));
  // New keys first: a chunk that replaces a stored one may drop a detail that moves to a new key (never to another
  // key the build keeps: each chunk holds the ids up to the next key), so its new home is written before.
  const phases = [
    differ.filter((chunk) => !storedChunks.has(chunk.key)),
    differ.filter((c) => storedChunks.has(c.key)),
  ];
  let inPlace = built.length - differ.reduce((sum, chunk) => sum + chunk.details.length, 0);
  for (const phase of phases) {
    for (const slice of slices(phase)) {
      if (budget.remainingMillis() < HAND_BACK_MILLIS) return inPlace;
      await drafts.writeChunks(invoiceId, slice);
      inPlace += slice.reduce((sum, chunk) => sum + chunk.details.length, 0);
      await faultPoint(`invoice-project:chunks-written:${projectId}`);
    }
  }
  const targetKeys = new Set(target.map((chunk) => chunk.key));
  const staleKeys = stored.chunks.map((chunk) => chunk.key).filter((key) => !targetKeys.has(key));
  if (staleKeys.length > 0) {
    await drafts.deleteChunks(invoiceId, staleKeys);
    await faultPoint(`invoice-project:stale-chunks-deleted:${projectId}`);
  }

  const reserved = new Set(stored.details.filter((entry) => entry.reserved).map((entry) => entry.detail.id));
  const toReserve = built.filter((detail) => !reserved.has(detail.id));
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

/** Chunks in slices of about WRITE_SLICE details (at least one chunk a slice). */
function slices(chunks: readonly DetailChunk[]): DetailChunk[][] {
  const out: DetailChunk[][] = [];
  let details = WRITE_SLICE;
  for (const chunk of chunks) {
    if (details >= WRITE_SLICE) {
      out.push([]);
      details = 0;
    }
    out.at(-1)?.push(chunk);
    details += chunk.details.length;
  }
  return out;
}

/** The draft holds exactly the build's chunks (keys and contents): the condition of its completion. */
export function holdsExactly(
  drafts: RunDrafts,
  stored: readonly DetailChunk[],
  built: readonly InvoiceDetail[],
): boolean {
  const target = drafts.chunked(built);
  return (
    stored.length === target.length &&
    stored.every(
      (chunk, n) => chunk.key === target[n]?.key && canonical(chunk.details) === canonical(target[n]?.details),
    )
  );
}

/** A building draft that ends with nothing to invoice gives back what it holds, then goes (false: another won). */
export async function dropDraft(
  drafts: RunDrafts,
  invoiceId: string,
  projectId: string,
  stored: StoredDraft,
): Promise<boolean> {
  const key = buildKeyOf([]);
  await stampBuild(drafts, invoiceId, key);
  await drafts.releaseSources(
    invoiceId,
    projectId,
    stored.details.map((entry) => entry.detail),
    () => faultPoint(`invoice-project:released:${projectId}`),
  );
  await drafts.deleteChunks(
    invoiceId,
    stored.chunks.map((chunk) => chunk.key),
  );
  await faultPoint(`invoice-project:stale-chunks-deleted:${projectId}`);
  return drafts.drop(invoiceId, key);
}
