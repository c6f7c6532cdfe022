import './handler-environment.ts';
import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoInvoicePorts } from '../../functions/handlers/wiring/invoices.ts';
import { auditKey, headerItem } from '../../functions/adapters/dynamodb/invoice-changes-store.ts';
import { chunked, chunkItem, chunkOf } from '../../functions/adapters/dynamodb/detail-chunks.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { transactionItem, transactionKeyItem } from '../../functions/adapters/dynamodb/transactions-store.ts';
import {
  addManualDetail,
  buildInvoice,
  type Invoice,
  type InvoiceDetail,
  type Project,
  send,
  todayInZone,
} from '../../functions/domain/index.ts';
import { firmTimeZone } from '../../functions/shared/firm.ts';
import { type InvoiceChangeToApply, type InvoicePorts, storedHeader } from '../../functions/invoices/ports.ts';
import {
  addInvoiceDetail,
  editInvoiceDetail,
  removeInvoiceDetail,
} from '../../functions/invoices/use-cases/edit-details.ts';
import { editInvoiceHeader, reviewInvoice } from '../../functions/invoices/use-cases/edit-header.ts';
import { recordInvoicePayment, reverseInvoicePayment } from '../../functions/invoices/use-cases/payments.ts';
import { recalculateInvoice } from '../../functions/invoices/use-cases/recalculate.ts';
import { ctx, milestone, project, tx, VAT9 } from '../unit/domain/fixtures.ts';
import { queuedDeliveryItem } from '../../functions/adapters/dynamodb/deliveries-store.ts';
import { seriesKey } from '../../functions/adapters/dynamodb/number-series-store.ts';
import { sendPorts } from '../../functions/handlers/wiring/sending.ts';
import type { IssueChange, SendPorts } from '../../functions/sending/ports.ts';
import { sendToCustomer } from '../../functions/sending/send-to-customer.ts';
import { firmProfile } from '../../local/demo-data.ts';
import { cloud, documents } from './clients.ts';

/**
 * The effects contract: every invoice command run through the DynamoDB adapter writes exactly the items its
 * effects name (header, audit entry, details written and deleted, transactions and milestones released or made
 * non-chargeable), no more and no less, and the items hold what the effects say.
 */
const alice = { username: 'alice', userId: 'sub-alice' };
const bob = { username: 'bob', userId: 'sub-bob' };
const now = new Date();
const TABLE = cloud.tableName;

interface World {
  readonly invoiceId: string;
  readonly projectId: string;
  readonly transactionIds: readonly string[];
  /** Each transaction's date: where it is stored (PROJECT#<p> / TX#<date>#<t>). */
  readonly dates: Readonly<Record<string, string>>;
}

/** Where a transaction of the world is stored. */
const storedAt = (world: World, id: string) => keys.projectTransaction(world.projectId, world.dates[id]!, id);

async function seed(
  issued: boolean,
  customer: Partial<Project['customer']> = {},
  more: (draft: Invoice) => Invoice = (draft) => draft,
): Promise<World> {
  const invoiceId = `EC-${randomUUID()}`;
  const projectId = `ECP-${randomUUID()}`;
  const ids = ['a', 'b', 'c'].map((s) => `${invoiceId}-${s}`);
  const built = buildInvoice({
    invoiceId,
    origin: { kind: 'run' },
    project: { ...project({ id: projectId }), customer: { ...project().customer, ...customer } },
    transactions: ids.map((id, i) => tx(id, { date: `2027-01-1${i}`, quantity: i === 2 ? '1.5' : '2' })),
    milestones: [milestone(`${invoiceId}-m`)],
    runDate: '2027-02-01',
    cutOff: '2027-01-31',
  });
  if (built.outcome !== 'draft') throw new Error('expected a draft');
  const invoice: Invoice = issued
    ? send(built.invoice, { number: `INV-EC-${invoiceId}` }, ctx).invoice
    : more(built.invoice);
  const header = storedHeader(invoice, invoice.status, now.toISOString());
  await documents.send(new PutCommand({ TableName: TABLE, Item: headerItem(header) }));
  // Stored as a run stores them: chunk items of many details.
  for (const chunk of chunked(invoice.details))
    await documents.send(new PutCommand({ TableName: TABLE, Item: chunkItem(invoiceId, chunk) }));
  for (const [i, id] of ids.entries()) {
    const transaction = {
      ...tx(id, { date: `2027-01-1${i}` }),
      projectId,
      billingState: 'reserved' as const,
      reservedBy: invoiceId,
    };
    for (const Item of [transactionItem(transaction), transactionKeyItem(transaction)])
      await documents.send(new PutCommand({ TableName: TABLE, Item }));
  }
  await documents.send(
    new PutCommand({
      TableName: TABLE,
      Item: {
        ...keys.milestone(projectId, `${invoiceId}-m`),
        entity: 'Milestone',
        ...milestone(`${invoiceId}-m`),
        projectId,
        invoicedBy: invoiceId,
      },
    }),
  );
  return {
    invoiceId,
    projectId,
    transactionIds: ids,
    dates: Object.fromEntries(ids.map((id, i) => [id, `2027-01-1${i}`])),
  };
}

type Items = Map<string, Record<string, unknown>>;
const keyOf = (item: Record<string, unknown>) => `${String(item.pk)}|${String(item.sk)}`;

/**
 * Every item the world holds: the invoice's partition, the project's (its milestones and transactions), the
 * transactions' key items.
 */
async function snapshot(world: World): Promise<Items> {
  const items: Items = new Map();
  for (const pk of [keys.invoiceHeader(world.invoiceId).pk, keys.project(world.projectId).pk]) {
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }),
    );
    for (const item of Items) items.set(keyOf(item), item);
  }
  for (const id of world.transactionIds) {
    const { Item } = await documents.send(
      new GetCommand({ TableName: TABLE, Key: keys.transaction(id), ConsistentRead: true }),
    );
    if (Item) items.set(keyOf(Item), Item);
  }
  return items;
}

function changedKeys(before: Items, after: Items): string[] {
  const all = new Set([...before.keys(), ...after.keys()]);
  return [...all].filter((k) => JSON.stringify(before.get(k) ?? null) !== JSON.stringify(after.get(k) ?? null)).sort();
}

/** The chunk item whose range holds a detail id (A17), or the key of a chunk of one when none holds it. */
function chunkHolding(items: Items, invoiceId: string, detailId: string): string {
  const own = keys.detailChunk(invoiceId, detailId);
  const at = [...items.values()]
    .filter((item) => item.pk === own.pk && String(item.sk).startsWith('DETAILS#') && String(item.sk) <= own.sk)
    .sort((a, b) => (String(a.sk) < String(b.sk) ? 1 : -1))[0];
  const details = at ? chunkOf(at).details : [];
  return at && details.some((d) => d.id === detailId || d.id > detailId) ? keyOf(at) : keyOf(own);
}

/** The detail as stored (in its chunk), if it is. */
function storedDetail(items: Items, invoiceId: string, detailId: string): InvoiceDetail | undefined {
  const chunk = items.get(chunkHolding(items, invoiceId, detailId));
  return (chunk ? chunkOf(chunk).details : []).find((d) => d.id === detailId);
}

/** The keys the effects of one change name: the header, the audit entry, the chunks of the details, the work. */
function effectKeys(change: InvoiceChangeToApply, world: World, before: Items): string[] {
  const { effects, header } = change;
  const k = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;
  const chunks = new Set(
    [...effects.putDetails, ...effects.deletedDetails].map((d) => chunkHolding(before, header.id, d.id)),
  );
  return [
    k(keys.invoiceHeader(header.id)),
    k(auditKey(header.id, change.audit.toVersion)),
    ...chunks,
    ...[...effects.releasedTransactionIds, ...effects.nonChargeableTransactionIds].map((id) => k(storedAt(world, id))),
    ...effects.releasedMilestoneIds.map((id) => k(keys.milestone(world.projectId, id))),
  ].sort();
}

/** The DynamoDB ports, recording the change each command hands over. */
function recording(world: World): { ports: InvoicePorts; changes: InvoiceChangeToApply[] } {
  const base = dynamoInvoicePorts();
  const changes: InvoiceChangeToApply[] = [];
  return {
    changes,
    ports: {
      ...base,
      customers: {
        currentCustomer: async () => ({ ...project({ id: world.projectId }).customer, reverseCharge: true }),
      },
      invoices: {
        ...base.invoices,
        apply: async (change) => {
          changes.push(change);
          await base.invoices.apply(change);
        },
      },
    },
  };
}

async function expectExactly(world: World, ports: ReturnType<typeof recording>, run: () => Promise<unknown>) {
  const before = await snapshot(world);
  const count = ports.changes.length;
  await run();
  const after = await snapshot(world);
  expect(ports.changes).toHaveLength(count + 1);
  const change = ports.changes.at(-1) as InvoiceChangeToApply;
  expect(changedKeys(before, after)).toEqual(effectKeys(change, world, before));
  expect(after.get(keyOf(keys.invoiceHeader(world.invoiceId)))).toEqual(headerItem(change.header));
  expect(after.get(keyOf(auditKey(world.invoiceId, change.audit.toVersion)))).toMatchObject({ ...change.audit });
  for (const d of change.effects.putDetails) expect(storedDetail(after, world.invoiceId, d.id)).toEqual(d);
  for (const d of change.effects.deletedDetails) expect(storedDetail(after, world.invoiceId, d.id)).toBeUndefined();
  for (const id of change.effects.releasedTransactionIds)
    expect(after.get(keyOf(storedAt(world, id)))).toMatchObject({ billingState: 'unbilled', reservedBy: null });
  for (const id of change.effects.nonChargeableTransactionIds)
    expect(after.get(keyOf(storedAt(world, id)))).toMatchObject({ billingType: 'non_chargeable', reservedBy: null });
  for (const id of change.effects.releasedMilestoneIds)
    expect(after.get(keyOf(keys.milestone(world.projectId, id)))).toMatchObject({ invoicedBy: null });
}

describe('effects contract: the DynamoDB adapter writes exactly the effects', () => {
  it('every draft command', async () => {
    const world = await seed(false);
    const r = recording(world);
    const [a, b, c] = world.transactionIds as [string, string, string];
    const { invoiceId } = world;
    let v = 1;
    await expectExactly(world, r, () =>
      editInvoiceDetail(r.ports, invoiceId, `t:${a}`, v++, { quantity: '1.25' }, alice, now),
    );
    await expectExactly(world, r, () =>
      addInvoiceDetail(
        r.ports,
        invoiceId,
        v++,
        {
          transactionId: `${invoiceId}-n`,
          type: 'fee',
          contractLineId: 'CL1',
          date: '2027-01-05',
          description: 'travel',
          quantity: '1',
          unit: 'trip',
          unitPrice: '45.50',
          tax: VAT9,
        },
        alice,
        now,
      ),
    );
    await expectExactly(world, r, () => removeInvoiceDetail(r.ports, invoiceId, `t:${b}`, v++, alice, now));
    await expectExactly(world, r, () => removeInvoiceDetail(r.ports, invoiceId, `m:${invoiceId}-m`, v++, alice, now));
    await expectExactly(world, r, () =>
      editInvoiceDetail(r.ports, invoiceId, `t:${c}`, v++, { billingType: 'non_chargeable' }, alice, now),
    );
    await expectExactly(world, r, () => editInvoiceHeader(r.ports, invoiceId, v++, { poNumber: 'PO-1' }, alice, now));
    await expectExactly(world, r, () => recalculateInvoice(r.ports, invoiceId, v++, true, alice, now));
    expect(r.changes.at(-1)?.effects.putDetails.length).toBeGreaterThan(0);
    await expectExactly(world, r, () => reviewInvoice(r.ports, invoiceId, v++, 'submit', undefined, alice, now));
    await expectExactly(world, r, () => reviewInvoice(r.ports, invoiceId, v++, 'approve', undefined, bob, now));
  });

  it('payments on an issued invoice', async () => {
    const world = await seed(true);
    const r = recording(world);
    const today = todayInZone(now, firmTimeZone());
    await expectExactly(world, r, () =>
      recordInvoicePayment(
        r.ports,
        world.invoiceId,
        2,
        { paymentId: 'p1', amount: 10_00, currency: 'EUR', date: today, method: 'bank' },
        alice,
        now,
      ),
    );
    await expectExactly(world, r, () =>
      reverseInvoicePayment(
        r.ports,
        world.invoiceId,
        3,
        { paymentId: 'p1', reversalId: 'r1', date: today },
        alice,
        now,
      ),
    );
  });
});

/** Send's DynamoDB ports, recording the issue handed over; the delivery is not started (nothing else writes). */
function recordingSend(world: World): { ports: SendPorts; issues: IssueChange[] } {
  const base = sendPorts();
  const issues: IssueChange[] = [];
  return {
    issues,
    ports: {
      ...base,
      firm: { profile: async () => firmProfile },
      projects: { names: async () => ({ contractLineNames: { CL1: 'Consultancy' }, projectName: world.projectId }) },
      starter: { start: async () => {} },
      issuing: {
        ...base.issuing,
        apply: async (change) => {
          issues.push(change);
          return base.issuing.apply(change);
        },
      },
    },
  };
}

/** The keys the effects of one issue name. */
function issueKeys(change: IssueChange, world: World): string[] {
  const { effects, header, issue } = change;
  const k = (key: { pk: string; sk: string }) => `${key.pk}|${key.sk}`;
  return [
    k(keys.invoiceHeader(header.id)),
    k(auditKey(header.id, change.audit.toVersion)),
    k(seriesKey('INV', issue.series.year)),
    k({ pk: `INVOICE#${header.id}`, sk: `DELIVERY#${issue.queuedDelivery.deliveryId}` }),
    k(keys.paymentReference(issue.paymentReference.canonical)),
    ...effects.createdTransactions.flatMap((t) => [
      k(keys.projectTransaction(world.projectId, t.date, t.id)),
      k(keys.transaction(t.id)),
    ]),
    ...effects.invoicedMilestoneIds.map((id) => k(keys.milestone(world.projectId, id))),
  ].sort();
}

describe('effects contract: Send writes exactly the issue the domain returned', () => {
  it('number, header, audit, e-mail, payment reference, manual work and milestone in one change', async () => {
    const world = await seed(false, {
      postalAddress: { lines: ['Main 1'], postalCode: '1011 AB', city: 'Amsterdam', subdivision: null, country: 'NL' },
      taxId: 'NL001234567B01',
    });
    const r = recording(world);
    const { invoiceId } = world;
    await addInvoiceDetail(
      r.ports,
      invoiceId,
      1,
      {
        transactionId: `${invoiceId}-n`,
        type: 'fee',
        contractLineId: 'CL1',
        date: '2027-01-05',
        description: 'travel',
        quantity: '1',
        unit: 'trip',
        unitPrice: '45.50',
        tax: VAT9,
      },
      alice,
      now,
    );
    await editInvoiceDetail(r.ports, invoiceId, `t:${world.transactionIds[0]}`, 2, { quantity: '1.5' }, alice, now);
    await editInvoiceHeader(r.ports, invoiceId, 3, { poNumber: 'PO-1' }, alice, now);
    // A year of its own, so that no other test moves the counter meanwhile.
    const year = 3000 + Math.floor(Math.random() * 6000);
    const series = { pk: seriesKey('INV', year).pk, sk: 'SERIES' };
    const extra = async (items: Items) => {
      for (const key of [series, keys.transaction(`${invoiceId}-n`)]) {
        const { Item } = await documents.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }));
        if (Item) items.set(keyOf(Item), Item);
      }
      return items;
    };
    const before = await extra(await snapshot(world));
    const s = recordingSend(world);
    const outcome = await sendToCustomer(s.ports, invoiceId, 4, alice, now, `${year}-03-01`);
    expect(s.issues).toHaveLength(1);
    const change = s.issues[0] as IssueChange;
    const after = await extra(await snapshot(world));
    const { Item: reference } = await documents.send(
      new GetCommand({
        TableName: TABLE,
        Key: keys.paymentReference(change.issue.paymentReference.canonical),
        ConsistentRead: true,
      }),
    );
    if (reference) after.set(keyOf(reference), reference);
    expect(changedKeys(before, after)).toEqual(issueKeys(change, world));
    expect(change.effects.createdTransactions.map((t) => t.id)).toEqual([`${invoiceId}-n`]);
    expect(change.effects.invoicedMilestoneIds).toEqual([`${invoiceId}-m`]);
    expect(change.effects.writeDowns.map((w) => w.transactionId)).toEqual([world.transactionIds[0]]);
    expect(outcome.invoice.number).toBe(`INV-${year}-000001`);
    expect(after.get(keyOf(keys.invoiceHeader(invoiceId)))).toEqual(headerItem(change.header));
    expect(after.get(keyOf(auditKey(invoiceId, change.audit.toVersion)))).toMatchObject({ ...change.audit });
    expect(after.get(keyOf(series))).toMatchObject({ last: change.issue.series.next });
    expect(after.get(`INVOICE#${invoiceId}|DELIVERY#send`)).toEqual(queuedDeliveryItem(change.issue.queuedDelivery));
    expect(reference).toMatchObject({ invoiceId, reference: change.issue.paymentReference.printed });
    expect(after.get(keyOf(keys.transaction(`${invoiceId}-n`)))).toEqual({
      ...keys.transaction(`${invoiceId}-n`),
      entity: 'TransactionKey',
      projectId: world.projectId,
      date: '2027-01-05',
    });
    expect(after.get(keyOf(keys.projectTransaction(world.projectId, '2027-01-05', `${invoiceId}-n`)))).toMatchObject({
      billingState: 'billed',
      reservedBy: invoiceId,
      quantity: '1',
      printedDescription: 'travel',
    });
    expect(after.get(keyOf(keys.milestone(world.projectId, `${invoiceId}-m`)))).toMatchObject({
      invoicedState: 'billed',
      invoicedBy: invoiceId,
    });
  });

  it('billing beyond one transaction follows it, written once, and the header ends as the effects say', async () => {
    const postal = { lines: ['Main 1'], postalCode: '1011 AB', city: 'Amsterdam', subdivision: null, country: 'NL' };
    const manual = (invoiceId: string, n: number) => ({
      transactionId: `${invoiceId}-x${n}`,
      type: 'expense' as const,
      contractLineId: 'CL1',
      date: '2027-01-06',
      description: `parking ${n}`,
      quantity: '1',
      unit: 'ticket',
      unitPrice: '2.50',
      tax: VAT9,
    });
    const world = await seed(false, { postalAddress: postal, taxId: 'NL001234567B01' }, (draft) => {
      let invoice: Invoice = { ...draft, poNumber: 'PO-2' };
      for (let n = 0; n < 100; n++) invoice = addManualDetail(invoice, manual(draft.id, n), ctx).invoice;
      return invoice;
    });
    const { invoiceId } = world;
    const year = 3000 + Math.floor(Math.random() * 6000);
    const created = Array.from({ length: 100 }, (_, n) => keys.transaction(`${invoiceId}-x${n}`));
    const extra = async (items: Items) => {
      for (const key of [seriesKey('INV', year), ...created]) {
        const { Item } = await documents.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }));
        if (Item) items.set(keyOf(Item), Item);
      }
      return items;
    };
    const before = await extra(await snapshot(world));
    const s = recordingSend(world);
    await sendToCustomer(s.ports, invoiceId, 101, alice, now, `${year}-03-01`);
    const change = s.issues[0] as IssueChange;
    expect(change.effects.createdTransactions).toHaveLength(100);
    const after = await extra(await snapshot(world));
    const { Item: reference } = await documents.send(
      new GetCommand({
        TableName: TABLE,
        Key: keys.paymentReference(change.issue.paymentReference.canonical),
        ConsistentRead: true,
      }),
    );
    if (reference) after.set(keyOf(reference), reference);
    expect(changedKeys(before, after)).toEqual(issueKeys(change, world));
    // Written with billingPending, which the completed billing removed: the header is the effects' header.
    const { billingPending: _pending, ...header } = headerItem(change.header);
    expect(after.get(keyOf(keys.invoiceHeader(invoiceId)))).toEqual(header);
    for (const key of created) expect(after.get(keyOf(key))).toMatchObject({ entity: 'TransactionKey' });
    for (let n = 0; n < 100; n++)
      expect(
        after.get(keyOf(keys.projectTransaction(world.projectId, '2027-01-06', `${invoiceId}-x${n}`))),
      ).toMatchObject({ billingState: 'billed', reservedBy: invoiceId, version: 1 });
  });
});
