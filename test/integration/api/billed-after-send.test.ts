import { describe, expect, it } from 'vitest';
import { call, manualDraft, setupProject, useLocalCloudFromTests } from './support.ts';

/**
 * Issue 15: Send does not rewrite every transaction. The stored transaction stays `reserved` by the invoice; every
 * reader derives `billed` from the reserving invoice being issued (transactions-store.ts withBillingState).
 */
describe('portal API: billed follows from the issued invoice', () => {
  it('after Send the transactions read as billed, are not offered again and cannot change, with no write on them', async () => {
    const { projectId, transactionIds } = await setupProject();
    const { invoice } = await manualDraft(projectId);
    for (const id of transactionIds) {
      const before = await call('GET', `/transactions/${id}`, { as: 'viewer' });
      expect(before.body).toMatchObject({ billingState: 'reserved', reservedBy: invoice.id });
    }
    const sent = await call('POST', `/invoices/${invoice.id}/send`, { as: 'billing', ifMatch: invoice.version });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);

    for (const id of transactionIds) {
      const after = await call('GET', `/transactions/${id}`, { as: 'viewer' });
      expect(after.body).toMatchObject({ billingState: 'billed', reservedBy: invoice.id, version: 1 });
    }
    const listed = await call('GET', `/transactions?projectId=${projectId}`, { as: 'viewer' });
    expect(listed.status).toBe(200);
    for (const id of transactionIds) {
      expect(listed.body.items.find((item: { id: string }) => item.id === id)?.billingState).toBe('billed');
    }

    // Manual invoicing no longer sees them (neither to bill nor as "on another draft").
    const preview = await call('POST', `/projects/${projectId}/invoice-preview`, {
      as: 'billing',
      body: { cutOff: '2026-10-31' },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.outcome).toBe('nothing_to_invoice');
    expect(JSON.stringify(preview.body.excluded ?? [])).not.toContain(transactionIds[0]);

    // Changing one is refused as invoiced.
    const current = (await call('GET', `/transactions/${transactionIds[0]}`, { as: 'admin' })).body;
    const change = await call('PUT', `/transactions/${transactionIds[0]}`, {
      as: 'admin',
      ifMatch: 1,
      body: { ...current, id: undefined, version: undefined, billingState: undefined, reservedBy: undefined },
    });
    expect(change.status).toBe(409);

    // The stored items were not rewritten by Send: still reserved by the invoice, as the draft left them.
    useLocalCloudFromTests();
    const { transactionById } = await import('../../../functions/adapters/dynamodb/transactions-store.ts');
    for (const id of transactionIds) {
      expect(await transactionById(id)).toMatchObject({ billingState: 'reserved', reservedBy: invoice.id });
    }
  });
});
