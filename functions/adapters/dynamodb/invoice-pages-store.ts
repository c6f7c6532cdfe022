import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { compareByDateThenId, type ExcludedItem, type InvoiceDetail } from '../../domain/index.ts';
import type { InvoiceHeader, StoredAuditEntry } from '../../invoices/ports.ts';
import { documents, tableName } from './client.ts';
import { withoutKeys } from './items.ts';
import { HIGH, index, keys } from './keys.ts';
import { invoiceDetails } from './invoices-store.ts';

/**
 * The invoice readers of the portal API, a page at a time: invoices newest first with filters (A9), an invoice's
 * details in (date, id) order (A8), its history (A15), and what a draft left out (A33).
 */
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
