import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Invoice, InvoiceDetail } from '../../domain/index.ts';
import { StaleVersion } from '../../shared/errors.ts';
import { inParallel } from '../../shared/in-parallel.ts';
import { cancellationCodes, documents, isConditionFailure, tableName } from './client.ts';
import { chunkAt, chunkItem, type ChunkWrites, chunkWrites, type DetailChunk, detailChunks } from './detail-chunks.ts';
import { index, keys } from './keys.ts';
import { asInvoice, ItemConflict, type StoredAuditEntry } from '../../invoices/ports.ts';
import { headerItem, invoiceDetails, invoiceHeader, type InvoiceHeader } from './invoices-store.ts';

export { asInvoice, ItemConflict, type StoredAuditEntry };
import { release } from './transactions-store.ts';

/**
 * Changes to invoices made through the portal API: every change writes the header conditional on the version that
 * was read (optimistic concurrency, If-Match), the changed detail chunks, and one audit item AUDIT#<to version> in a
 * single TransactWriteItems. The paged readers (invoices, details, history) are in invoice-pages-store.ts.
 */
export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** The invoice header is no longer at the version the change expected (412 at the edge, by its base class). */
export class VersionConflict extends StaleVersion {
  override readonly name = 'VersionConflict';
  constructor(currentVersion: number | null) {
    super(currentVersion, 'invoice');
  }
}

export { headerItem };

export const auditKey = (invoiceId: string, toVersion: number) => ({
  pk: keys.invoiceHeader(invoiceId).pk,
  sk: `AUDIT#${String(toVersion).padStart(8, '0')}`,
});

/** An audit entry on its own (changes made outside commitInvoiceChange, such as a manual Finish). */
export async function putAuditEntry(invoiceId: string, entry: StoredAuditEntry): Promise<void> {
  await documents.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...auditKey(invoiceId, entry.toVersion), entity: 'InvoiceAudit', ...entry },
    }),
  );
}

export interface InvoiceChange {
  readonly expectedVersion: number;
  readonly header: InvoiceHeader;
  readonly audit: StoredAuditEntry;
  readonly putDetails?: readonly InvoiceDetail[];
  readonly deleteDetailIds?: readonly string[];
  /** Transactions going back to the project's backlog (reserved by this invoice). */
  readonly releaseTransactions?: readonly { readonly transactionId: string; readonly date: string }[];
  readonly releaseMilestones?: readonly { readonly milestoneId: string; readonly date: string }[];
  readonly extra?: readonly TransactItem[];
}

export function releaseTransactionItem(
  invoiceId: string,
  projectId: string,
  transactionId: string,
  date: string,
): TransactItem {
  return { Update: release(invoiceId, { projectId, date, id: transactionId }) };
}

export function releaseMilestoneItem(
  invoiceId: string,
  projectId: string,
  milestoneId: string,
  date: string,
): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.milestone(projectId, milestoneId),
      UpdateExpression: 'SET invoicedBy = :null, gsi1pk = :ready, gsi1sk = :position',
      ConditionExpression: 'invoicedBy = :invoice',
      ExpressionAttributeValues: {
        ':null': null,
        ':invoice': invoiceId,
        ':ready': index.readyMilestones(projectId),
        ':position': `${date}#${milestoneId}`,
      },
    },
  };
}

/** Writes one change atomically; VersionConflict when the header is no longer at expectedVersion. */
export async function commitInvoiceChange(change: InvoiceChange): Promise<void> {
  const table = tableName();
  const { header } = change;
  const chunks = await changedChunks(header.id, change.putDetails ?? [], change.deleteDetailIds ?? []);
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table,
        Item: headerItem(header),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': change.expectedVersion },
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...auditKey(header.id, change.audit.toVersion), entity: 'InvoiceAudit', ...change.audit },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...chunks.put.map((chunk): TransactItem => ({ Put: { TableName: table, Item: chunkItem(header.id, chunk) } })),
    ...chunks.deleted.map(
      (key): TransactItem => ({ Delete: { TableName: table, Key: keys.detailChunk(header.id, key) } }),
    ),
    ...(change.releaseTransactions ?? []).map((t) =>
      releaseTransactionItem(header.id, header.projectId, t.transactionId, t.date),
    ),
    ...(change.releaseMilestones ?? []).map((m) =>
      releaseMilestoneItem(header.id, header.projectId, m.milestoneId, m.date),
    ),
    ...(change.extra ?? []),
  ];
  if (items.length > 100) throw new Error(`a change of ${items.length} items does not fit one transaction`);
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const reasons = cancellationCodes(error);
    if (!reasons) throw error;
    if (reasons[0] === 'ConditionalCheckFailed' || reasons[1] === 'ConditionalCheckFailed') {
      const current = await invoiceHeader(header.id);
      throw new VersionConflict(current?.version ?? null);
    }
    if (reasons.some((code) => code === 'ConditionalCheckFailed'))
      throw new ItemConflict('an item of this change was changed by someone else');
    throw error;
  }
}

/** Changed ids up to which each chunk is found by its own A17 query (beyond: one A8 read). */
const A17_READS = 8;

/**
 * The chunks a change of details rewrites: each changed id's chunk read (A17), the chunks put with the details changed
 * (or without them; deleted when empty). No condition on the chunks: the header's version condition in the same
 * transaction serialises every change of a draft's details (a chunk read before another change committed fails it).
 */
async function changedChunks(
  invoiceId: string,
  putDetails: readonly InvoiceDetail[],
  deletedIds: readonly string[],
): Promise<ChunkWrites> {
  if (putDetails.length === 0 && deletedIds.length === 0) return { put: [], deleted: [] };
  const ids = [...new Set([...putDetails.map((detail) => detail.id), ...deletedIds])];
  // Many ids (a recalculation): one A8 read of every chunk costs less than a query per id.
  if (ids.length > A17_READS) return chunkWrites(await detailChunks(invoiceId), putDetails, deletedIds);
  const located = new Map<string, DetailChunk>();
  await inParallel(ids, 16, async (id) => {
    const chunk = await chunkAt(invoiceId, id);
    if (chunk) located.set(chunk.key, chunk);
  });
  return chunkWrites([...located.values()], putDetails, deletedIds);
}

/** The whole invoice (header and every detail): O(details); used by commands that need all of them. */
export async function loadInvoice(invoiceId: string): Promise<{ header: InvoiceHeader; invoice: Invoice } | undefined> {
  const header = await invoiceHeader(invoiceId);
  if (!header) return undefined;
  const details = await invoiceDetails(invoiceId);
  return { header, invoice: asInvoice(header, details) };
}

/**
 * Discard, after the header says `discarded`: releases what each detail of each chunk reserved, then deletes the
 * chunk (idempotent: a release found done already is skipped, so a repeated DELETE finishes it), 8 chunks at a time.
 */
export async function releaseDiscarded(header: InvoiceHeader): Promise<void> {
  await inParallel(await detailChunks(header.id), 8, async (chunk) => {
    await inParallel(chunk.details, 16, (detail) => releaseDiscardedSource(header, detail));
    await documents.send(new DeleteCommand({ TableName: tableName(), Key: keys.detailChunk(header.id, chunk.key) }));
  });
}

async function releaseDiscardedSource(header: InvoiceHeader, detail: InvoiceDetail): Promise<void> {
  const release =
    detail.source.kind === 'transaction'
      ? releaseTransactionItem(header.id, header.projectId, detail.source.transactionId, detail.date)
      : detail.source.kind === 'milestone'
        ? releaseMilestoneItem(header.id, header.projectId, detail.source.milestoneId, detail.date)
        : undefined;
  if (!release?.Update) return;
  try {
    await documents.send(new UpdateCommand(release.Update));
  } catch (error) {
    // Released already by an earlier attempt.
    if (!isConditionFailure(error)) throw error;
  }
}
