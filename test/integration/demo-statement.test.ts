import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud.ts';

/**
 * The demo of `npm start`: the sample bank statement in the repo (local/demo/camt053-sample.xml) pays the demo
 * invoice by its payment reference. Its own cloud: the demo invoice is the first of the 2026 number series.
 */
let cloud: LocalCloud;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'factuur-demo-statement-'));
  const { startLocalCloud } = await import('../../local/cloud.ts');
  cloud = await startLocalCloud({ dataDir, inMemory: true, ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0 } });
  const { putFirmProfile } = await import('../../functions/adapters/dynamodb/firm-store.ts');
  const { firmProfile } = await import('../../local/demo-data.ts');
  await putFirmProfile(firmProfile);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo bank statement', () => {
  it('pays the demo invoice by its reference when uploaded', async () => {
    const { seedStatementDemo, statementDemo } = await import('../../local/demo-statement.ts');
    const { invoiceHeader } = await import('../../functions/adapters/dynamodb/invoices-store.ts');
    const invoiceId = await seedStatementDemo();
    expect(await seedStatementDemo()).toBe(invoiceId); // a second seed changes nothing
    const issued = await invoiceHeader(invoiceId);
    expect(issued).toMatchObject({
      number: statementDemo.number,
      paymentReference: statementDemo.reference,
      status: 'issued',
      issueDate: statementDemo.issueDate,
      totals: { total: statementDemo.total },
    });

    const xml = readFileSync(path.resolve(import.meta.dirname, '../../local/demo/camt053-sample.xml'), 'utf8');
    const response = await fetch(`${cloud.urls.api}/bank-statements`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await cloud.oidc.issueToken('billing')}`,
        'content-type': 'application/xml',
        'idempotency-key': 'demo-statement-upload',
      },
      body: xml,
    });
    const body = (await response.json()) as { entries: { outcome: string; invoiceId: string | null }[] };
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body.entries.map((entry) => entry.outcome)).toEqual(['payment', 'unmatched', 'ignored']);
    expect(body.entries[0]?.invoiceId).toBe(invoiceId);
    expect(await invoiceHeader(invoiceId)).toMatchObject({ status: 'paid', totals: { balance: 0 } });
  });
});
