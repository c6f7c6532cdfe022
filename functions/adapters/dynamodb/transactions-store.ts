import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documents, isConditionFailure, tableName } from './client.ts';
import { HIGH, index, keys } from './keys.ts';
import { withoutKeys, type TransactionRecord } from './items.ts';
import { queryAll } from './projects-store.ts';

/** Transactions: each its own partition (TX#<t>), in the project's backlog index while unbilled (A5, A6). */

export function transactionItem(transaction: TransactionRecord): Record<string, unknown> {
  return {
    ...keys.transaction(transaction.id),
    entity: 'Transaction',
    ...transaction,
    ...(transaction.billingState === 'unbilled' ? backlogIndex(transaction) : {}),
    gsi2pk: index.projectTransactions(transaction.projectId),
    gsi2sk: `${transaction.date}#${transaction.id}`,
  };
}

/** The attributes that put a transaction in its project's backlog (A5). */
export function backlogIndex(transaction: Pick<TransactionRecord, 'projectId' | 'date' | 'id'>): {
  gsi1pk: string;
  gsi1sk: string;
} {
  return { gsi1pk: index.unbilled(transaction.projectId), gsi1sk: `${transaction.date}#${transaction.id}` };
}

export async function putNewTransaction(transaction: TransactionRecord): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName(),
        Item: transactionItem(transaction),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** A5: the unbilled transactions of a project dated up to the cut-off, in (date, id) order. */
export async function unbilledUpTo(projectId: string, cutOff: string): Promise<TransactionRecord[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :backlog AND gsi1sk <= :upTo',
    ExpressionAttributeValues: { ':backlog': index.unbilled(projectId), ':upTo': `${cutOff}#${HIGH}` },
  });
  return items.map((item) => withoutKeys<TransactionRecord>(item));
}

/** The whole backlog of a project (manual invoicing shows what is after the cut-off too). */
export async function backlog(projectId: string): Promise<TransactionRecord[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :backlog',
    ExpressionAttributeValues: { ':backlog': index.unbilled(projectId) },
  });
  return items.map((item) => withoutKeys<TransactionRecord>(item));
}

/** Transactions by id, strongly consistent, 100 per request (BatchGetItem), retrying unprocessed keys. */
export async function transactionsById(ids: readonly string[]): Promise<TransactionRecord[]> {
  const found: TransactionRecord[] = [];
  for (let start = 0; start < ids.length; start += 100) {
    let requested: Record<string, unknown>[] = ids.slice(start, start + 100).map((id) => keys.transaction(id));
    for (let attempt = 0; requested.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const result = await documents.send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: requested, ConsistentRead: true } } }),
      );
      found.push(...(result.Responses?.[tableName()] ?? []).map((item) => withoutKeys<TransactionRecord>(item)));
      requested = (result.UnprocessedKeys?.[tableName()]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}

/**
 * A18: every transaction of the project that is unbilled or reserved by an invoice not yet issued (reserved ones are
 * shown as on another invoice). The query keeps unbilled and reserved items; A41 then drops those whose invoice is
 * issued (billed).
 */
export async function openTransactions(projectId: string): Promise<TransactionRecord[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :project',
    FilterExpression: 'billingState <> :billed',
    ExpressionAttributeValues: { ':project': index.projectTransactions(projectId), ':billed': 'billed' },
  });
  const resolved = await withBillingState(items.map((item) => withoutKeys<TransactionRecord>(item)));
  return resolved.filter((transaction) => transaction.billingState !== 'billed');
}

/** Invoice statuses whose reserved transactions are still open (on a draft, or on their way back). */
const OPEN_STATUSES = new Set(['building', 'draft', 'in_review', 'discarded']);

/**
 * "Billed" follows from the invoice that reserved the transaction: Send issues the invoice and writes nothing on
 * its transactions, so a transaction stored `reserved` whose reserving invoice is issued (or paid, or credited) is
 * billed. A41: a BatchGetItem of the distinct reserving invoices (strongly consistent, projection `status`), a handful per
 * page. Every reader of a transaction's state goes through this (the API, manual invoicing).
 */
export async function withBillingState<T extends TransactionRecord>(transactions: readonly T[]): Promise<T[]> {
  const invoiceIds = [
    ...new Set(transactions.flatMap((t) => (t.billingState === 'reserved' && t.reservedBy ? [t.reservedBy] : []))),
  ];
  if (invoiceIds.length === 0) return [...transactions];
  const statuses = new Map<string, string>();
  for (let start = 0; start < invoiceIds.length; start += 100) {
    let requested: Record<string, unknown>[] = invoiceIds.slice(start, start + 100).map((id) => keys.invoiceHeader(id));
    for (let attempt = 0; requested.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const result = await documents.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: requested,
              ConsistentRead: true,
              ProjectionExpression: 'pk, #status',
              ExpressionAttributeNames: { '#status': 'status' },
            },
          },
        }),
      );
      for (const item of result.Responses?.[tableName()] ?? [])
        statuses.set(String(item.pk).slice('INVOICE#'.length), String(item.status));
      requested = (result.UnprocessedKeys?.[tableName()]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return transactions.map((transaction) => {
    if (transaction.billingState !== 'reserved' || !transaction.reservedBy) return transaction;
    const status = statuses.get(transaction.reservedBy);
    return status !== undefined && !OPEN_STATUSES.has(status)
      ? { ...transaction, billingState: 'billed' }
      : transaction;
  });
}
