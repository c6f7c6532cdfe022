import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { InvoiceDetail } from '../../../domain/index.ts';
import { batchWrite, documents, tableName } from '../client.ts';
import { chunkItem, chunkOf, chunkOfOne } from '../detail-chunks.ts';
import { withoutKeys } from '../items.ts';

/**
 * One-off migration (not on a request or workflow path, so a Scan): every detail stored before the chunk items
 * (`INVOICE#<i>`/`DETAIL#<detail id>`, entity `InvoiceDetail`) becomes a chunk of one `DETAILS#<detail id>`, then the
 * old item goes. Chunks of one keep the partition of every invoice (each holds exactly its own id); a run draft still
 * `building` is re-cut by its next attempt. Idempotent: a repeated run finds nothing left, an interrupted one
 * continues (the chunk is put before the old item is deleted). A chunk written before chunks were compressed (its
 * `details` a list) is rewritten in place with a compressed `body` (detail-chunks.ts). Returns how many items it
 * moved or rewrote.
 */
export async function migrateDetailItems(): Promise<number> {
  let moved = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression:
          '(begins_with(sk, :detail) AND entity = :detailEntity) OR (entity = :chunkEntity AND attribute_exists(details))',
        ExpressionAttributeValues: {
          ':detail': 'DETAIL#',
          ':detailEntity': 'InvoiceDetail',
          ':chunkEntity': 'InvoiceDetails',
        },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const found = page.Items ?? [];
    const detailItems = found.filter((item) => item.entity === 'InvoiceDetail');
    const invoiceOf = (item: Record<string, unknown>) => String(item.pk).slice('INVOICE#'.length);
    await batchWrite(
      [
        ...detailItems.map((item) => chunkItem(invoiceOf(item), chunkOfOne(withoutKeys<InvoiceDetail>(item)))),
        ...found
          .filter((item) => item.entity === 'InvoiceDetails')
          .map((item) => chunkItem(invoiceOf(item), chunkOf(item))),
      ].map((Item) => ({ PutRequest: { Item } })),
      4,
    );
    await batchWrite(
      detailItems.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
      4,
    );
    moved += found.length;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return moved;
}
