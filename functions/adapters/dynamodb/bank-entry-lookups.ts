import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PaymentLookups } from '../../payments/ports.ts';
import { documents, tableName } from './client.ts';
import { index, keys, openInvoiceSortKey } from './keys.ts';

/**
 * The lookups of bank-entry matching (functions/payments/matching.ts) and of the statement report: payment
 * references (A26), open invoices by balance (A29), customers by name (A2) and by account (A36), invoice numbers.
 */
/** A26: the invoice a canonical payment reference belongs to. */
export async function invoiceOfReference(
  canonical: string,
): Promise<{ invoiceId: string; customerId: string | null } | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.paymentReference(canonical), ConsistentRead: true }),
  );
  return Item
    ? { invoiceId: Item.invoiceId as string, customerId: (Item.customerId as string | null) ?? null }
    : undefined;
}

/** A29: open invoices of a customer whose balance is exactly `balance` (at most `limit`). */
export async function openInvoicesWithBalance(
  customerId: string,
  currency: string,
  balance: number,
  limit = 2,
): Promise<string[]> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :sk)',
      ExpressionAttributeValues: {
        ':pk': index.openInvoices(customerId),
        ':sk': openInvoiceSortKey(currency, balance, ''),
      },
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((item) => (item.pk as string).slice('INVOICE#'.length));
}

/** A2 by name: customers whose name is `name` (case-insensitive, exact). */
export async function customersNamed(name: string): Promise<string[]> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :name)',
      ExpressionAttributeValues: { ':pk': 'CUSTOMERS', ':name': `${name.toLowerCase()}#` },
      Limit: 10,
    }),
  );
  return (page.Items ?? []).map((item) => item.id as string);
}

/** A36: the customer an account's payments were applied to before. */
export async function customerOfAccount(iban: string): Promise<string | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: { pk: `DEBTORIBAN#${iban}`, sk: 'DEBTOR' } }),
  );
  return Item ? (Item.customerId as string) : undefined;
}

/** Invoice numbers for the report (BatchGet of the headers, projection of id and number). */
export async function invoiceNumbers(invoiceIds: readonly string[]): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>();
  const unique = [...new Set(invoiceIds)];
  for (let start = 0; start < unique.length; start += 100) {
    let request: Record<string, unknown>[] | undefined = unique
      .slice(start, start + 100)
      .map((id) => keys.invoiceHeader(id));
    for (let attempt = 0; request && request.length > 0 && attempt < 5; attempt++) {
      const response = await documents.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: request,
              ProjectionExpression: 'id, #number',
              ExpressionAttributeNames: { '#number': 'number' },
            },
          },
        }),
      );
      for (const item of response.Responses?.[tableName()] ?? [])
        result.set(item.id as string, (item.number as string | null) ?? null);
      request = response.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return result;
}

/** The lookups port of the payment use cases (functions/payments/ports.ts). */
export const paymentLookups: PaymentLookups = {
  invoiceOfReference,
  customersNamed,
  customerOfAccount,
  openInvoicesWithBalance: (customerId, currency, balance) => openInvoicesWithBalance(customerId, currency, balance),
};
