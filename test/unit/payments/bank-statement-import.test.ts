import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalReference } from '../../../functions/domain/index.ts';
import type { InvoiceHeader } from '../../../functions/invoices/ports.ts';
import { assignBankEntry } from '../../../functions/payments/assign-entry.ts';
import { importBankStatement } from '../../../functions/payments/bank-statements.ts';
import { StatementRefused } from '../../../functions/payments/camt053.ts';
import { statementView } from '../../../functions/payments/statement-view.ts';
import { Conflict, NotFound } from '../../../functions/shared/errors.ts';
import { setFaultPlan } from '../../../functions/shared/faults.ts';
import { camt053, type TestEntry } from '../../support/camt053.ts';
import { MemoryInvoices } from '../invoices/memory-ports.ts';
import { issuedInvoice, rf } from './issued-invoice.ts';
import { memoryPaymentPorts } from './memory-statements.ts';

/** The bank-statement import and assignment on in-memory ports: every outcome of a line, retries, duplicates. */
const alice = { username: 'alice', userId: 'sub-alice' };
const now = new Date('2027-02-01T09:00:00.000Z');

let invoices: MemoryInvoices;
let memory: ReturnType<typeof memoryPaymentPorts>;

/** An issued invoice of customer C1 (or `customerId`), its payment reference known to the lookups. */
function issued(id: string, n: number, customerId = 'C1'): InvoiceHeader {
  const { header, details } = issuedInvoice(id, n, customerId);
  invoices.put(header, details);
  memory.lookups.references.set(canonicalReference(rf(n)) as string, { invoiceId: id, customerId });
  memory.statements.numbers.set(id, header.number);
  return header;
}

const euros = (minor: number) => (minor / 100).toFixed(2);
const entry = (extra: TestEntry): TestEntry => ({ bookingDate: '2027-02-01', ...extra });

beforeEach(() => {
  invoices = new MemoryInvoices();
  memory = memoryPaymentPorts(invoices);
  process.env.FACTUUR_FAULT_INJECTION = 'on';
});
afterEach(() => {
  setFaultPlan(undefined);
  delete process.env.FACTUUR_FAULT_INJECTION;
});

describe('a bank statement import', () => {
  it('makes each entry a payment, a proposal, unapplied money, unmatched or ignored, and reports it', async () => {
    const i1 = issued('I1', 1);
    const i2 = issued('I2', 2);
    const i3 = issued('I3', 3, 'C2');
    memory.lookups.names.set('acme bv', ['C2']);
    const xml = camt053({
      entries: [
        entry({ amount: euros(i1.totals.total), structuredReference: rf(1), accountServicerReference: 'A1' }),
        entry({
          amount: euros(i2.totals.total + 1_00),
          unstructured: `invoice ${rf(2)}`,
          debtorIban: 'NL02RABO0123456789',
        }),
        entry({ amount: euros(i3.totals.total), debtorName: 'Acme  BV', accountServicerReference: 'A3' }),
        entry({ amount: '12.34', debtorName: 'Nobody', accountServicerReference: 'A4' }),
        entry({ amount: '5.00', direction: 'DBIT', accountServicerReference: 'A5' }),
        entry({ amount: euros(i1.totals.total), structuredReference: rf(1), accountServicerReference: 'A1' }),
        entry({ amount: '7.00', currency: 'USD', accountServicerReference: 'A7' }),
      ],
    });
    const { created, view } = await importBankStatement(memory.ports, xml, alice, now);
    expect(created).toBe(true);
    expect(view.status).toBe('imported');
    expect(view.entries.map((e) => e.outcome)).toEqual([
      'payment',
      'payment',
      'proposed',
      'unmatched',
      'ignored',
      'duplicate',
      'ignored',
    ]);
    expect(view.entries[0]).toMatchObject({
      invoiceId: 'I1',
      invoiceNumber: 'INV-2027-000001',
      matchedBy: 'structured',
    });
    expect(view.entries[1]).toMatchObject({ matchedBy: 'unstructured', applied: i2.totals.total, unapplied: 1_00 });
    expect(view.entries[2]).toMatchObject({ invoiceId: 'I3', customerId: 'C2', matchedBy: 'amount_and_debtor' });
    expect(view.entries[4]).toMatchObject({ reason: 'debit' });
    expect(view.entries[5]).toMatchObject({ duplicateOf: { statementId: view.id, position: 1 } });
    expect(view.entries[6]).toMatchObject({ reason: 'currency' });
    expect(view.counts).toMatchObject({ payment: 2, proposed: 1, unmatched: 1, ignored: 2, duplicate: 1, pending: 0 });
    expect(invoices.headers.get('I1')?.status).toBe('paid');
    expect(invoices.headers.get('I2')?.payments).toEqual([expect.objectContaining({ amount: i2.totals.total })]);
    expect(invoices.headers.get('I3')?.status).toBe('issued');
    expect([...memory.statements.unapplied.values()]).toEqual([
      expect.objectContaining({ customerId: 'C1', invoiceId: 'I2', amount: 1_00 }),
    ]);
    expect(memory.statements.debtorAccounts.get('NL02RABO0123456789')).toBe('C1');

    // The same document again changes nothing and says so.
    const writes = memory.statements.writes.length;
    const again = await importBankStatement(memory.ports, xml, alice, now);
    expect(again).toMatchObject({ created: false, view: { duplicate: true, counts: view.counts } });
    expect(memory.statements.writes.length).toBe(writes);
  });

  it('keeps money for a settled invoice on its customer, and ignores entries on other accounts', async () => {
    const i1 = issued('I1', 1);
    const pay = entry({ amount: euros(i1.totals.total), structuredReference: rf(1) });
    await importBankStatement(memory.ports, camt053({ statementId: 'S1', entries: [pay] }), alice, now);
    const late = camt053({ statementId: 'S2', entries: [{ ...pay, accountServicerReference: 'LATE' }] });
    const { view } = await importBankStatement(memory.ports, late, alice, now);
    expect(view.entries[0]).toMatchObject({ outcome: 'unapplied', customerId: 'C1', invoiceId: 'I1', applied: 0 });
    const other = camt053({ statementId: 'S3', iban: 'DE89370400440532013000', entries: [pay] });
    expect((await importBankStatement(memory.ports, other, alice, now)).view.entries[0]).toMatchObject({
      outcome: 'ignored',
      reason: 'account',
    });
  });

  it('is refused whole for a document that is not CAMT.053, writing nothing', async () => {
    await expect(importBankStatement(memory.ports, '<Document/>', alice, now)).rejects.toBeInstanceOf(StatementRefused);
    expect(memory.statements.writes).toEqual([]);
  });

  it('a retry after a crash finishes the pending lines and leaves the settled ones alone', async () => {
    const i1 = issued('I1', 1);
    const i2 = issued('I2', 2);
    const xml = camt053({
      entries: [
        entry({ amount: euros(i1.totals.total), structuredReference: rf(1) }),
        entry({ amount: euros(i2.totals.total), structuredReference: rf(2) }),
        entry({ amount: '3.00', debtorName: 'Nobody' }),
      ],
    });
    // The Lambda dies after line 2 was claimed and matched, before its payment.
    setFaultPlan((point) => (point === 'bank-statement:matched:2' ? 'crash' : undefined));
    await expect(importBankStatement(memory.ports, xml, alice, now)).rejects.toThrow(/Injected crash/);
    const [statementId] = [...memory.statements.records.keys()];
    expect((await statementView(memory.ports, statementId as string)).counts).toMatchObject({
      payment: 1,
      pending: 1,
      unmatched: 1,
    });
    expect(invoices.headers.get('I2')?.status).toBe('issued');
    setFaultPlan(undefined);
    const before = memory.statements.writes.length;
    const { created, view } = await importBankStatement(memory.ports, xml, alice, now);
    expect(created).toBe(true);
    expect(view.entries.map((e) => e.outcome)).toEqual(['payment', 'payment', 'unmatched']);
    // Only line 2 was written again: the claim and the record were there, lines 1 and 3 had their outcome.
    expect(memory.statements.writes.slice(before)).toEqual(['payment 2']);
    expect(invoices.headers.get('I1')?.payments).toHaveLength(1);
    expect(invoices.headers.get('I2')?.payments).toHaveLength(1);
  });

  it('an entry pending in a dead import is finished by the next document that brings it', async () => {
    const i1 = issued('I1', 1);
    const pay = entry({ amount: euros(i1.totals.total), structuredReference: rf(1), accountServicerReference: 'X' });
    setFaultPlan((point) => (point === 'bank-statement:claimed:1' ? 'crash' : undefined));
    await expect(
      importBankStatement(memory.ports, camt053({ statementId: 'A', entries: [pay] }), alice, now),
    ).rejects.toThrow();
    setFaultPlan(undefined);
    const { view } = await importBankStatement(memory.ports, camt053({ statementId: 'B', entries: [pay] }), alice, now);
    expect(view.entries[0]).toMatchObject({ outcome: 'duplicate' });
    expect(invoices.headers.get('I1')?.status).toBe('paid');
    const [first] = [...memory.statements.lineItems.values()];
    expect(first).toMatchObject({ statementId: view.entries[0]?.duplicateOf?.statementId, state: 'payment' });
  });
});

describe('assigning a bank entry', () => {
  async function unmatched(amount: string, ref = 'U1') {
    const xml = camt053({
      statementId: ref,
      entries: [entry({ amount, debtorName: 'Nobody', accountServicerReference: ref })],
    });
    return (await importBankStatement(memory.ports, xml, alice, now)).view.entries[0]?.entryId as string;
  }

  it('to an open invoice records the payment once; a second decision is refused', async () => {
    const i1 = issued('I1', 1);
    const entryId = await unmatched(euros(i1.totals.total));
    const outcome = await assignBankEntry(memory.ports, entryId, { invoiceId: 'I1' }, alice, now);
    expect(outcome).toMatchObject({
      outcome: 'assigned',
      invoiceId: 'I1',
      matchedBy: 'person',
      applied: i1.totals.total,
    });
    expect(invoices.headers.get('I1')?.status).toBe('paid');
    await expect(assignBankEntry(memory.ports, entryId, { invoiceId: 'I1' }, alice, now)).rejects.toBeInstanceOf(
      Conflict,
    );
  });

  it('to a customer keeps the money; wrong targets name their field and change nothing', async () => {
    issued('I1', 1);
    const entryId = await unmatched('9.00');
    await expect(assignBankEntry(memory.ports, 'nope', { customerId: 'C1' }, alice, now)).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(assignBankEntry(memory.ports, entryId, { invoiceId: 'I9' }, alice, now)).rejects.toMatchObject({
      field: 'invoiceId',
    });
    await expect(assignBankEntry(memory.ports, entryId, { customerId: 'C9' }, alice, now)).rejects.toMatchObject({
      field: 'customerId',
    });
    await expect(assignBankEntry(memory.ports, entryId, {}, alice, now)).rejects.toMatchObject({ field: 'invoiceId' });
    invoices.headers.set('I1', { ...(invoices.headers.get('I1') as InvoiceHeader), status: 'paid' });
    await expect(assignBankEntry(memory.ports, entryId, { invoiceId: 'I1' }, alice, now)).rejects.toMatchObject({
      field: 'invoiceId',
    });
    expect(memory.statements.unapplied.size).toBe(0);
    const outcome = await assignBankEntry(memory.ports, entryId, { customerId: 'C1' }, alice, now);
    expect(outcome).toMatchObject({ outcome: 'assigned', customerId: 'C1', applied: 0, unapplied: 9_00 });
    expect([...memory.statements.unapplied.values()]).toEqual([
      expect.objectContaining({ customerId: 'C1', amount: 9_00 }),
    ]);
    await expect(statementView(memory.ports, 'missing')).rejects.toBeInstanceOf(NotFound);
  });
});
