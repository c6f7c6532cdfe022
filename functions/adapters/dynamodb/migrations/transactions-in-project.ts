import { ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, documents, tableName } from '../client.ts';
import { withoutKeys, type TransactionRecord } from '../items.ts';
import { transactionItem, transactionKeyItem } from '../transactions-store.ts';

/**
 * Upgrade of data written before transactions moved into their project's partition: an old transaction item
 * (`TX#<t>` / `TX`, entity Transaction, with its gsi1 backlog and gsi2 project entries) becomes the transaction at
 * `PROJECT#<p>` / `TX#<date>#<t>` plus the key item `TX#<t>` / `TX` (entity TransactionKey) over the old one.
 *
 * Per item ONE TransactWriteItems: Put the new item `attribute_not_exists`, Put the key item conditional on the old
 * item still being a Transaction. So the function is idempotent: a repeat finds nothing left to move (the old items
 * are key items now), and a crash leaves each transaction either moved or not. It scans the table: not a request or
 * workflow path (run before the new code serves, from local/start.ts and `npm run migrate`).
 */
export interface MigrationOutcome {
  /** Transactions moved by this call. */
  readonly moved: number;
  /** Old items another writer changed or moved meanwhile (left to a repeat of the migration). */
  readonly skipped: number;
}

export async function moveTransactionsIntoProjects(): Promise<MigrationOutcome> {
  let moved = 0;
  let skipped = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'entity = :transaction AND sk = :old AND begins_with(pk, :oldPk)',
        ExpressionAttributeValues: { ':transaction': 'Transaction', ':old': 'TX', ':oldPk': 'TX#' },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      if (await moveOne(withoutKeys<TransactionRecord>(item))) moved += 1;
      else skipped += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { moved, skipped };
}

async function moveOne(transaction: TransactionRecord): Promise<boolean> {
  try {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
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
              ConditionExpression: 'entity = :transaction',
              ExpressionAttributeValues: { ':transaction': 'Transaction' },
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
