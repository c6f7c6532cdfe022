import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { formatInvoiceNumber } from '../../domain/index.ts';
import { documents, tableName } from './client.ts';
import type { TransactItem } from './invoice-changes-store.ts';

/**
 * The gapless number series SERIES#INV#<year> and SERIES#CN#<year> (A14, rules sections 4 and 6): a counter moved
 * only together with the document that takes its number, in one transaction, so numbers have no gaps.
 */
export const seriesKey = (kind: 'INV' | 'CN', year: number) => ({ pk: `SERIES#${kind}#${year}`, sk: 'SERIES' });

/** The last number taken in a series (0: none yet), strongly consistent. */
export async function lastInSeries(kind: 'invoice' | 'credit_note', year: number): Promise<number> {
  const key = seriesKey(kind === 'invoice' ? 'INV' : 'CN', year);
  const { Item } = await documents.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return typeof Item?.last === 'number' ? Item.last : 0;
}

/**
 * The transaction item that moves the counter from the number read to the next, only if nobody moved it meanwhile;
 * the caller puts it in the same transaction as the document that takes the number, and reads again when that
 * transaction is cancelled on the counter.
 */
export function seriesClaim(kind: 'invoice' | 'credit_note', year: number, last: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: seriesKey(kind === 'invoice' ? 'INV' : 'CN', year),
      UpdateExpression: 'SET #last = :next, entity = :entity',
      ConditionExpression: last === 0 ? 'attribute_not_exists(#last)' : '#last = :last',
      ExpressionAttributeNames: { '#last': 'last' },
      ExpressionAttributeValues: {
        ':next': last + 1,
        ':entity': 'NumberSeries',
        ...(last === 0 ? {} : { ':last': last }),
      },
    },
  };
}

/** The next number of a series and the transaction item that claims it (credit notes). */
export async function nextInSeries(
  kind: 'invoice' | 'credit_note',
  year: number,
): Promise<{ number: string; claim: TransactItem }> {
  const last = await lastInSeries(kind, year);
  return { number: formatInvoiceNumber(kind, year, last + 1), claim: seriesClaim(kind, year, last) };
}
