import { expect } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { summarizeDetails, totalsFromSummary } from '../../functions/domain/index.ts';
import { documents, tableName } from '../../functions/adapters/dynamodb/client.ts';
import { invoiceDetails, invoiceHeader, projectInvoices } from '../../functions/adapters/dynamodb/invoices-store.ts';
import { transactionById, transactionsById } from '../../functions/adapters/dynamodb/transactions-store.ts';

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
  const stored = await Promise.all(transactionIds.map((id) => transactionById(id)));
  for (const [n, transaction] of stored.entries()) {
    if (!transaction) throw new Error(`transaction ${transactionIds[n]} is not stored`);
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

/**
 * The books a run of `runDate` without faults makes, compared with what is stored: for each project its run
 * finished, at most one invoice (a draft, never `building`) with exactly the totals and details buildInvoice
 * gives, and every transaction reserved by that invoice or by none.
 */
export async function expectBooksOfFaultFreeRun(
  projects: readonly { id: string }[],
  transactions: readonly import('../../functions/adapters/dynamodb/items.ts').TransactionRecord[],
  runDate: string,
): Promise<void> {
  const { buildInvoice, cutOffFor } = await import('../../functions/domain/index.ts');
  const { billingContext } = await import('../../functions/adapters/dynamodb/projects-store.ts');
  const { runsOfDate } = await import('../../functions/adapters/dynamodb/runs-store.ts');
  const { runInvoiceId } = await import('../../functions/invoice-runs/invoice-project.ts');
  const runs = await runsOfDate(runDate);
  for (const project of projects) {
    const run = runs.find((candidate) => candidate.projectId === project.id);
    const own = transactions.filter((transaction) => transaction.projectId === project.id);
    const context = await billingContext(project.id);
    const invoiceId = runInvoiceId(project.id, runDate);
    const expected = buildInvoice({
      invoiceId,
      origin: { kind: 'run' },
      project: context!.project,
      transactions: own,
      milestones: [],
      runDate,
      cutOff: cutOffFor(runDate),
    });
    const invoices = await projectInvoices(project.id);
    if (expected.outcome === 'nothing_to_invoice') {
      expect({ project: project.id, status: run?.status, invoices }).toEqual({
        project: project.id,
        status: 'nothing_to_invoice',
        invoices: [],
      });
    } else {
      expect({ project: project.id, status: run?.status, invoiceId: run?.invoiceId }).toEqual({
        project: project.id,
        status: 'invoiced',
        invoiceId,
      });
      expect(invoices.map((invoice) => invoice.id)).toEqual([invoiceId]);
      const header = await invoiceHeader(invoiceId);
      expect(header?.status).toBe('draft');
      expect(header?.totals).toEqual(expected.invoice.totals);
      expect((await invoiceDetails(invoiceId)).map((detail) => detail.id).sort()).toEqual(
        expected.invoice.details.map((detail) => detail.id).sort(),
      );
      await expectTotalsAddUp(invoiceId);
    }
    const billed = new Set(expected.outcome === 'draft' ? expected.reserve.transactions.map((item) => item.id) : []);
    const reread = await transactionsById(project.id, own);
    expect(reread).toHaveLength(own.length);
    for (const stored of reread) {
      expect({ id: stored.id, reservedBy: stored.reservedBy }).toEqual({
        id: stored.id,
        reservedBy: billed.has(stored.id) ? invoiceId : null,
      });
    }
  }
}
