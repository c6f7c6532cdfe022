import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { InvoiceDetail } from '../../../domain/index.ts';
import { batchWrite, documents, tableName } from '../client.ts';
import { chunkItem, chunkOfOne } from '../detail-chunks.ts';
import { withoutKeys } from '../items.ts';

/**
 * One-off migration (not on a request or workflow path, so a Scan): every detail stored before the chunk items
 * (`INVOICE#<i>`/`DETAIL#<detail id>`, entity `InvoiceDetail`) becomes a chunk of one `DETAILS#<detail id>`, then the
 * old item goes. Chunks of one keep the partition of every invoice (each holds exactly its own id); a run draft still
 * `building` is re-cut by its next attempt. Idempotent: a repeated run finds nothing left, an interrupted one
 * continues (the chunk is put before the old item is deleted). Returns how many details it moved.
 */
export async function migrateDetailItems(): Promise<number> {
  let moved = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'begins_with(sk, :detail) AND entity = :entity',
        ExpressionAttributeValues: { ':detail': 'DETAIL#', ':entity': 'InvoiceDetail' },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = page.Items ?? [];
    await batchWrite(
      items.map((item) => ({
        PutRequest: {
          Item: chunkItem(String(item.pk).slice('INVOICE#'.length), chunkOfOne(withoutKeys<InvoiceDetail>(item))),
        },
      })),
      4,
    );
    await batchWrite(
      items.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
      4,
    );
    moved += items.length;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return moved;
}
