import { todayInZone } from '../../../functions/domain/index.ts';
import { describe, expect, it } from 'vitest';
import { call, manualDraft, setupProject, settledDelivery } from './support.ts';

// Payments are dated between the invoice's creation and today in the firm's zone.
const today = todayInZone(new Date(), 'Europe/Amsterdam');

describe('portal API: the manual flow end to end', () => {
  it('preview equals what Finish creates; edit a detail, recalculate, partial then full payment, history records who and what', async () => {
    const { projectId, transactionIds } = await setupProject();
    const { preview, invoice, etag } = await manualDraft(projectId);
    expect(preview.outcome).toBe('draft');
    expect(invoice.status).toBe('draft');
    expect(etag).toBe('"1"');
    const read = await call('GET', `/invoices/${invoice.id}`, { as: 'viewer' });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body.totals).toEqual(preview.invoice.totals);
    expect(read.body.lines).toEqual(preview.invoice.lines);
    expect(read.body.details.items).toEqual(preview.invoice.details);

    // the transactions are reserved now: no longer changeable
    const locked = await call('PUT', `/transactions/${transactionIds[0]}`, {
      as: 'admin',
      ifMatch: 1,
      body: {
        ...(await call('GET', `/transactions/${transactionIds[0]}`, { as: 'admin' })).body,
        id: undefined,
        version: undefined,
        billingState: undefined,
        reservedBy: undefined,
      },
    });
    expect(locked.status).toBe(409);

    const detailId = read.body.details.items[0].id;
    const edited = await call('PATCH', `/invoices/${invoice.id}/details/${encodeURIComponent(detailId)}`, {
      as: 'billing',
      ifMatch: 1,
      body: { quantity: '2', description: 'Werk (ingekort)' },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    expect(edited.body.invoice.totals.net).toBe(preview.invoice.totals.net - 5000);

    const recalculated = await call('POST', `/invoices/${invoice.id}/recalculate`, {
      as: 'billing',
      ifMatch: 2,
      body: {},
    });
    expect(recalculated.status, JSON.stringify(recalculated.body)).toBe(200);
    expect(recalculated.body.invoice.totals).toEqual(edited.body.invoice.totals);
    const fromDetails = await call('GET', `/invoices/${invoice.id}/details?limit=2`, { as: 'viewer' });
    expect(fromDetails.body.items).toHaveLength(2);
    const rest = await call('GET', `/invoices/${invoice.id}/details?limit=2&cursor=${fromDetails.body.next}`, {
      as: 'viewer',
    });
    expect(rest.body.items).toHaveLength(1);

    const sent = await call('POST', `/invoices/${invoice.id}/send`, {
      as: 'billing',
      ifMatch: recalculated.body.invoice.version,
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.delivery.status).toBe('queued');
    expect((await settledDelivery(invoice.id))?.status).toBe('sent');
    const issued = sent.body.invoice;
    expect(issued.number).toMatch(/^INV-\d{4}-\d{6}$/);
    const total = issued.totals.total;

    const partial = await call('POST', `/invoices/${invoice.id}/payments`, {
      as: 'billing',
      ifMatch: issued.version,
      body: {
        paymentId: 'pay-1',
        amount: 10000,
        currency: 'EUR',
        date: today,
        method: 'bank',
        reference: 'ref 1',
      },
    });
    expect(partial.status, JSON.stringify(partial.body)).toBe(200);
    expect(partial.body.invoice.status).toBe('partially_paid');
    const over = await call('POST', `/invoices/${invoice.id}/payments`, {
      as: 'billing',
      ifMatch: partial.body.invoice.version,
      body: { paymentId: 'pay-2', amount: total, currency: 'EUR', date: today, method: 'bank' },
    });
    expect(over.status).toBe(422);
    expect(over.body.field).toBe('amount');
    const full = await call('POST', `/invoices/${invoice.id}/payments`, {
      as: 'billing',
      ifMatch: partial.body.invoice.version,
      body: { paymentId: 'pay-2', amount: total - 10000, currency: 'EUR', date: today, method: 'bank' },
    });
    expect(full.status, JSON.stringify(full.body)).toBe(200);
    expect(full.body.invoice.status).toBe('paid');
    expect(full.body.invoice.totals.balance).toBe(0);
    const reversed = await call('POST', `/invoices/${invoice.id}/payments/pay-2/reversal`, {
      as: 'billing',
      ifMatch: full.body.invoice.version,
      body: { reversalId: 'rev-1', date: today, reason: 'bounced' },
    });
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);
    expect(reversed.body.invoice.status).toBe('partially_paid');

    const history = await call('GET', `/invoices/${invoice.id}/history`, { as: 'viewer' });
    expect(history.body.items.map((entry: { action: string }) => entry.action)).toEqual([
      'createManual',
      'editDetail',
      'send',
      'recordPayment',
      'recordPayment',
      'reversePayment',
    ]);
    const edit = history.body.items[1];
    expect(edit.actor).toBe('billing');
    expect(edit.before.detail.quantity).toBe('2.5');
    expect(edit.after.detail.quantity).toBe('2');
  });

  it('removing a detail makes its transaction invoiceable again; discarding releases the rest', async () => {
    const { projectId, transactionIds } = await setupProject();
    const { invoice } = await manualDraft(projectId);
    const removed = await call(
      'DELETE',
      `/invoices/${invoice.id}/details/${encodeURIComponent(`t:${transactionIds[1]}`)}`,
      { as: 'billing', ifMatch: 1 },
    );
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.invoice.detailCount).toBe(2);
    const transaction = await call('GET', `/transactions/${transactionIds[1]}`, { as: 'viewer' });
    expect(transaction.body.billingState).toBe('unbilled');
    const discarded = await call('DELETE', `/invoices/${invoice.id}`, { as: 'billing', ifMatch: 2 });
    expect(discarded.status, JSON.stringify(discarded.body)).toBe(204);
    for (const id of transactionIds)
      expect((await call('GET', `/transactions/${id}`, { as: 'viewer' })).body.billingState).toBe('unbilled');
    const again = await manualDraft(projectId);
    expect(again.invoice.detailCount).toBe(3);
  });
});
