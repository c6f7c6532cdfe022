import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Invoice, InvoiceDetail } from '../../domain/index.ts';
import { StaleVersion } from '../../shared/errors.ts';
import { cancellationCodes, documents, tableName } from './client.ts';
import { index, keys } from './keys.ts';
import { withoutKeys } from './items.ts';
import { asInvoice, ItemConflict, type StoredAuditEntry } from '../../invoices/ports.ts';
import { headerItem, invoiceDetails, invoiceHeader, type InvoiceHeader } from './invoices-store.ts';

export { asInvoice, ItemConflict, type StoredAuditEntry };
import { release } from './transactions-store.ts';

/**
 * Changes to invoices made through the portal API: every change writes the header conditional on the version that
 * was read (optimistic concurrency, If-Match), the changed detail items, and one audit item AUDIT#<to version> in a
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
    ...(change.putDetails ?? []).map(
      (detail): TransactItem => ({
        Put: {
          TableName: table,
          Item: { ...keys.invoiceDetail(header.id, detail.id), entity: 'InvoiceDetail', ...detail },
        },
      }),
    ),
    ...(change.deleteDetailIds ?? []).map(
      (detailId): TransactItem => ({ Delete: { TableName: table, Key: keys.invoiceDetail(header.id, detailId) } }),
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

/** One detail (GetItem), for edits that must not read the other details. */
export async function invoiceDetail(invoiceId: string, detailId: string): Promise<InvoiceDetail | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.invoiceDetail(invoiceId, detailId), ConsistentRead: true }),
  );
  return Item ? withoutKeys<InvoiceDetail>(Item) : undefined;
}

/** The whole invoice (header and every detail): O(details); used by commands that need all of them. */
export async function loadInvoice(invoiceId: string): Promise<{ header: InvoiceHeader; invoice: Invoice } | undefined> {
  const header = await invoiceHeader(invoiceId);
  if (!header) return undefined;
  const details = await invoiceDetails(invoiceId);
  return { header, invoice: asInvoice(header, details) };
}

/** Discard, after the header says `discarded`: deletes a detail and releases what it reserved (idempotent). */
export async function releaseDiscardedDetail(header: InvoiceHeader, detail: InvoiceDetail): Promise<void> {
  const release =
    detail.source.kind === 'transaction'
      ? releaseTransactionItem(header.id, header.projectId, detail.source.transactionId, detail.date)
      : detail.source.kind === 'milestone'
        ? releaseMilestoneItem(header.id, header.projectId, detail.source.milestoneId, detail.date)
        : undefined;
  const remove: TransactItem = { Delete: { TableName: tableName(), Key: keys.invoiceDetail(header.id, detail.id) } };
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: release ? [release, remove] : [remove] }));
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] !== 'ConditionalCheckFailed') throw error;
    // Released already by an earlier attempt: only the detail item is left to delete.
    await documents.send(new TransactWriteCommand({ TransactItems: [remove] }));
  }
}
