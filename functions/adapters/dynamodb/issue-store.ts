import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { formatInvoiceNumber, issueYear, send, summarizeDetails, type CommandContext } from '../../domain/index.ts';
import { documents, tableName } from './client.ts';
import { keys } from './keys.ts';
import { auditKey, cancellationCodes, headerItem, loadInvoice, type TransactItem } from './invoice-changes-store.ts';
import type { InvoiceHeader } from './invoices-store.ts';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Issue (the atomic core of Send to customer, rules sections 4 and 6): the next number of the gapless series
 * SERIES#INV#<year> and the draft -> issued change commit in ONE conditional transaction with the transactions
 * marked billed. The counter item holds `last`; it is incremented only together with an issued invoice, so numbers
 * have no gaps. Limit: up to 90 transaction details in one transaction (larger invoices need a staged Send: the Send
 * feature owns that). Returns the issued header; throws 'stale' when the invoice is not at expectedVersion.
 */
export const seriesKey = (kind: 'INV' | 'CN', year: number) => ({ pk: `SERIES#${kind}#${year}`, sk: 'SERIES' });

export async function issueInvoice(invoiceId: string, expectedVersion: number, ctx: CommandContext & { actorId: string }): Promise<InvoiceHeader> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const loaded = await loadInvoice(invoiceId);
    if (!loaded) throw new Error(`no invoice ${invoiceId}`);
    if (loaded.header.version !== expectedVersion) throw Object.assign(new Error('stale'), { name: 'StaleInvoice', currentVersion: loaded.header.version });
    const year = issueYear(ctx.today);
    const counterKey = seriesKey('INV', year);
    const { Item } = await documents.send(new GetCommand({ TableName: tableName(), Key: counterKey, ConsistentRead: true }));
    const last = typeof Item?.last === 'number' ? Item.last : 0;
    const result = send(loaded.invoice, { number: formatInvoiceNumber('invoice', year, last + 1) }, ctx);
    const { details, audit, excluded: _e, ...rest } = result.invoice;
    const header: InvoiceHeader = { ...loaded.header, ...rest, status: result.invoice.status, summary: loaded.header.summary ?? summarizeDetails(details) };
    const entry = audit.at(-1);
    const billed = result.effects.billedTransactions.filter((b) => details.some((d) => d.source.kind === 'transaction' && d.source.transactionId === b.transactionId));
    if (billed.length > 90) throw new Error('issuing more than 90 transaction details at once is not supported here');
    const items: TransactItem[] = [
      {
        Update: {
          TableName: tableName(),
          Key: counterKey,
          UpdateExpression: 'SET #last = :next, entity = :entity',
          ConditionExpression: last === 0 ? 'attribute_not_exists(#last)' : '#last = :last',
          ExpressionAttributeNames: { '#last': 'last' },
          ExpressionAttributeValues: { ':next': last + 1, ':entity': 'NumberSeries', ...(last === 0 ? {} : { ':last': last }) },
        },
      },
      { Put: { TableName: tableName(), Item: headerItem(header), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } } },
      { Put: { TableName: tableName(), Item: { ...auditKey(invoiceId, header.version), entity: 'InvoiceAudit', ...entry, actorId: ctx.actorId } } },
      ...billed.map((b): TransactItem => ({
        Update: {
          TableName: tableName(),
          Key: keys.transaction(b.transactionId),
          UpdateExpression: 'SET billingState = :billed, billedQuantity = :quantity',
          ConditionExpression: 'reservedBy = :invoice',
          ExpressionAttributeValues: { ':billed': 'billed', ':quantity': b.quantity, ':invoice': invoiceId },
        },
      })),
    ];
    try {
      await documents.send(new TransactWriteCommand({ TransactItems: items }));
      return header;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed' && codes[1] !== 'ConditionalCheckFailed') continue; // another Send took the number: next one
      throw error;
    }
  }
  throw new Error('the number series is busy; try again');
}
