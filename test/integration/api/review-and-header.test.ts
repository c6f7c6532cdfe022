import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, high, manualDraft, setupProject, transactionBody } from './support.ts';

/**
 * The draft's header edit (PATCH /invoices/{id}), manual details, the excluded work, details in (date, id) order and
 * the review steps (submit, approve by another billing user, return with a comment). The firm setting itself
 * (reviewBeforeSend) is switched on only in the portal test's own cloud: this cloud is shared by every test file.
 */
describe('portal API: the draft page', () => {
  it('edits the header of a draft: PO number, notes, payment terms; refuses bad input naming the field and stale versions', async () => {
    const { projectId } = await setupProject();
    const { invoice } = await manualDraft(projectId);
    const path = `/invoices/${invoice.id}`;
    const edited = await call('PATCH', path, {
      as: 'billing',
      ifMatch: 1,
      body: {
        buyerReference: 'BR-77',
        poNumber: ' PO-2026-118 ',
        notes: 'Betaling graag binnen de termijn',
        paymentTermsDays: 14,
      },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    expect(edited.body.invoice).toMatchObject({
      buyerReference: 'BR-77',
      poNumber: 'PO-2026-118',
      paymentTermsDays: 14,
      version: 2,
    });
    const read = await call('GET', path, { as: 'viewer' });
    expect(read.body).toMatchObject({ poNumber: 'PO-2026-118', notes: 'Betaling graag binnen de termijn' });

    for (const [body, field] of [
      [{ paymentTermsDays: 400 }, 'paymentTermsDays'],
      [{ poNumber: 'x'.repeat(101) }, 'poNumber'],
      [{ buyer: 'x' }, 'buyer'],
      [{}, ''],
    ] as const) {
      const refused = await call('PATCH', path, { as: 'billing', ifMatch: 2, body });
      expect(refused.status, JSON.stringify(refused.body)).toBe(400);
      if (field) expect(refused.body.field).toBe(field);
    }
    expect((await call('PATCH', path, { as: 'billing', body: { notes: 'x' } })).status).toBe(428);
    expect((await call('PATCH', path, { as: 'billing', ifMatch: 1, body: { notes: 'x' } })).status).toBe(412);
    expect((await call('PATCH', path, { as: 'viewer', ifMatch: 2, body: { notes: 'x' } })).status).toBe(403);
    // clearing: an empty PO number is none
    const cleared = await call('PATCH', path, { as: 'billing', ifMatch: 2, body: { poNumber: '' } });
    expect(cleared.body.invoice.poNumber).toBeNull();
    const history = await call('GET', `${path}/history`, { as: 'viewer' });
    expect(history.body.items.at(-2)).toMatchObject({
      action: 'editHeader',
      actor: 'billing',
      before: { poNumber: null, paymentTermsDays: 30 },
      after: { poNumber: 'PO-2026-118', paymentTermsDays: 14 },
    });
    expect((await call('GET', path, { as: 'viewer' })).body.version).toBe(3);
  });

  it('lists details in (date, id) order across pages; a manual detail joins in its place', async () => {
    const { projectId } = await setupProject(undefined, 0);
    for (const [index, date] of ['2026-10-28', '2026-10-25', '2026-10-27', '2026-10-29'].entries()) {
      const created = await call('POST', '/transactions', {
        as: 'admin',
        body: transactionBody(projectId, `t-${projectId}-${9 - index}`, date),
      });
      expect(created.status).toBe(201);
    }
    const { invoice } = await manualDraft(projectId);
    const first = await call('GET', `/invoices/${invoice.id}/details?limit=3`, { as: 'viewer' });
    const rest = await call('GET', `/invoices/${invoice.id}/details?limit=3&cursor=${first.body.next}`, {
      as: 'viewer',
    });
    expect([...first.body.items, ...rest.body.items].map((d: { date: string }) => d.date)).toEqual([
      '2026-10-25',
      '2026-10-27',
      '2026-10-28',
      '2026-10-29',
    ]);
    expect(rest.body.next).toBeNull();

    const manual = {
      type: 'fee',
      contractLineId: 'cl-1',
      date: '2026-10-26',
      description: 'Reiskosten forfaitair',
      quantity: '1',
      unit: 'stuk',
      unitPrice: '45.00',
      tax: high,
    };
    const added = await call('POST', `/invoices/${invoice.id}/details`, { as: 'billing', ifMatch: 1, body: manual });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.invoice.totals.net).toBe(invoice.totals.net + 4500);
    const all = await call('GET', `/invoices/${invoice.id}/details`, { as: 'viewer' });
    expect(all.body.items.map((d: { date: string }) => d.date)).toEqual([
      '2026-10-25',
      '2026-10-26',
      '2026-10-27',
      '2026-10-28',
      '2026-10-29',
    ]);
    expect(all.body.items[1]).toMatchObject({ description: 'Reiskosten forfaitair', source: { kind: 'manual' } });
    const bad = await call('POST', `/invoices/${invoice.id}/details`, {
      as: 'billing',
      ifMatch: 2,
      body: { ...manual, quantity: '1,5' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('quantity');
  });

  it('shows the work a draft leaves out: on hold and not approved (read now), with the transaction to open', async () => {
    const { projectId } = await setupProject(undefined, 1);
    const held = `t-${randomUUID().slice(0, 8)}`;
    const unapproved = `t-${randomUUID().slice(0, 8)}`;
    await call('POST', '/transactions', {
      as: 'admin',
      body: transactionBody(projectId, held, '2026-10-05', { onHold: true, description: 'Op hold' }),
    });
    await call('POST', '/transactions', {
      as: 'admin',
      body: transactionBody(projectId, unapproved, '2026-10-06', { approved: false }),
    });
    const { invoice } = await manualDraft(projectId);
    const excluded = await call('GET', `/invoices/${invoice.id}/excluded`, { as: 'viewer' });
    expect(excluded.status).toBe(200);
    expect(excluded.body.items).toEqual([
      expect.objectContaining({ kind: 'transaction', id: held, reason: 'on_hold', description: 'Op hold' }),
      expect.objectContaining({ kind: 'transaction', id: unapproved, reason: 'not_approved', date: '2026-10-06' }),
    ]);
  });

  it('review: submit, the submitter cannot approve, another billing user approves (who and when), return needs a comment', async () => {
    const { projectId } = await setupProject();
    const { invoice } = await manualDraft(projectId);
    const path = `/invoices/${invoice.id}`;
    const submitted = await call('POST', `${path}/submit`, { as: 'billing', ifMatch: 1 });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.invoice).toMatchObject({ status: 'in_review', review: { submittedBy: 'billing' } });
    const own = await call('POST', `${path}/approve`, { as: 'billing', ifMatch: 2 });
    expect(own.status).toBe(409);
    expect(own.body.detail).toMatch(/another billing user must approve/);
    expect((await call('POST', `${path}/approve`, { as: 'viewer', ifMatch: 2 })).status).toBe(403);
    const approved = await call('POST', `${path}/approve`, { as: 'reviewer', ifMatch: 2 });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.invoice.review).toMatchObject({ approvedBy: 'reviewer', approvedAt: expect.any(String) });

    const noComment = await call('POST', `${path}/return`, { as: 'reviewer', ifMatch: 3, body: {} });
    expect(noComment.status).toBe(400);
    expect(noComment.body.field).toBe('comment');
    const returned = await call('POST', `${path}/return`, {
      as: 'reviewer',
      ifMatch: 3,
      body: { comment: 'Uren van week 44 ontbreken' },
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    expect(returned.body.invoice).toMatchObject({
      status: 'draft',
      review: { approvedBy: null, returnedBy: 'reviewer', comment: 'Uren van week 44 ontbreken' },
    });
    const history = await call('GET', `${path}/history`, { as: 'viewer' });
    expect(history.body.items.map((entry: { action: string }) => entry.action).slice(-3)).toEqual([
      'submitForReview',
      'approveReview',
      'returnToDraft',
    ]);
  });

  it('firm settings: everyone reads them, only admin changes them', async () => {
    const read = await call('GET', '/settings', { as: 'viewer' });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ reviewBeforeSend: false, timeZone: 'Europe/Amsterdam' });
    expect((await call('PATCH', '/settings', { as: 'billing', body: { reviewBeforeSend: false } })).status).toBe(403);
    const bad = await call('PATCH', '/settings', { as: 'admin', body: { reviewBeforeSend: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('reviewBeforeSend');
    // the same value (this cloud is shared: switching it on would change other tests' Send)
    const same = await call('PATCH', '/settings', { as: 'admin', body: { reviewBeforeSend: false } });
    expect(same.status).toBe(200);
    expect(same.body).toEqual({ reviewBeforeSend: false, timeZone: 'Europe/Amsterdam' });
  });
});

describe('portal API: CSV import of work', () => {
  it('one bad row: 422 with every problem and nothing written; fixed: all written; again: nothing added', async () => {
    const { projectId } = await setupProject(undefined, 0);
    const header =
      'externalId;date;type;contractLineId;description;quantity;unit;unitPrice;vatCode;vatCategory;vatRate';
    const good = [
      'w-1;3-10-2026;time;cl-1;Ontwerp;2,5;uur;95,00;NL-HIGH;S;21',
      'w-2;4-10-2026;expense;cl-1;Reis;1;rit;12,40;NL-HIGH;S;21',
    ];
    const bad = `${header}\n${good[0]}\nw-2;4-10-2026;expense;cl-1;Reis;1.5;rit;12,40;NL-HIGH;S;21\n`;
    const path = `/projects/${projectId}/transactions/import`;
    const refused = await call('POST', path, { as: 'admin', body: { locale: 'nl', csv: bad } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body).toMatchObject({ field: 'csv', problems: [{ row: 3, field: 'quantity' }] });
    expect((await call('GET', `/transactions?projectId=${projectId}`, { as: 'viewer' })).body.items).toEqual([]);

    const fixed = `${header}\n${good.join('\n')}\n`;
    const written = await call('POST', path, { as: 'admin', body: { locale: 'nl', csv: fixed } });
    expect(written.status, JSON.stringify(written.body)).toBe(200);
    expect(written.body).toEqual({ rows: 2, created: 2, unchanged: 0 });
    const again = await call('POST', path, { as: 'admin', body: { locale: 'nl', csv: fixed } });
    expect(again.body).toEqual({ rows: 2, created: 0, unchanged: 2 });
    const listed = await call('GET', `/transactions?projectId=${projectId}`, { as: 'viewer' });
    expect(listed.body.items.map((t: { quantity: string; unitPrice: string }) => [t.quantity, t.unitPrice])).toEqual([
      ['2.5', '95.00'],
      ['1', '12.40'],
    ]);
    expect((await call('POST', path, { as: 'billing', body: { locale: 'nl', csv: fixed } })).status).toBe(403);
    const wrongLocale = await call('POST', path, { as: 'admin', body: { locale: 'de', csv: fixed } });
    expect(wrongLocale.status).toBe(400);
    expect(wrongLocale.body.field).toBe('locale');
  });
});
