import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startInvoiceRun, waitForExecution } from '../../../local/invoice-run-client.ts';
import { stateMachineArn } from '../../../local/handler-environment.ts';
import { sfn } from '../clients.ts';
import { call, monthlyProjectBody, transactionBody } from './support.ts';

/**
 * A customer's payment terms are the default of its projects (a project's own terms win), and GET /invoices?runDate=
 * lists what the invoice run of that run date made (the bulk send of a run date's drafts), not manual invoices.
 */
const customerBody = (suffix: string, paymentTermsDays?: number | null) => ({
  id: `c-${suffix}`,
  name: `Termijnklant ${suffix}`,
  postalAddress: { lines: ['Straat 1'], postalCode: '1000 AA', city: 'Amsterdam', subdivision: null, country: 'NL' },
  email: `klant-${suffix}@example.com`,
  taxId: null,
  language: 'nl',
  ...(paymentTermsDays !== undefined ? { paymentTermsDays } : {}),
});

async function manualDraft(projectId: string, txId: string, date: string) {
  expect(
    (await call('POST', '/transactions', { as: 'admin', body: transactionBody(projectId, txId, date) })).status,
  ).toBe(201);
  const preview = await call('POST', `/projects/${projectId}/invoice-preview`, {
    as: 'billing',
    body: { cutOff: date },
  });
  const draft = await call('POST', `/projects/${projectId}/invoices`, {
    as: 'billing',
    body: { token: preview.body.token },
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  return draft.body as { id: string; paymentTermsDays: number };
}

describe('customer payment terms', () => {
  it('are validated, stored, and the default of a project without its own terms; a project’s own terms win', async () => {
    const suffix = randomUUID().slice(0, 8);
    const refused = await call('POST', '/customers', { as: 'admin', body: customerBody(suffix, 400) });
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('paymentTermsDays');
    expect((await call('GET', `/customers/c-${suffix}`, { as: 'viewer' })).status).toBe(404);
    const fraction = await call('POST', '/customers', { as: 'admin', body: customerBody(suffix, 7.5) });
    expect(fraction.status).toBe(400);
    expect(fraction.body.field).toBe('paymentTermsDays');

    const created = await call('POST', '/customers', { as: 'admin', body: customerBody(suffix, 14) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await call('GET', `/customers/c-${suffix}`, { as: 'viewer' })).body.paymentTermsDays).toBe(14);

    // a project without own terms: the customer's 14 days
    const { paymentTermsDays: _terms, ...inheriting } = monthlyProjectBody(suffix);
    const project = await call('POST', '/projects', { as: 'admin', body: inheriting });
    expect(project.status, JSON.stringify(project.body)).toBe(201);
    expect(project.body.paymentTermsDays ?? null).toBeNull();
    expect((await manualDraft(project.body.id, `t-${suffix}-1`, '2026-10-01')).paymentTermsDays).toBe(14);

    // a project with its own terms keeps them
    const own = await call('POST', '/projects', {
      as: 'admin',
      body: { ...monthlyProjectBody(`${suffix}`), id: `p-${suffix}-own`, paymentTermsDays: 45 },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect((await manualDraft(`p-${suffix}-own`, `t-${suffix}-2`, '2026-10-01')).paymentTermsDays).toBe(45);

    // the customer's terms change: the next draft of the inheriting project follows, the other keeps its own
    const { id: _id, version, ...fields } = (await call('GET', `/customers/c-${suffix}`, { as: 'viewer' })).body;
    const changed = await call('PUT', `/customers/c-${suffix}`, {
      as: 'admin',
      ifMatch: version,
      body: { ...fields, paymentTermsDays: 21 },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await manualDraft(project.body.id, `t-${suffix}-3`, '2026-10-02')).paymentTermsDays).toBe(21);
    expect((await manualDraft(`p-${suffix}-own`, `t-${suffix}-4`, '2026-10-02')).paymentTermsDays).toBe(45);

    // no terms anywhere: 30 days; null clears the customer's
    const cleared = await call('PUT', `/customers/c-${suffix}`, {
      as: 'admin',
      ifMatch: changed.body.version,
      body: { ...fields, paymentTermsDays: null },
    });
    expect(cleared.status).toBe(200);
    expect((await manualDraft(project.body.id, `t-${suffix}-5`, '2026-10-03')).paymentTermsDays).toBe(30);
  });
});

describe('invoices of a run date', () => {
  it('GET /invoices?runDate= lists the drafts that run made, not manual invoices nor other run dates', async () => {
    const suffix = randomUUID().slice(0, 8);
    expect((await call('POST', '/customers', { as: 'admin', body: customerBody(suffix) })).status).toBe(201);
    expect((await call('POST', '/projects', { as: 'admin', body: monthlyProjectBody(suffix) })).status).toBe(201);
    const projectId = `p-${suffix}`;
    const manual = await manualDraft(projectId, `t-${suffix}-m`, '2026-08-10');
    expect(
      (
        await call('POST', '/transactions', {
          as: 'admin',
          body: transactionBody(projectId, `t-${suffix}-r`, '2026-09-10'),
        })
      ).status,
    ).toBe(201);
    const execution = await waitForExecution(
      sfn,
      await startInvoiceRun(sfn, stateMachineArn('invoice-run'), { runDate: '2026-10-01', projectIds: [projectId] }),
      { timeoutMillis: 120_000 },
    );
    expect(execution.status).toBe('SUCCEEDED');
    const ofRun = await call('GET', `/invoices?runDate=2026-10-01&projectId=${projectId}`, { as: 'viewer' });
    expect(ofRun.status).toBe(200);
    const ids = ofRun.body.items.map((invoice: { id: string }) => invoice.id);
    expect(ids).toHaveLength(1);
    expect(ids).not.toContain(manual.id);
    expect(ofRun.body.items[0].origin).toMatchObject({ kind: 'run', runDate: '2026-10-01' });
    // across all projects too (the index of all invoices), and nothing for another run date
    const everyProject: string[] = [];
    let cursor: string | null = null;
    do {
      const all = await call(
        'GET',
        `/invoices?runDate=2026-10-01&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { as: 'viewer' },
      );
      everyProject.push(...all.body.items.map((invoice: { id: string }) => invoice.id));
      cursor = all.body.next;
    } while (cursor);
    expect(everyProject).toContain(ids[0]);
    expect(everyProject).not.toContain(manual.id);
    const other = await call('GET', `/invoices?runDate=2026-11-01&projectId=${projectId}`, { as: 'viewer' });
    expect(other.body.items).toEqual([]);
    const bad = await call('GET', '/invoices?runDate=2026-13-01', { as: 'viewer' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('runDate');
  });
});
