import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '../support/test-cloud.ts';
import { randomUUID } from 'node:crypto';
import type { LocalCloud } from '../../local/cloud.ts';
import type { FaultKind } from '../../functions/shared/faults.ts';
import { camt053, type TestEntry } from '../support/camt053.ts';

/**
 * Bank statements imported while faults hit at random points of the import (a Lambda that dies after claiming an
 * entry, after matching it, before the document is marked imported; throttles): the same document imported twice at
 * once, an overlapping document (the same entries in another statement) at the same time, then retries until every
 * import answers. The books must be those of one clean import: every entry one payment at most, every over-payment's
 * rest kept once on its customer, no entry left pending. The seed is printed; FAULT_SEED=<n> repeats a run.
 */
const seed = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const invoiceCount = Number(process.env.FAULT_INVOICES ?? 10);

let cloud: LocalCloud;
let testCloud: TestCloud | undefined;

beforeAll(async () => {
  console.log(`bank-statement fault test: FAULT_SEED=${seed} (${invoiceCount} invoices)`);
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  testCloud = await startTestCloud('bank-faults', {
    inMemory: true,
    faultInjection: true,
    ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0 },
  });
  cloud = testCloud.cloud;
}, 120_000);

afterAll(async () => {
  const { setFaultPlan } = await import('../../functions/shared/faults.ts');
  setFaultPlan(undefined);
  await testCloud?.stop();
});

async function api(user: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${cloud.urls.api}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${await cloud.oidc.issueToken(user)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return { json, etag: response.headers.get('etag') as string };
}

/** A sent invoice of a new customer, made through the API as people make them. */
async function sentInvoice(n: number) {
  const s = `${n}-${randomUUID().slice(0, 6)}`;
  await api('admin', 'POST', '/customers', {
    id: `c-${s}`,
    name: `Klant ${s}`,
    postalAddress: { lines: ['Straat 1'], postalCode: '1000 AA', city: 'Amsterdam', subdivision: null, country: 'NL' },
    email: `k-${s}@example.com`,
    taxId: n % 3 === 0 ? 'BE0123456749' : null,
    language: 'nl',
  });
  await api('admin', 'POST', '/projects', {
    id: `p-${s}`,
    name: `Project ${s}`,
    customerId: `c-${s}`,
    currency: 'EUR',
    orgUnit: 'advies',
    frequency: {
      period: 'monthly',
      runsPerPeriod: 1,
      runDayMode: 'dayOfPeriod',
      rules: [{ day: 1 }],
      billingStart: '2026-01-01',
    },
    contractLines: [{ id: 'cl-1', description: 'Advies', billingMethod: 'time_and_material', notToExceed: null }],
    paymentTermsDays: 30,
    buyerReference: `PO-${s}`,
  });
  await api('admin', 'POST', '/transactions', {
    projectId: `p-${s}`,
    type: 'time',
    date: '2026-10-01',
    contractLineId: 'cl-1',
    resource: 'jan',
    orgUnit: 'advies',
    description: 'Werk',
    quantity: String(1 + n),
    unit: 'hour',
    unitPrice: '95.00',
    tax: { code: 'NL-HIGH', category: 'S', rate: '21' },
    billingType: 'chargeable',
    approved: true,
    onHold: false,
  });
  const preview = await api('billing', 'POST', `/projects/p-${s}/invoice-preview`, { cutOff: '2026-10-31' });
  const draft = await api('billing', 'POST', `/projects/p-${s}/invoices`, { token: preview.json.token });
  await api('billing', 'POST', `/invoices/${draft.json.id}/send`, undefined, { 'if-match': draft.etag });
  const issued = await api('viewer', 'GET', `/invoices/${draft.json.id}`);
  return issued.json as { id: string; customerId: string; paymentReference: string; totals: { total: number } };
}

describe('bank statements under faults', () => {
  it('end with the books of one clean import', async () => {
    const { generator } = await import('../../local/demo-data.ts');
    const random = generator(seed);
    const { setFaultPlan } = await import('../../functions/shared/faults.ts');
    const { importBankStatement } = await import('../../functions/handlers/wiring/payments.ts');
    const { invoiceHeader } = await import('../../functions/adapters/dynamodb/invoices-store.ts');
    const { statementLines, unappliedMoneyOf } = await import(
      '../../functions/adapters/dynamodb/bank-statements-store.ts'
    );
    const { parseCamt053 } = await import('../../functions/payments/camt053.ts');

    const invoices = [];
    for (let n = 0; n < invoiceCount; n++) invoices.push(await sentInvoice(n));

    // Per invoice an entry paying it in full, in part or too much (by structured reference or in the text).
    const plan = invoices.map((invoice, n) => {
      const kind = (['full', 'part', 'over'] as const)[Math.floor(random() * 3)] as 'full' | 'part' | 'over';
      const amount =
        kind === 'full'
          ? invoice.totals.total
          : kind === 'part'
            ? Math.floor(invoice.totals.total / 3)
            : invoice.totals.total + 777;
      const entry: TestEntry = {
        amount: (amount / 100).toFixed(2),
        ...(random() < 0.5
          ? { structuredReference: invoice.paymentReference }
          : { unstructured: `betaling ${invoice.paymentReference} dank` }),
        ...(random() < 0.5 ? { accountServicerReference: `ASR-${seed}-${n}` } : {}),
        debtorName: `Debiteur ${n}`,
      };
      return { invoice, kind, amount, entry };
    });
    const unmatched: TestEntry = { amount: '3.21', unstructured: `onbekend ${seed}` };
    const split = Math.max(1, Math.floor(invoiceCount / 2));
    const documentA = camt053({
      version: 2,
      statementId: `A-${seed}`,
      entries: [...plan.map((p) => p.entry), unmatched],
    });
    // Another statement of the same account overlapping A: the second half of A's entries again, in version 001.08.
    const documentB = camt053({ version: 8, statementId: `B-${seed}`, entries: plan.slice(split).map((p) => p.entry) });

    setFaultPlan((point): FaultKind | undefined => {
      if (!point.startsWith('bank-statement:')) return undefined;
      const roll = random();
      if (roll < 0.12) return 'crash';
      if (roll < 0.17) return 'transient';
      return undefined;
    });
    const actor = { username: 'billing', userId: 'billing-sub' };
    let crashes = 0;
    const importUntilDone = async (xml: string) => {
      for (let attempt = 0; attempt < 40; attempt++) {
        try {
          return await importBankStatement(xml, actor, new Date());
        } catch (error) {
          if (!(error instanceof Error) || !/Injected/.test(error.message)) throw error;
          crashes++;
        }
      }
      throw new Error('the import never got through');
    };
    // The same document twice at once, and the overlapping one at the same time.
    await Promise.all([importUntilDone(documentA), importUntilDone(documentA), importUntilDone(documentB)]);
    setFaultPlan(undefined);
    console.log(`bank-statement fault test: ${crashes} injected faults survived`);
    expect(crashes).toBeGreaterThan(0);

    // Every entry: one payment at most, on its invoice, with the right amount; the rest kept once.
    for (const { invoice, kind, amount } of plan) {
      const header = await invoiceHeader(invoice.id);
      const payments = header?.payments ?? [];
      expect(payments, `${invoice.id} (${kind})`).toHaveLength(1);
      const applied = Math.min(amount, invoice.totals.total);
      expect(payments[0]?.amount).toBe(applied);
      expect(header?.status).toBe(kind === 'part' ? 'partially_paid' : 'paid');
      const unapplied = await unappliedMoneyOf(invoice.customerId);
      expect(unapplied.map((u) => u.amount)).toEqual(kind === 'over' ? [777] : []);
    }

    // Each entry owned by exactly one line, none left pending; the overlap reported as duplicates.
    const parsedA = parseCamt053(documentA);
    const parsedB = parseCamt053(documentB);
    const { statementIdOf } = await import('../../functions/payments/camt053.ts');
    const linesA = await statementLines(statementIdOf(parsedA));
    const linesB = await statementLines(statementIdOf(parsedB));
    expect(linesA).toHaveLength(invoiceCount + 1);
    expect(linesB).toHaveLength(invoiceCount - split);
    const all = [...linesA, ...linesB];
    expect(all.filter((line) => line.state === 'pending')).toEqual([]);
    const owners = all.filter((line) => line.state !== 'duplicate');
    expect(new Set(owners.map((line) => line.entryId)).size).toBe(owners.length);
    expect(all.filter((line) => line.state === 'duplicate')).toHaveLength(invoiceCount - split);
    expect(linesA.at(-1)?.state).toBe('unmatched');
    const again = await importBankStatement(documentA, actor, new Date());
    expect(again.created).toBe(false);
  }, 600_000);

  it('go on where a dead import stopped: a retry leaves the lines that have their outcome alone', async () => {
    const { setFaultPlan } = await import('../../functions/shared/faults.ts');
    const { importBankStatement } = await import('../../functions/handlers/wiring/payments.ts');
    const invoices = [];
    for (let n = 0; n < 3; n++) invoices.push(await sentInvoice(100 + n));
    const document = camt053({
      statementId: `RESUME-${seed}`,
      entries: invoices.map((invoice) => ({
        amount: (invoice.totals.total / 100).toFixed(2),
        structuredReference: invoice.paymentReference,
      })),
    });
    const actor = { username: 'billing', userId: 'billing-sub' };
    // The first attempt settles every line, then dies before the document is marked imported.
    const visited: string[] = [];
    let crashed = false;
    setFaultPlan((point) => {
      if (!point.startsWith('bank-statement:')) return undefined; // (the deliveries of the sent invoices run meanwhile)
      visited.push(point);
      if (point !== 'bank-statement:before-imported' || crashed) return undefined;
      crashed = true;
      return 'crash';
    });
    await expect(importBankStatement(document, actor, new Date())).rejects.toThrow(/Injected crash/);
    expect(visited.filter((point) => point.startsWith('bank-statement:claim:'))).toHaveLength(3);
    visited.length = 0;
    const retried = await importBankStatement(document, actor, new Date());
    setFaultPlan(undefined);
    expect(retried.created).toBe(true);
    expect(visited).toEqual(['bank-statement:before-imported']);
    expect(retried.view.counts.payment).toBe(3);
  }, 300_000);
});
