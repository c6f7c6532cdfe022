import { gunzipSync, gzipSync } from 'node:zlib';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { InvoiceDetail } from '../../domain/index.ts';
import type { DetailChunk } from '../../invoice-runs/ports.ts';
import { documents, tableName } from './client.ts';
import { keys } from './keys.ts';
import { queryAll } from './projects-store.ts';

export type { DetailChunk };

/**
 * An invoice's details live in chunk items (table-design.md, "Invoice details"): `INVOICE#<i>`/`DETAILS#<key>` holds
 * the details whose ids lie in [key, the next chunk's key), sorted by id, so the chunk keys partition the id space of
 * every invoice that is not `building`. A run's draft is cut in chunks of many details (`chunked`); every other
 * writer (manual Finish, a manual detail, a credit note) writes chunks of one, keyed by the detail's id.
 *
 * Adopted: at most 50 details and about 64 KB of JSON a chunk (a storage choice, not a rule). A typical run detail
 * is about 500 bytes of JSON (bench), so a full chunk is about 25 KB before compression; the largest detail (two
 * descriptions of 500 characters, up to 4 bytes each in UTF-8) is under 5 KB.
 *
 * Adopted: a chunk stores its details as gzip-compressed JSON in one binary attribute, `body` (AWS, "Best practices
 * for storing large items and attributes": compress large attribute values). The details of a chunk are always read
 * and written whole, never filtered or projected by DynamoDB, so nothing is lost; a run's chunk of 50 details is then
 * a few KB instead of about 25 (write and read units, request bytes, and the marshalling of every detail's attributes
 * on both ends shrink with it). To look at one by hand: `base64 -d | gunzip`. A chunk written before (`details` as a
 * list) is read as it is until `migrateDetailItems` has rewritten it.
 */
export const CHUNK_DETAILS = 50;
export const CHUNK_BYTES = 64_000;

const byId = (a: InvoiceDetail, b: InvoiceDetail) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The details sorted by id, cut in chunks of at most CHUNK_DETAILS details and CHUNK_BYTES (same input, same cut). */
export function chunked(details: readonly InvoiceDetail[]): DetailChunk[] {
  const chunks: DetailChunk[] = [];
  let current: InvoiceDetail[] = [];
  let bytes = 0;
  for (const detail of [...details].sort(byId)) {
    const size = Buffer.byteLength(JSON.stringify(detail));
    if (current.length === CHUNK_DETAILS || (current.length > 0 && bytes + size > CHUNK_BYTES)) {
      chunks.push({ key: current[0]?.id ?? '', details: current });
      current = [];
      bytes = 0;
    }
    current.push(detail);
    bytes += size;
  }
  if (current.length > 0) chunks.push({ key: current[0]?.id ?? '', details: current });
  return chunks;
}

/** A chunk of one detail, keyed by its id (every writer but the run). */
export const chunkOfOne = (detail: InvoiceDetail): DetailChunk => ({ key: detail.id, details: [detail] });

export function chunkItem(invoiceId: string, chunk: DetailChunk): Record<string, unknown> {
  return {
    ...keys.detailChunk(invoiceId, chunk.key),
    entity: 'InvoiceDetails',
    body: gzipSync(JSON.stringify(chunk.details)),
  };
}

/** The chunk a stored item holds (compressed `body`, or a `details` list written before compression). */
export function chunkOf(item: Record<string, unknown>): DetailChunk {
  const key = String(item.sk).slice('DETAILS#'.length);
  if (item.body instanceof Uint8Array)
    return { key, details: JSON.parse(gunzipSync(item.body).toString('utf8')) as InvoiceDetail[] };
  return { key, details: (item.details ?? []) as InvoiceDetail[] };
}

/** A8 as stored: the invoice's chunks in key order. */
export async function detailChunks(invoiceId: string): Promise<DetailChunk[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :details)',
    ExpressionAttributeValues: { ':pk': keys.invoiceHeader(invoiceId).pk, ':details': 'DETAILS#' },
    ConsistentRead: true,
  });
  return items.map(chunkOf);
}

/**
 * The details of the chunks, one copy of each id. Only a `building` run draft can hold an id in two chunks (a chunk
 * written under its new key, the old one not yet deleted): the copy in the later chunk wins, the one A17 finds.
 */
export function detailsOf(chunks: readonly DetailChunk[]): InvoiceDetail[] {
  const found = new Map<string, InvoiceDetail>();
  for (const chunk of chunks) for (const detail of chunk.details) found.set(detail.id, detail);
  return [...found.values()];
}

/** A8: every detail of an invoice. */
export async function invoiceDetails(invoiceId: string): Promise<InvoiceDetail[]> {
  return detailsOf(await detailChunks(invoiceId));
}

/** A17 (the chunk): the chunk whose range holds the id (the greatest key at or before it), if any. */
export async function chunkAt(invoiceId: string, detailId: string): Promise<DetailChunk | undefined> {
  const { Items } = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :id',
      ExpressionAttributeValues: {
        ':pk': keys.invoiceHeader(invoiceId).pk,
        ':first': 'DETAILS#',
        ':id': keys.detailChunk(invoiceId, detailId).sk,
      },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = Items?.[0];
  return item ? chunkOf(item) : undefined;
}

/** A17: one detail by id (its chunk read, the detail found in it), without reading the other chunks. */
export async function invoiceDetail(invoiceId: string, detailId: string): Promise<InvoiceDetail | undefined> {
  return (await chunkAt(invoiceId, detailId))?.details.find((detail) => detail.id === detailId);
}

/** What a change of details does to the chunks: chunks put (whole) and chunk keys deleted. */
export interface ChunkWrites {
  readonly put: DetailChunk[];
  readonly deleted: string[];
}

/**
 * The chunks after details are put (replaced, or added) and deleted, from the chunks that hold their ids (A17 of each
 * id; `located` holds each such chunk once). A new id goes into the chunk whose range holds it while that chunk holds a
 * greater id (the partition stays), else into a chunk of one of its own. A chunk left empty is deleted.
 */
export function chunkWrites(
  located: readonly DetailChunk[],
  put: readonly InvoiceDetail[],
  deletedIds: readonly string[],
): ChunkWrites {
  const chunks = new Map(located.map((chunk) => [chunk.key, new Map(chunk.details.map((d) => [d.id, d]))]));
  const touched = new Set<string>();
  const keysBefore = (id: string) => [...chunks.keys()].filter((key) => key <= id).sort((a, b) => (a < b ? 1 : -1))[0];
  for (const id of deletedIds) {
    const key = keysBefore(id);
    if (key !== undefined && chunks.get(key)?.delete(id)) touched.add(key);
  }
  for (const detail of put) {
    const key = keysBefore(detail.id);
    const holder = key === undefined ? undefined : chunks.get(key);
    const inside = holder && (holder.has(detail.id) || [...holder.keys()].some((id) => id > detail.id));
    const target = inside ? (key as string) : detail.id;
    if (!chunks.has(target)) chunks.set(target, new Map());
    chunks.get(target)?.set(detail.id, detail);
    touched.add(target);
  }
  const writes: ChunkWrites = { put: [], deleted: [] };
  for (const key of [...touched].sort()) {
    const details = [...(chunks.get(key)?.values() ?? [])].sort(byId);
    if (details.length === 0) writes.deleted.push(key);
    else writes.put.push({ key, details });
  }
  return writes;
}
