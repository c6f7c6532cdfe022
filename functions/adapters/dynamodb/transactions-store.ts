import { BatchGetCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { NewTransaction } from '../../domain/index.ts';
import { cancellationCodes, documents, tableName } from './client.ts';
import { HIGH, keys, TRANSACTIONS } from './keys.ts';
import { withoutKeys, type TransactionRecord } from './items.ts';
import { queryAll } from './projects-store.ts';

/**
 * Transactions live in their project's partition (`PROJECT#<p>` / `TX#<date>#<t>`) and are in no index, so that a
 * run's reservation (one UpdateItem of billingState and reservedBy) costs one write unit and touches no index entry.
 * The key item `TX#<t>` / `TX` (entity TransactionKey: projectId, date) is the id's identity (written with the
 * transaction, `attribute_not_exists`) and where the API finds a transaction by id.
 */

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Where a transaction is stored: its project and its date (the detail that bills it carries both). */
export interface TransactionPlace {
  readonly projectId: string;
  readonly date: string;
  readonly id: string;
}

export const transactionKeyOf = (place: TransactionPlace) =>
  keys.projectTransaction(place.projectId, place.date, place.id);

export function transactionItem(transaction: TransactionRecord): Record<string, unknown> {
  return { ...transactionKeyOf(transaction), entity: 'Transaction', ...transaction };
}

export function transactionKeyItem(transaction: TransactionPlace): Record<string, unknown> {
  return {
    ...keys.transaction(transaction.id),
    entity: 'TransactionKey',
    projectId: transaction.projectId,
    date: transaction.date,
  };
}

/**
 * The record of a transaction the domain creates (NewTransaction): a manual detail Send bills (billed by its
 * invoice) or credited work a credit note puts back in the backlog (unbilled, linked to the credited transaction).
 */
export function createdTransactionRecord(projectId: string, created: NewTransaction): TransactionRecord {
  return {
    id: created.id,
    projectId,
    type: created.type,
    date: created.date,
    contractLineId: created.contractLineId,
    resource: created.resource,
    orgUnit: created.orgUnit,
    description: created.description,
    ...(created.printedDescription !== undefined ? { printedDescription: created.printedDescription } : {}),
    quantity: created.quantity,
    unit: created.unit,
    unitPrice: created.unitPrice,
    tax: created.tax,
    billingType: created.billingType,
    approved: true,
    onHold: created.onHold,
    reservedBy: created.billedBy,
    version: 1,
    billingState: created.billedBy ? 'billed' : 'unbilled',
    ...(created.linkedTransactionId ? { linkedTransactionId: created.linkedTransactionId } : {}),
  };
}

/** A new transaction: the transaction and its key item, each `attribute_not_exists` (one TransactWriteItems). */
export function newTransactionItems(transaction: TransactionRecord): TransactItem[] {
  return [transactionItem(transaction), transactionKeyItem(transaction)].map((Item) => ({
    Put: { TableName: tableName(), Item, ConditionExpression: 'attribute_not_exists(pk)' },
  }));
}

type Update = NonNullable<TransactItem['Update']>;

/**
 * A transaction reserved for invoice i: unbilled at the version the invoice was built from, or held by i already (a
 * repeated attempt). Sets billingState and reservedBy and nothing else: one write unit, no index entry.
 */
export function reservation(invoiceId: string, transaction: TransactionPlace, version: number): Update {
  return {
    TableName: tableName(),
    Key: transactionKeyOf(transaction),
    UpdateExpression: 'SET billingState = :reserved, reservedBy = :invoice',
    ConditionExpression:
      '(billingState = :unbilled AND version = :version) OR (billingState = :reserved AND reservedBy = :invoice)',
    ExpressionAttributeValues: {
      ':reserved': 'reserved',
      ':unbilled': 'unbilled',
      ':invoice': invoiceId,
      ':version': version,
    },
  };
}

/** A transaction back in the backlog, while invoice i holds it (`also`: more to SET, such as non-chargeable). */
export function release(
  invoiceId: string,
  transaction: TransactionPlace,
  also: { readonly set: string; readonly values: Record<string, unknown> } = { set: '', values: {} },
): Update {
  return {
    TableName: tableName(),
    Key: transactionKeyOf(transaction),
    UpdateExpression: `SET billingState = :unbilled, reservedBy = :null${also.set}`,
    ConditionExpression: 'reservedBy = :invoice AND billingState = :reserved',
    ExpressionAttributeValues: {
      ':unbilled': 'unbilled',
      ':null': null,
      ':invoice': invoiceId,
      ':reserved': 'reserved',
      ...also.values,
    },
  };
}

/** Creates a transaction (A35: an id is written at most once); false when the id exists. */
export async function putNewTransaction(transaction: TransactionRecord): Promise<boolean> {
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: newTransactionItems(transaction) }));
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.some((code) => code === 'ConditionalCheckFailed')) return false;
    throw error;
  }
}

/**
 * A changed date moves an unbilled transaction within its project's partition: one TransactWriteItems deletes it
 * where it was (conditional on the version read and unbilled), puts it at its new date (`attribute_not_exists`) and
 * points the key item there (conditional on the old date). False when a condition failed.
 */
export async function moveTransaction(
  from: TransactionPlace,
  transaction: TransactionRecord,
  expectedVersion: number,
): Promise<boolean> {
  try {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName(),
              Key: transactionKeyOf(from),
              ConditionExpression: 'version = :v AND billingState = :unbilled',
              ExpressionAttributeValues: { ':v': expectedVersion, ':unbilled': 'unbilled' },
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: transactionItem(transaction),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: transactionKeyItem(transaction),
              ConditionExpression: '#date = :from',
              ExpressionAttributeNames: { '#date': 'date' },
              ExpressionAttributeValues: { ':from': from.date },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.some((code) => code === 'ConditionalCheckFailed')) return false;
    throw error;
  }
}

/** Where the transaction with this id is (its key item), strongly consistent. */
export async function transactionPlace(id: string): Promise<TransactionPlace | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.transaction(id), ConsistentRead: true }),
  );
  if (Item?.entity !== 'TransactionKey') return undefined;
  return { id, projectId: String(Item.projectId), date: String(Item.date) };
}

/** One transaction by id: its key item, then the transaction (both strongly consistent). */
export async function transactionById(id: string): Promise<TransactionRecord | undefined> {
  const place = await transactionPlace(id);
  if (!place) return undefined;
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: transactionKeyOf(place), ConsistentRead: true }),
  );
  return Item ? withoutKeys<TransactionRecord>(Item) : undefined;
}

/**
 * A5: the unbilled transactions of a project dated up to the cut-off, in (date, id) order: the project's partition
 * from `TX#` to `TX#<C>#\uffff`, filtered on billingState (the filtered-out items are read, and billed: a project's
 * history up to C is read once per run).
 */
export async function unbilledUpTo(projectId: string, cutOff: string): Promise<TransactionRecord[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :project AND sk BETWEEN :first AND :upTo',
    FilterExpression: 'billingState = :unbilled',
    ExpressionAttributeValues: {
      ':project': keys.project(projectId).pk,
      ':first': TRANSACTIONS,
      ':upTo': `${TRANSACTIONS}${cutOff}#${HIGH}`,
      ':unbilled': 'unbilled',
    },
    ConsistentRead: true,
  });
  return items.map((item) => withoutKeys<TransactionRecord>(item));
}

/**
 * A40: transactions of a project by id and date (a detail's date is its transaction's, and a reserved transaction's
 * date does not change), strongly consistent, 100 per request (BatchGetItem), retrying unprocessed keys. A
 * transaction not found there is not returned (an unbilled one whose date was changed is in the backlog, A5).
 */
export async function transactionsById(
  projectId: string,
  transactions: readonly { readonly id: string; readonly date: string }[],
): Promise<TransactionRecord[]> {
  const found: TransactionRecord[] = [];
  for (let start = 0; start < transactions.length; start += 100) {
    let requested: Record<string, unknown>[] = transactions
      .slice(start, start + 100)
      .map(({ id, date }) => keys.projectTransaction(projectId, date, id));
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
    KeyConditionExpression: 'pk = :project AND begins_with(sk, :transactions)',
    FilterExpression: 'billingState <> :billed',
    ExpressionAttributeValues: {
      ':project': keys.project(projectId).pk,
      ':transactions': TRANSACTIONS,
      ':billed': 'billed',
    },
    ConsistentRead: true,
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
