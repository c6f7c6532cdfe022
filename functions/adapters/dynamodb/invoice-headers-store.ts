import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { isOpenForReminders, isOpenInvoice, type Invoice } from '../../domain/index.ts';
import type { InvoiceHeader } from '../../invoices/ports.ts';
import { documents, tableName } from './client.ts';
import { withoutKeys } from './items.ts';
import { index, keys, openInvoiceSortKey } from './keys.ts';
import { queryAll } from './projects-store.ts';

/**
 * An invoice's header item and its reads: the item with its index keys (every header write goes through
 * `headerItem`; the stored header of a domain invoice is invoices/ports.ts `storedHeader`), one header, a project's invoices (the details: detail-chunks.ts). The building and
 * reservation of a run's draft are in invoices-store.ts.
 */

/**
 * The stored header item: listed newest first overall (A9) and per project; while it is an open invoice (issued or
 * partially paid, with a balance) also in gsi3 under its customer by currency and balance (A29: bank-statement
 * proposals), and while it has money owed and a due date also in gsi4 `OPENDUE` by due date (A31, the reminder run).
 * Every header write goes through here, so both indexes follow status and balance exactly (a payment, a full credit or
 * a reversal moves the invoice out of, or back into, them in the same write).
 */
export function headerItem(header: InvoiceHeader): Record<string, unknown> {
  const open = isOpenInvoice(header) && typeof header.customerId === 'string';
  return {
    ...keys.invoiceHeader(header.id),
    entity: 'InvoiceHeader',
    ...header,
    gsi1pk: index.invoices(),
    gsi1sk: `${header.createdAt}#${header.id}`,
    gsi2pk: index.projectInvoices(header.projectId),
    gsi2sk: `${header.createdAt}#${header.id}`,
    ...(open
      ? {
          gsi3pk: index.openInvoices(header.customerId as string),
          gsi3sk: openInvoiceSortKey(header.currency, header.totals.balance, header.id),
        }
      : {}),
    ...(isOpenForReminders({ ...header, status: header.status as Invoice['status'] }) && header.dueDate
      ? { gsi4pk: index.openByDueDate(), gsi4sk: `${header.dueDate}#${header.id}` }
      : {}),
  };
}

export async function invoiceHeader(invoiceId: string): Promise<InvoiceHeader | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.invoiceHeader(invoiceId), ConsistentRead: true }),
  );
  return Item ? withoutKeys<InvoiceHeader>(Item) : undefined;
}

/** A9 (project): the headers of a project's invoices, oldest first (not-to-exceed consumption, checks). */
export async function projectInvoices(projectId: string): Promise<InvoiceHeader[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :project',
    ExpressionAttributeValues: { ':project': index.projectInvoices(projectId) },
  });
  return items.map((item) => withoutKeys<InvoiceHeader>(item));
}
