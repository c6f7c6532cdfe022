import { describe, expect, it } from 'vitest';
import { belgianReference, formatBelgianReference } from '../../../functions/domain/index.ts';
import { camt053, type TestEntry } from '../../support/camt053.ts';
import { call } from './support.ts';
import { postStatement, sentInvoice } from './bank-support.ts';

const euros = (minor: number) => (minor / 100).toFixed(2);
const invoice = async (id: string) => (await call('GET', `/invoices/${id}`, { as: 'viewer' })).body;

describe('payment references', () => {
  it('every issued invoice has one, frozen: RF from the number, Belgian structured communication for Belgium', async () => {
    const nl = await sentInvoice();
    expect(nl.paymentReference).toMatch(/^RF\d{2}INV\d{10}$/);
    expect(nl.paymentReference.slice(4)).toBe(nl.number.replaceAll('-', ''));
    const be = await sentInvoice(true);
    const digits = be.number.replace(/^INV-(\d{4})-(\d{6})$/, '$1$2');
    expect(be.paymentReference).toBe(formatBelgianReference(belgianReference(digits)));
  });
});

describe('bank statements (CAMT.053)', () => {
  it('pays by structured and unstructured reference, proposes by amount and debtor, keeps over-payments, reports the rest', async () => {
    const [byRef, byText, byDebtor, overpaid, other] = await Promise.all([
      sentInvoice(),
      sentInvoice(),
      sentInvoice(),
      sentInvoice(true),
      sentInvoice(),
    ]);
    const half = Math.floor(byText.totals.total / 2);
    const entries: TestEntry[] = [
      {
        amount: euros(byRef.totals.total),
        structuredReference: byRef.paymentReference,
        accountServicerReference: `A-${byRef.id}`,
      },
      { amount: euros(half), unstructured: `Betaling factuur ${byText.number}, dank u`, debtorName: 'Iemand' },
      {
        amount: euros(byDebtor.totals.total),
        debtorName: byDebtor.customerName.toUpperCase(),
        unstructured: 'november',
      },
      { amount: euros(overpaid.totals.total + 1234), structuredReference: overpaid.paymentReference },
      { amount: '17.00', unstructured: 'geen idee', debtorName: 'Onbekend' },
      { amount: '50.00', direction: 'DBIT', unstructured: 'huur' },
      { amount: euros(other.totals.total), currency: 'USD', structuredReference: other.paymentReference },
      { amount: euros(other.totals.total), status: 'PDNG', structuredReference: other.paymentReference },
      // The same entry twice in one document (the bank's reference repeated): the second is a duplicate.
      {
        amount: euros(byRef.totals.total),
        structuredReference: byRef.paymentReference,
        accountServicerReference: `A-${byRef.id}`,
      },
    ];
    const xml = camt053({ version: 2, statementId: `S-${byRef.id}`, entries });
    const imported = await postStatement(xml);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const outcomes = imported.body.entries.map((e: { outcome: string }) => e.outcome);
    expect(outcomes).toEqual([
      'payment',
      'payment',
      'proposed',
      'payment',
      'unmatched',
      'ignored',
      'ignored',
      'ignored',
      'duplicate',
    ]);
    expect(imported.body.entries.map((e: { reason: string | null }) => e.reason).slice(5, 8)).toEqual([
      'debit',
      'currency',
      'not_booked',
    ]);
    expect(imported.body.entries[0]).toMatchObject({
      invoiceId: byRef.id,
      matchedBy: 'structured',
      applied: byRef.totals.total,
      unapplied: 0,
    });
    expect(imported.body.entries[1]).toMatchObject({ invoiceId: byText.id, matchedBy: 'unstructured', applied: half });
    expect(imported.body.entries[2]).toMatchObject({ invoiceId: byDebtor.id, matchedBy: 'amount_and_debtor' });
    expect(imported.body.entries[3]).toMatchObject({
      invoiceId: overpaid.id,
      applied: overpaid.totals.total,
      unapplied: 1234,
    });
    expect(imported.body.entries[8].duplicateOf).toEqual({ statementId: imported.body.id, position: 1 });

    // The invoices: through the one payment path (status, balance, the entry id as payment id).
    expect(await invoice(byRef.id)).toMatchObject({ status: 'paid', totals: { balance: 0 } });
    const partly = await invoice(byText.id);
    expect(partly).toMatchObject({ status: 'partially_paid', totals: { paid: half } });
    expect(partly.payments[0]).toMatchObject({ id: imported.body.entries[1].entryId, method: 'bank', amount: half });
    expect(await invoice(byDebtor.id)).toMatchObject({ status: 'issued', version: byDebtor.version });
    expect(await invoice(overpaid.id)).toMatchObject({ status: 'paid' });
    expect(await invoice(other.id)).toMatchObject({ status: 'issued', version: other.version });

    // The match report reads the same.
    const report = await call('GET', `/bank-statements/${imported.body.id}`, { as: 'viewer' });
    expect(report.status).toBe(200);
    expect(report.body.entries.map((e: { outcome: string }) => e.outcome)).toEqual(outcomes);
    expect(report.body.counts).toMatchObject({ payment: 3, proposed: 1, unmatched: 1, ignored: 3, duplicate: 1 });

    // A person confirms the proposal and assigns the unmatched entry to the rest of the half-paid invoice.
    const proposal = report.body.entries[2].entryId;
    const confirmed = await call('POST', `/bank-entries/${proposal}/assignment`, {
      as: 'billing',
      body: { invoiceId: byDebtor.id },
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ outcome: 'assigned', invoiceId: byDebtor.id, matchedBy: 'person' });
    expect(await invoice(byDebtor.id)).toMatchObject({ status: 'paid' });
    const again = await call('POST', `/bank-entries/${proposal}/assignment`, {
      as: 'billing',
      body: { invoiceId: byDebtor.id },
    });
    expect(again.status).toBe(409);
    const unmatched = report.body.entries[4].entryId;
    expect(
      (await call('POST', `/bank-entries/${unmatched}/assignment`, { as: 'viewer', body: { invoiceId: byText.id } }))
        .status,
    ).toBe(403);
    const paidInvoice = await call('POST', `/bank-entries/${unmatched}/assignment`, {
      as: 'billing',
      body: { invoiceId: byRef.id },
    });
    expect(paidInvoice.status).toBe(422);
    expect(paidInvoice.body.field).toBe('invoiceId');
    const assigned = await call('POST', `/bank-entries/${unmatched}/assignment`, {
      as: 'billing',
      body: { invoiceId: byText.id },
    });
    expect(assigned.body).toMatchObject({ outcome: 'assigned', applied: 1700 });
    expect((await invoice(byText.id)).totals.paid).toBe(half + 1700);
    expect(
      (await call('POST', '/bank-entries/nope/assignment', { as: 'billing', body: { invoiceId: byText.id } })).status,
    ).toBe(404);

    // The same document again: nothing changes.
    const versions = await Promise.all(
      [byRef, byText, byDebtor, overpaid].map(async (i) => (await invoice(i.id)).version),
    );
    const repeated = await postStatement(xml);
    expect(repeated.status).toBe(200);
    expect(repeated.body).toMatchObject({ id: imported.body.id, duplicate: true });
    expect(
      await Promise.all([byRef, byText, byDebtor, overpaid].map(async (i) => (await invoice(i.id)).version)),
    ).toEqual(versions);

    // The same entry in another statement (version 001.08) is a duplicate; a new one pays.
    const next = camt053({
      version: 8,
      statementId: `S2-${byRef.id}`,
      entries: [entries[0] as TestEntry, { amount: '1.00', structuredReference: other.paymentReference }],
    });
    const second = await postStatement(next);
    expect(second.status).toBe(201);
    expect(second.body.entries.map((e: { outcome: string }) => e.outcome)).toEqual(['duplicate', 'payment']);
    expect(second.body.entries[0].duplicateOf).toEqual({ statementId: imported.body.id, position: 1 });
    expect((await invoice(byRef.id)).payments).toHaveLength(1);
    expect(await invoice(other.id)).toMatchObject({ status: 'partially_paid', totals: { paid: 100 } });

    // Listed, newest first.
    const list = await call('GET', '/bank-statements', { as: 'viewer' });
    expect(list.body.items.map((s: { id: string }) => s.id).slice(0, 2)).toEqual([second.body.id, imported.body.id]);
  });

  it('ignores entries of other accounts and refuses hostile or wrong documents, recording nothing', async () => {
    const before = (await call('GET', '/bank-statements?limit=500', { as: 'viewer' })).body.items.length;
    const target = await sentInvoice();
    const foreign = await postStatement(
      camt053({
        iban: 'DE89370400440532013000',
        statementId: `F-${target.id}`,
        entries: [{ amount: euros(target.totals.total), structuredReference: target.paymentReference }],
      }),
    );
    expect(foreign.status).toBe(201);
    expect(foreign.body.entries[0]).toMatchObject({ outcome: 'ignored', reason: 'account' });
    expect(await invoice(target.id)).toMatchObject({ status: 'issued' });

    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol2;</Document>`;
    const external = `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&xxe;</Document>`;
    for (const [xml, status] of [
      [bomb, 400],
      [external, 400],
      ['<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>', 400],
      [camt053({ entries: [] }).replace('camt.053.001.02', 'camt.052.001.02'), 422],
      [camt053({ entries: [] }).replace('camt.053.001.02', 'camt.053.001.09'), 422],
    ] as const) {
      const refused = await postStatement(xml);
      expect(refused.status, JSON.stringify(refused.body)).toBe(status);
      expect(refused.body).toMatchObject({ status, field: 'body' });
    }
    const json = await postStatement('{"a":1}', { contentType: 'application/json' });
    expect(json.status).toBe(415);
    const viewer = await postStatement(camt053({ entries: [{ amount: '1.00' }] }), { as: 'viewer' });
    expect(viewer.status).toBe(403);
    const after = (await call('GET', '/bank-statements?limit=500', { as: 'viewer' })).body.items.length;
    expect(after).toBe(before + 1);
  });
});
