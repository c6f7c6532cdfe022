import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { compareByDateThenId, type ExcludedItem, type Invoice, type InvoiceDetail } from '../../domain/index.ts';
import { StaleVersion } from '../../shared/errors.ts';
import { cancellationCodes, documents, tableName } from './client.ts';
import { HIGH, index, keys } from './keys.ts';
import { withoutKeys } from './items.ts';
import { asInvoice, ItemConflict, type StoredAuditEntry } from '../../invoices/ports.ts';
import { headerItem, invoiceDetails, invoiceHeader, type InvoiceHeader } from './invoices-store.ts';

export { asInvoice, ItemConflict, type StoredAuditEntry };
import { backlogIndex } from './transactions-store.ts';

/**
 * Changes to invoices made through the portal API: every change writes the header conditional on the version that
 * was read (optimistic concurrency, If-Match), the changed detail items, and one audit item AUDIT#<to version> in a
 * single TransactWriteItems. Readers: invoices listed newest first (A9) with filters, details and history paged.
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
  const backlog = backlogIndex({ projectId, date, id: transactionId });
  return {
    Update: {
      TableName: tableName(),
      Key: keys.transaction(transactionId),
      UpdateExpression: 'SET billingState = :unbilled, reservedBy = :null, gsi1pk = :backlog, gsi1sk = :position',
      ConditionExpression: 'reservedBy = :invoice AND billingState = :reserved',
      ExpressionAttributeValues: {
        ':unbilled': 'unbilled',
        ':null': null,
        ':invoice': invoiceId,
        ':reserved': 'reserved',
        ':backlog': backlog.gsi1pk,
        ':position': backlog.gsi1sk,
      },
    },
  };
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

export interface Page<T> {
  readonly items: T[];
  readonly next?: Record<string, unknown>;
}

async function page<T>(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Page<T>> {
  const result = await documents.send(new QueryCommand(input));
  return {
    items: (result.Items ?? []).map((item) => withoutKeys<T>(item)),
    ...(result.LastEvaluatedKey ? { next: result.LastEvaluatedKey } : {}),
  };
}

/**
 * A8: details of an invoice in (date, id) order (rules: a draft lists its details by date), the page after `after`.
 * Adopted: detail items are keyed by id, so a page reads all of the invoice's details (one Query page per ~1 MB,
 * about 2,000 details) and sorts them; a date-ordered sort key would make it O(page) and is left to the details
 * write path. The cursor is the last (date, id) shown, so a page stays right when details are added or removed.
 */
export async function detailsPage(
  invoiceId: string,
  limit: number,
  after?: { readonly date: string; readonly id: string },
): Promise<Page<InvoiceDetail>> {
  const all = (await invoiceDetails(invoiceId)).sort(compareByDateThenId);
  const found = after ? all.findIndex((detail) => compareByDateThenId(detail, after) > 0) : 0;
  const start = found === -1 ? all.length : found;
  const items = all.slice(start, start + limit);
  const last = items.at(-1);
  return { items, ...(start + limit < all.length && last ? { next: { date: last.date, id: last.id } } : {}) };
}

/** A33: what a draft left out because of a not-to-exceed limit (stored with the draft). */
export async function excludedOf(invoiceId: string): Promise<ExcludedItem[]> {
  const result = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :excluded)',
      ExpressionAttributeValues: { ':pk': keys.invoiceHeader(invoiceId).pk, ':excluded': 'EXCLUDED#' },
    }),
  );
  return (result.Items ?? []).map((item) => withoutKeys<ExcludedItem>(item));
}

/** A15: the history of an invoice, oldest change first. */
export function auditPage(
  invoiceId: string,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<Page<StoredAuditEntry>> {
  return page({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
    ExpressionAttributeValues: { ':pk': keys.invoiceHeader(invoiceId).pk, ':audit': 'AUDIT#' },
    Limit: limit,
    ConsistentRead: true,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  });
}

export interface InvoiceFilter {
  readonly status?: string;
  readonly customerId?: string;
  readonly projectId?: string;
  /** Created on or after / on or before (dates). */
  readonly from?: string;
  readonly to?: string;
  /** Made by the invoice run of this run date (origin kind run). */
  readonly runDate?: string;
}

/**
 * A9: invoices newest first. With a project: gsi2 PROJECTINVOICES#<p>, else gsi1 INVOICES; the date range is a key
 * condition on the sort key (created at), status and customer are filters (a page may hold fewer than `limit`
 * invoices, even none, and still have a cursor).
 */
export function invoicesPage(
  filter: InvoiceFilter,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<Page<InvoiceHeader>> {
  const byProject = filter.projectId !== undefined;
  const [pkName, skName] = byProject ? ['gsi2pk', 'gsi2sk'] : ['gsi1pk', 'gsi1sk'];
  const values: Record<string, unknown> = {
    ':pk': byProject ? index.projectInvoices(filter.projectId as string) : index.invoices(),
  };
  let condition = `${pkName} = :pk`;
  if (filter.from !== undefined && filter.to !== undefined) {
    condition += ` AND ${skName} BETWEEN :from AND :to`;
    values[':from'] = filter.from;
    values[':to'] = `${filter.to}${HIGH}`;
  } else if (filter.from !== undefined) {
    condition += ` AND ${skName} >= :from`;
    values[':from'] = filter.from;
  } else if (filter.to !== undefined) {
    condition += ` AND ${skName} <= :to`;
    values[':to'] = `${filter.to}${HIGH}`;
  }
  const filters: string[] = [];
  const names: Record<string, string> = {};
  if (filter.status !== undefined) {
    filters.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter.customerId !== undefined) {
    filters.push('customerId = :customer');
    values[':customer'] = filter.customerId;
  }
  if (filter.runDate !== undefined) {
    filters.push('#origin.#kind = :run AND #origin.#runDate = :runDate');
    Object.assign(names, { '#origin': 'origin', '#kind': 'kind', '#runDate': 'runDate' });
    values[':run'] = 'run';
    values[':runDate'] = filter.runDate;
  }
  return page({
    TableName: tableName(),
    IndexName: byProject ? 'gsi2' : 'gsi1',
    KeyConditionExpression: condition,
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  });
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

export async function setHeaderAttributes(invoiceId: string, attributes: Record<string, unknown>): Promise<void> {
  const names = Object.keys(attributes);
  await documents.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.invoiceHeader(invoiceId),
      UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#n${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:v${i}`, attributes[name]])),
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}
