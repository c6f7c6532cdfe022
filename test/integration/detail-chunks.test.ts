import './handler-environment.ts';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { chunked, chunkOf, invoiceDetail, invoiceDetails } from '../../functions/adapters/dynamodb/detail-chunks.ts';
import { invoiceHeader } from '../../functions/adapters/dynamodb/invoices-store.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { migrateDetailItems } from '../../functions/adapters/dynamodb/migrations/detail-chunks.ts';
import { billingContext } from '../../functions/adapters/dynamodb/projects-store.ts';
import { dynamoBillingData } from '../../functions/adapters/dynamodb/run-sources.ts';
import { dynamoRunDrafts } from '../../functions/adapters/dynamodb/run-write-path.ts';
import { dynamoRunRecords } from '../../functions/adapters/dynamodb/runs-store.ts';
import { transactionsById } from '../../functions/adapters/dynamodb/transactions-store.ts';
import { buildInvoice, cutOffFor } from '../../functions/domain/index.ts';
import { dynamoInvoicePorts } from '../../functions/handlers/wiring/invoices.ts';
import { invoiceProject, runInvoiceId } from '../../functions/invoice-runs/invoice-project.ts';
import { editInvoiceDetail, removeInvoiceDetail } from '../../functions/invoices/use-cases/edit-details.ts';
import { setFaultPlan } from '../../functions/shared/faults.ts';
import { NotFound } from '../../functions/shared/errors.ts';
import type { TransactionRecord } from '../../functions/adapters/dynamodb/items.ts';
import { givenCustomer, givenProject, givenTransactions, monthlyOn, transaction } from '../support/billing-data.ts';
import { cloud, documents } from './clients.ts';

/**
 * An invoice's details in chunk items (detail-chunks.ts): a run's draft of 120 details is three chunks of 50, 50 and
 * 20; A17 finds a detail in its chunk; an edit rewrites only that chunk; a rebuild whose chunk keys moved ends, through
 * crashes in each of its windows, with exactly the build's chunks and each transaction reserved once.
 */
const ports = { runs: dynamoRunRecords, billing: dynamoBillingData, drafts: dynamoRunDrafts };
const budget = { remainingMillis: () => 600_000, now: () => new Date().toISOString() };
const alice = { username: 'alice', userId: 'sub-alice' };

async function chunkItems(invoiceId: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: cloud.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :details)',
      ExpressionAttributeValues: { ':pk': keys.invoiceHeader(invoiceId).pk, ':details': 'DETAILS#' },
      ConsistentRead: true,
    }),
  );
  return Items;
}

/** The details a stored chunk item holds (its compressed body decoded). */
const detailsIn = (item: Record<string, unknown>) => chunkOf(item).details;

async function projectWith(count: number, runDate: string) {
  const customer = await givenCustomer();
  const project = await givenProject(customer.id, monthlyOn([15], '2002-01-01'));
  const transactions = Array.from({ length: count }, (_, n) =>
    transaction(project, n, `${runDate.slice(0, 8)}0${1 + (n % 9)}`),
  );
  await givenTransactions(transactions, 32);
  return { project, transactions, invoiceId: runInvoiceId(project.id, runDate) };
}

afterEach(() => {
  setFaultPlan(undefined);
  delete process.env.FACTUUR_FAULT_INJECTION;
});

describe('detail chunks', () => {
  it('a 120-detail run draft is 3 chunk items; A17 finds a detail of the middle chunk; an edit rewrites only it', async () => {
    const runDate = '2002-03-15';
    const { project, transactions, invoiceId } = await projectWith(120, runDate);
    const input = { projectId: project.id, runDate, executionId: 'exec-chunks' };
    expect(await invoiceProject(ports, input, budget)).toEqual({ status: 'invoiced', invoiceId });

    const ids = transactions.map((t) => `t:${t.id}`).sort();
    const stored = await chunkItems(invoiceId);
    expect(stored.map((item) => item.sk)).toEqual([`DETAILS#${ids[0]}`, `DETAILS#${ids[50]}`, `DETAILS#${ids[100]}`]);
    expect(stored.map((item) => detailsIn(item).length)).toEqual([50, 50, 20]);
    expect(stored.every((item) => item.entity === 'InvoiceDetails' && item.details === undefined)).toBe(true);
    // Compressed: a chunk of 50 run details is a few KB where its JSON is about 25 KB.
    const json = Buffer.byteLength(JSON.stringify(detailsIn(stored[0]!)));
    const body = (stored[0]!.body as Uint8Array).byteLength;
    console.log(`detail chunk of 50: ${json} bytes of JSON, ${body} bytes stored`);
    expect(body).toBeLessThan(json / 4);
    expect(await invoiceDetails(invoiceId)).toHaveLength(120);

    const middle = ids[60]!;
    expect((await invoiceDetail(invoiceId, middle))?.id).toBe(middle);
    expect(await invoiceDetail(invoiceId, `${ids[60]}-none`)).toBeUndefined();
    expect(await invoiceDetail(invoiceId, 'a:before-every-chunk')).toBeUndefined();

    const header = await invoiceHeader(invoiceId);
    await editInvoiceDetail(
      dynamoInvoicePorts(),
      invoiceId,
      middle,
      header!.version,
      { quantity: '3.5' },
      alice,
      new Date(),
    );
    const after = await chunkItems(invoiceId);
    expect(after.map((item) => JSON.stringify(item) !== JSON.stringify(stored.find((s) => s.sk === item.sk)))).toEqual([
      false,
      true,
      false,
    ]);
    expect((await invoiceDetail(invoiceId, middle))?.quantity).toBe('3.5');
    await expect(
      removeInvoiceDetail(dynamoInvoicePorts(), invoiceId, `${middle}-none`, header!.version + 1, alice, new Date()),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('a rebuild whose chunk keys moved ends, through a crash in each window, with exactly its chunks', async () => {
    process.env.FACTUUR_FAULT_INJECTION = 'on';
    const runDate = '2002-04-15';
    const { project, transactions, invoiceId } = await projectWith(120, runDate);
    const input = { projectId: project.id, runDate, executionId: 'exec-rekey' };
    // The first attempt writes its three chunks and dies after its first reservations.
    setFaultPlan((point) => (point === `invoice-project:reserved:${project.id}` ? 'crash' : undefined));
    await expect(invoiceProject(ports, input, budget)).rejects.toMatchObject({ name: 'Runtime.ExitError' });
    expect(await chunkItems(invoiceId)).toHaveLength(3);

    // Meanwhile the 61st transaction is put on hold: the rebuild keeps the first chunk, replaces the second (key
    // kept, content changed), writes a third under a new key and deletes the old third.
    const held = [...transactions].sort((a, b) => (a.id < b.id ? -1 : 1))[60] as TransactionRecord;
    await documents.send(
      new UpdateCommand({
        TableName: cloud.tableName,
        Key: keys.projectTransaction(project.id, held.date, held.id),
        UpdateExpression: 'SET onHold = :yes',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
    const windows = ['released', 'chunks-written', 'stale-chunks-deleted', 'reserved'];
    const crashed = new Set<string>();
    setFaultPlan((point) => {
      const window = windows.find((name) => point === `invoice-project:${name}:${project.id}`);
      if (!window || crashed.has(window)) return undefined;
      crashed.add(window);
      return 'crash';
    });
    let result: Awaited<ReturnType<typeof invoiceProject>> | undefined;
    for (let attempt = 0; attempt < 12 && result?.status !== 'invoiced'; attempt++) {
      result = await invoiceProject(ports, input, budget).catch((error: Error) => {
        expect(error.name).toBe('Runtime.ExitError');
        return undefined;
      });
    }
    expect(result).toEqual({ status: 'invoiced', invoiceId });
    expect([...crashed].sort()).toEqual([...windows].sort());

    const context = await billingContext(project.id);
    const expected = buildInvoice({
      invoiceId,
      origin: { kind: 'run' },
      project: context!.project,
      transactions: transactions.map((t) => (t.id === held.id ? { ...t, onHold: true } : t)),
      milestones: [],
      runDate,
      cutOff: cutOffFor(runDate),
    });
    if (expected.outcome !== 'draft') throw new Error('expected a draft');
    const stored = await chunkItems(invoiceId);
    expect(stored.map((item) => ({ sk: item.sk, details: detailsIn(item) }))).toEqual(
      chunked(expected.invoice.details).map((chunk) => ({ sk: `DETAILS#${chunk.key}`, details: chunk.details })),
    );
    expect(await invoiceHeader(invoiceId)).toMatchObject({ status: 'draft', totals: expected.invoice.totals });
    for (const t of await transactionsById(project.id, transactions))
      expect({ id: t.id, reservedBy: t.reservedBy }).toEqual({
        id: t.id,
        reservedBy: t.id === held.id ? null : invoiceId,
      });
  });
});

describe('details stored before the chunks', () => {
  it('the migration moves each DETAIL# item into a chunk of one, once; edits find it afterwards', async () => {
    const invoiceId = `inv-old-${Date.now()}`;
    const old = (id: string) => ({
      pk: `INVOICE#${invoiceId}`,
      sk: `DETAIL#${id}`,
      entity: 'InvoiceDetail',
      id,
      description: `Werk ${id}`,
    });
    for (const id of ['t:a', 't:b'])
      await documents.send(new PutCommand({ TableName: cloud.tableName, Item: old(id) }));
    expect(await migrateDetailItems()).toBeGreaterThanOrEqual(2);
    expect((await chunkItems(invoiceId)).map((item) => [item.sk, detailsIn(item).map((d) => d.id)])).toEqual([
      ['DETAILS#t:a', ['t:a']],
      ['DETAILS#t:b', ['t:b']],
    ]);
    expect((await invoiceDetail(invoiceId, 't:b'))?.description).toBe('Werk t:b');
    expect(await migrateDetailItems()).toBe(0);
  });

  it('a chunk stored before compression (a details list) is read as it is, and the migration compresses it', async () => {
    const invoiceId = `inv-plain-${Date.now()}`;
    const details = [
      { id: 't:a', description: 'Werk a' },
      { id: 't:b', description: 'Werk b' },
    ];
    await documents.send(
      new PutCommand({
        TableName: cloud.tableName,
        Item: { pk: `INVOICE#${invoiceId}`, sk: 'DETAILS#t:a', entity: 'InvoiceDetails', details },
      }),
    );
    expect((await invoiceDetail(invoiceId, 't:b'))?.description).toBe('Werk b');
    expect(await migrateDetailItems()).toBeGreaterThanOrEqual(1);
    const [item] = await chunkItems(invoiceId);
    expect(item?.details).toBeUndefined();
    expect(item?.body).toBeInstanceOf(Uint8Array);
    expect(detailsIn(item!)).toEqual(details);
    expect((await invoiceDetail(invoiceId, 't:b'))?.description).toBe('Werk b');
    expect(await migrateDetailItems()).toBe(0);
  });
});
