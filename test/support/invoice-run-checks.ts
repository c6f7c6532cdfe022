import { expect } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { summarizeDetails, totalsFromSummary } from '../../functions/domain/index.ts';
import { documents, tableName } from '../../functions/adapters/dynamodb/client.ts';
import { invoiceDetails, invoiceHeader, projectInvoices } from '../../functions/adapters/dynamodb/invoices-store.ts';
import { transactionsById } from '../../functions/adapters/dynamodb/transactions-store.ts';

/** Checks on what an invoice run left behind, read back from DynamoDB. */

export async function draftsOf(projectId: string) {
  return projectInvoices(projectId);
}

/** The invoice's header totals are what its stored details add up to. */
export async function expectTotalsAddUp(invoiceId: string): Promise<void> {
  const header = await invoiceHeader(invoiceId);
  const details = await invoiceDetails(invoiceId);
  expect(header?.detailCount).toBe(details.length);
  expect(header?.totals).toEqual(totalsFromSummary(summarizeDetails(details), header?.payments, header?.credits));
}

/** Every given transaction is held by exactly the given invoice, and the invoice has a detail for each. */
export async function expectHeldBy(invoiceId: string, transactionIds: readonly string[]): Promise<void> {
  const details = await invoiceDetails(invoiceId);
  const onInvoice = details
    .flatMap((detail) => (detail.source.kind === 'transaction' ? [detail.source.transactionId] : []))
    .sort();
  expect(onInvoice).toEqual([...transactionIds].sort());
  const stored = await transactionsById(transactionIds);
  for (const transaction of stored) {
    expect({ id: transaction.id, reservedBy: transaction.reservedBy, billingState: transaction.billingState }).toEqual({
      id: transaction.id,
      reservedBy: invoiceId,
      billingState: 'reserved',
    });
  }
}

/** Size of the largest item in an invoice's partition, as DynamoDB counts it (names + values, roughly). */
export async function largestItemBytes(invoiceId: string): Promise<number> {
  let largest = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `INVOICE#${invoiceId}` },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(marshall(item, { removeUndefinedValues: true }))));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return largest;
}
