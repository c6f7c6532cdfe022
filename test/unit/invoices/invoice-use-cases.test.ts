import { beforeEach, describe, expect, it } from 'vitest';
import {
  buildInvoice,
  type Invoice,
  type InvoiceDetail,
  send,
  summarizeDetails,
  totalsFromSummary,
} from '../../../functions/domain/index.ts';
import { type InvoiceHeader, storedHeader } from '../../../functions/invoices/ports.ts';
import {
  addInvoiceDetail,
  editInvoiceDetail,
  removeInvoiceDetail,
} from '../../../functions/invoices/use-cases/edit-details.ts';
import { editInvoiceHeader, reviewInvoice } from '../../../functions/invoices/use-cases/edit-header.ts';
import { discardInvoice } from '../../../functions/invoices/use-cases/discard.ts';
import {
  recordBankPayment,
  recordInvoicePayment,
  reverseInvoicePayment,
} from '../../../functions/invoices/use-cases/payments.ts';
import { recalculateInvoice } from '../../../functions/invoices/use-cases/recalculate.ts';
import { Conflict, NotFound, StaleVersion } from '../../../functions/shared/errors.ts';
import { ctx, milestone, project, tx, VAT9 } from '../domain/fixtures.ts';
import { MemoryInvoices } from './memory-ports.ts';

/** The invoice use cases on the in-memory ports: fast, no Java, the same conditions as the DynamoDB adapter. */
const alice = { username: 'alice', userId: 'sub-alice' };
const bob = { username: 'bob', userId: 'sub-bob' };
const now = new Date('2027-02-01T09:00:00.000Z');

function draft(id = 'I1'): Invoice {
  const result = buildInvoice({
    invoiceId: id,
    origin: { kind: 'run' },
    project: project(),
    transactions: [
      tx('t1'),
      tx('t2', { date: '2027-01-11', quantity: '3' }),
      tx('t3', { date: '2027-01-12', quantity: '1.5' }),
    ],
    milestones: [milestone('m1')],
    runDate: '2027-02-01',
    cutOff: '2027-01-31',
  });
  if (result.outcome !== 'draft') throw new Error('expected draft');
  return result.invoice;
}

function stored(invoice: Invoice, status: InvoiceHeader['status'] = invoice.status): InvoiceHeader {
  return storedHeader(invoice, status, '2027-01-31T23:30:00.000Z', 'C1');
}

let memory: MemoryInvoices;
let ports: ReturnType<MemoryInvoices['ports']>;
beforeEach(() => {
  memory = new MemoryInvoices();
  ports = memory.ports();
});

function seed(invoice = draft()): Invoice {
  memory.put(stored(invoice), invoice.details);
  return invoice;
}

const detailsOf = (id = 'I1'): InvoiceDetail[] => [...(memory.details.get(id)?.values() ?? [])];
/** What the stored totals must be: recomputed from every stored detail. */
const recomputed = (header: InvoiceHeader, id = 'I1') =>
  totalsFromSummary(summarizeDetails(detailsOf(id)), header.payments, header.credits);

describe('detail edits read one detail and write exactly the effects', () => {
  it('editInvoiceDetail: totals from the sums equal a full recompute; the audit records the true totals', async () => {
    const before = seed();
    const outcome = await editInvoiceDetail(ports, 'I1', 't:t2', 1, { quantity: '1.25', unitPrice: '80' }, alice, now);
    expect(memory.reads).toEqual({ detail: 1, details: 0 });
    const header = memory.headers.get('I1') as InvoiceHeader;
    expect(outcome.invoice).toEqual(header);
    expect(header).toMatchObject({ version: 2, detailCount: 4 });
    expect(header.totals).toEqual(recomputed(header));
    expect(header.totals.total).not.toBe(before.totals.total);
    expect(memory.audit).toEqual([
      expect.objectContaining({
        action: 'editDetail',
        actorId: 'sub-alice',
        before: expect.objectContaining({ total: before.totals.total }),
        after: expect.objectContaining({ total: header.totals.total }),
      }),
    ]);
    const change = memory.applied[0];
    expect(change?.effects.putDetails.map((d) => d.id)).toEqual(['t:t2']);
    expect(change?.effects.deletedDetails).toEqual([]);
    expect(memory.details.get('I1')?.get('t:t2')).toMatchObject({ quantity: '1.25', originalQuantity: '3' });
  });

  it('refuses a stale version or a missing invoice or detail, and writes nothing', async () => {
    seed();
    await expect(editInvoiceDetail(ports, 'I1', 't:t2', 7, { quantity: '1' }, alice, now)).rejects.toBeInstanceOf(
      StaleVersion,
    );
    await expect(editInvoiceDetail(ports, 'I9', 't:t2', 1, { quantity: '1' }, alice, now)).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(editInvoiceDetail(ports, 'I1', 't:nope', 1, { quantity: '1' }, alice, now)).rejects.toThrowError(
      'detail t:nope of invoice I1 does not exist',
    );
    expect(memory.applied).toEqual([]);
  });

  it('removeInvoiceDetail releases the transaction or milestone with the detail, in one change', async () => {
    seed();
    const outcome = await removeInvoiceDetail(ports, 'I1', 't:t1', 1, alice, now);
    expect(memory.transactions.get('t1')).toMatchObject({ billingState: 'unbilled', reservedBy: null });
    expect(memory.details.get('I1')?.has('t:t1')).toBe(false);
    expect(outcome.invoice.totals).toEqual(recomputed(outcome.invoice));
    expect(outcome.invoice.detailCount).toBe(3);
    await removeInvoiceDetail(ports, 'I1', 'm:m1', 2, alice, now);
    expect(memory.milestones.get('m1')).toEqual({ invoicedBy: null });
    expect(memory.audit.map((a) => a.action)).toEqual(['removeDetail', 'removeDetail']);
  });

  it('a transaction changed meanwhile makes the whole change fail (ItemConflict, a 409), nothing written', async () => {
    seed();
    memory.transactions.set('t1', { billingState: 'unbilled', reservedBy: null, billingType: 'chargeable' });
    await expect(removeInvoiceDetail(ports, 'I1', 't:t1', 1, alice, now)).rejects.toBeInstanceOf(Conflict);
    expect(memory.headers.get('I1')?.version).toBe(1);
    expect(memory.details.get('I1')?.has('t:t1')).toBe(true);
  });

  it('billingType non_chargeable: the detail leaves, its transaction goes back non-chargeable', async () => {
    seed();
    await editInvoiceDetail(ports, 'I1', 't:t3', 1, { billingType: 'non_chargeable' }, alice, now);
    expect(memory.transactions.get('t3')).toEqual({
      billingState: 'unbilled',
      reservedBy: null,
      billingType: 'non_chargeable',
    });
    expect(memory.audit[0]?.action).toBe('makeNonChargeable');
    await expect(
      editInvoiceDetail(ports, 'I1', 'm:m1', 2, { billingType: 'non_chargeable' }, alice, now),
    ).rejects.toMatchObject({ name: 'InvalidTransition' });
  });

  it('addInvoiceDetail adds a manual detail without reading the others; a second add of the same id is refused', async () => {
    seed();
    const command = {
      transactionId: 'n1',
      type: 'fee' as const,
      contractLineId: 'CL1',
      date: '2027-01-05',
      description: 'travel',
      quantity: '1',
      unit: 'trip',
      unitPrice: '45.50',
      tax: VAT9,
    };
    const outcome = await addInvoiceDetail(ports, 'I1', 1, command, alice, now);
    expect(memory.reads).toEqual({ detail: 1, details: 0 });
    expect(outcome.invoice.totals).toEqual(recomputed(outcome.invoice));
    expect(memory.details.get('I1')?.get('x:n1')).toMatchObject({ net: 45_50 });
    await expect(addInvoiceDetail(ports, 'I1', 2, command, alice, now)).rejects.toMatchObject({
      field: 'transactionId',
    });
  });
});

describe('header commands, recalculate, payments, discard', () => {
  it('editInvoiceHeader and review: header only, problems from the sums', async () => {
    seed();
    const edited = await editInvoiceHeader(ports, 'I1', 1, { poNumber: ' PO-7 ', notes: '  ' }, alice, now);
    expect(edited.invoice).toMatchObject({ poNumber: 'PO-7', notes: null, version: 2 });
    expect(edited.problems).toEqual([]);
    expect(memory.reads).toEqual({ detail: 0, details: 0 });
    const submitted = await reviewInvoice(ports, 'I1', 2, 'submit', undefined, alice, now);
    expect(submitted.invoice.status).toBe('in_review');
    await expect(reviewInvoice(ports, 'I1', 3, 'approve', undefined, alice, now)).rejects.toMatchObject({
      name: 'InvalidTransition',
    });
    const approved = await reviewInvoice(ports, 'I1', 3, 'approve', undefined, bob, now);
    expect(approved.invoice.review).toMatchObject({ approvedBy: 'bob' });
    const returned = await reviewInvoice(ports, 'I1', 4, 'return', 'hours missing', bob, now);
    expect(returned.invoice).toMatchObject({ status: 'draft', review: { comment: 'hours missing' } });
  });

  it('recalculate: nothing changed writes nothing; a re-read customer (reverse charge) rewrites the changed details', async () => {
    const invoice = seed();
    const same = await recalculateInvoice(ports, 'I1', 1, false, alice, now);
    expect(same.invoice.version).toBe(1);
    expect(memory.applied).toEqual([]);
    memory.customers.set('P1', { ...invoice.customer, reverseCharge: true });
    const changed = await recalculateInvoice(ports, 'I1', 1, true, alice, now);
    expect(changed.invoice.version).toBe(2);
    expect(changed.invoice.totals.tax).toBe(0);
    expect(memory.applied[0]?.effects.putDetails).toHaveLength(4);
    expect(changed.invoice.totals).toEqual(recomputed(changed.invoice));
  });

  it('payments: recorded and reversed through the domain; a date after today is refused', async () => {
    const issued = send(draft(), { number: 'INV-2027-000001' }, ctx).invoice;
    memory.put(stored(issued), issued.details);
    const v = issued.version;
    const payment = { paymentId: 'p1', amount: 100_00, currency: 'EUR', date: '2027-02-01', method: 'bank' };
    await expect(
      recordInvoicePayment(ports, 'I1', v, { ...payment, date: '2027-02-02' }, alice, now),
    ).rejects.toMatchObject({ field: 'date' });
    const paid = await recordInvoicePayment(ports, 'I1', v, payment, alice, now);
    expect(paid.invoice).toMatchObject({ status: 'partially_paid', totals: { paid: 100_00 } });
    const reversed = await reverseInvoicePayment(
      ports,
      'I1',
      v + 1,
      { paymentId: 'p1', reversalId: 'r1', date: '2027-02-01' },
      alice,
      now,
    );
    expect(reversed.invoice).toMatchObject({ status: 'issued', totals: { paid: 0 } });
  });

  it('bank payments: applied up to the balance with the caller writes, once; not open; retried when the invoice moved', async () => {
    const issued = send(draft(), { number: 'INV-2027-000001' }, ctx).invoice;
    memory.put(stored(issued), issued.details);
    const entry = {
      entryId: 'E1',
      amount: issued.totals.total + 5_00,
      currency: 'EUR',
      date: '2027-02-01',
      reference: null,
    };
    let moved = false;
    const invoices = ports.invoices;
    const racing = {
      ...ports,
      invoices: {
        ...invoices,
        apply: async (change: Parameters<typeof invoices.apply>[0]) => {
          if (!moved) {
            moved = true;
            throw new StaleVersion(change.expectedVersion + 1, 'invoice');
          }
          return invoices.apply(change);
        },
      },
    };
    const outcome = await recordBankPayment(racing, 'I1', entry, alice, now, (applied, unapplied) => [
      { line: 'L1', applied, unapplied },
    ]);
    expect(outcome).toMatchObject({ kind: 'applied', applied: issued.totals.total, unapplied: 5_00 });
    expect(memory.alsoWritten).toEqual([{ line: 'L1', applied: issued.totals.total, unapplied: 5_00 }]);
    expect(memory.headers.get('I1')?.status).toBe('paid');
    expect(await recordBankPayment(ports, 'I1', entry, alice, now, () => [])).toMatchObject({ kind: 'not_open' });
    seed(draft('I2'));
    expect(await recordBankPayment(ports, 'I2', { ...entry, entryId: 'E2' }, alice, now, () => [])).toMatchObject({
      kind: 'not_open',
    });
  });

  it('discard: tombstone first, then every detail released; a retry on the discarded invoice finishes it', async () => {
    seed();
    // The release stops after the first detail (a crash between two of its writes).
    const crashing = {
      ...ports,
      invoices: {
        ...ports.invoices,
        releaseDiscarded: async (header: InvoiceHeader) => {
          const [first] = detailsOf();
          if (first) memory.releaseDiscardedDetail(header, first);
          throw new Error('crash');
        },
      },
    };
    await expect(discardInvoice(crashing, 'I1', 1, alice, now)).rejects.toThrowError('crash');
    expect(memory.headers.get('I1')).toMatchObject({ status: 'discarded', version: 2 });
    await discardInvoice(ports, 'I1', 1, alice, now);
    expect(detailsOf()).toEqual([]);
    expect([...memory.transactions.values()].every((t) => t.reservedBy === null)).toBe(true);
    expect(memory.milestones.get('m1')).toEqual({ invoicedBy: null });
    expect(memory.audit).toEqual([expect.objectContaining({ action: 'discard', after: { status: 'discarded' } })]);
    await expect(discardInvoice(ports, 'I9', 1, alice, now)).rejects.toBeInstanceOf(NotFound);
  });
});
