import { describe, expect, it } from 'vitest';
import {
  addManualDetail,
  approveReview,
  buildInvoice,
  creditNote,
  discard,
  editDetail,
  editHeader,
  recalculate,
  recordPayment,
  removeDetail,
  returnToDraft,
  reversePayment,
  send,
  submitForReview,
  type Invoice,
  type Project,
  type Transaction,
  type Milestone,
} from '../../../functions/domain/index.ts';
import { ctx, milestone, project, tx, VAT21, VAT9 } from './fixtures.ts';

function makeDraft(
  transactions: Transaction[] = [tx('t1'), tx('t2', { date: '2027-01-11', quantity: '3' })],
  milestones: Milestone[] = [milestone('m1')],
  p: Project = project(),
): Invoice {
  const result = buildInvoice({
    invoiceId: 'I1',
    origin: { kind: 'run' },
    project: p,
    transactions,
    milestones,
    runDate: '2027-02-01',
    cutOff: '2027-01-31',
  });
  if (result.outcome !== 'draft') throw new Error('expected draft');
  return result.invoice;
}

const issue = (invoice: Invoice): Invoice => send(invoice, { number: 'INV-2027-000001' }, ctx).invoice;
const pay = { date: '2027-02-05', method: 'bank', reference: 'r' };

describe('review and editing', () => {
  it('submit and return toggle status, bump version and audit who/when/before/after', () => {
    const d = makeDraft();
    const r = submitForReview(d, {}, ctx).invoice;
    expect(r).toMatchObject({ status: 'in_review', version: 2 });
    expect(r.audit).toEqual([
      {
        action: 'submitForReview',
        actor: 'user-1',
        at: ctx.now,
        fromVersion: 1,
        toVersion: 2,
        before: { status: 'draft', total: d.totals.total },
        after: { status: 'in_review', total: d.totals.total },
      },
    ]);
    expect(returnToDraft(r, { comment: 'the hours of week 48 are missing' }, ctx).invoice).toMatchObject({
      status: 'draft',
      version: 3,
      review: { submittedBy: 'user-1', returnedBy: 'user-1', comment: 'the hours of week 48 are missing' },
    });
    expect(() => returnToDraft(d, { comment: 'x' }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
    expect(() => submitForReview(r, {}, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
  });

  it('approval: only another user than the submitter; Send refused without it when review is required', () => {
    const d = makeDraft();
    const submitted = submitForReview(d, {}, ctx).invoice;
    expect(submitted.review).toEqual({
      submittedBy: 'user-1',
      submittedAt: ctx.now,
      approvedBy: null,
      approvedAt: null,
      returnedBy: null,
      returnedAt: null,
      comment: null,
    });
    expect(() => approveReview(submitted, {}, ctx)).toThrowError(/another billing user must approve/);
    expect(() => send(submitted, { number: 'N', requireApproval: true }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition', message: expect.stringMatching(/must approve it first/) }),
    );
    expect(() => send(d, { number: 'N', requireApproval: true }, ctx)).toThrowError(/must approve it first/);
    const other = { ...ctx, actor: 'user-2' };
    const approved = approveReview(submitted, {}, other).invoice;
    expect(approved).toMatchObject({ status: 'in_review', version: 3, review: { approvedBy: 'user-2' } });
    expect(approved.audit.at(-1)).toMatchObject({ action: 'approveReview', actor: 'user-2' });
    expect(() => approveReview(approved, {}, other)).toThrowError(/already approved/);
    expect(send(approved, { number: 'N', requireApproval: true }, ctx).invoice.status).toBe('issued');
    // an edit after the approval withdraws it: what is sent is what was approved
    const edited = editDetail(approved, { detailId: 't:t1', quantity: '1' }, other).invoice;
    expect(edited.review).toMatchObject({ approvedBy: null, approvedAt: null });
    expect(() => send(edited, { number: 'N', requireApproval: true }, ctx)).toThrowError(/must approve it first/);
    // without the setting, nothing changes: a draft is sent as before
    expect(send(d, { number: 'N' }, ctx).invoice.status).toBe('issued');
    expect(() => returnToDraft(submitted, { comment: '  ' }, other)).toThrowError(
      expect.objectContaining({ field: 'comment' }),
    );
  });

  it('editDetail recalculates and keeps the original quantity and price', () => {
    const d = makeDraft();
    const once = editDetail(d, { detailId: 't:t1', quantity: '1.5' }, ctx).invoice;
    const twice = editDetail(
      once,
      { detailId: 't:t1', unitPrice: '90', description: 'int', printedDescription: 'printed', tax: VAT9 },
      ctx,
    ).invoice;
    const detail = twice.details.find((x) => x.id === 't:t1');
    expect(detail).toMatchObject({
      quantity: '1.5',
      unitPrice: '90',
      net: 135_00,
      originalQuantity: '2',
      originalUnitPrice: '100',
      description: 'int',
      printedDescription: 'printed',
      tax: VAT9,
    });
    expect(twice.totals.net).toBe(135_00 + 300_00 + 500_00);
    expect(twice.version).toBe(3);
    const comp = editDetail(twice, { detailId: 't:t2', billingType: 'complimentary' }, ctx).invoice.details.find(
      (x) => x.id === 't:t2',
    );
    expect(comp).toMatchObject({ net: 0, waived: 300_00, originalQuantity: null });
  });

  it('editDetail refuses milestone amounts, unknown details and non-invoice billing types', () => {
    const d = makeDraft();
    expect(() => editDetail(d, { detailId: 'm:m1', quantity: '2' }, ctx)).toThrowError(
      expect.objectContaining({ field: 'quantity' }) as Error,
    );
    expect(() => editDetail(d, { detailId: 'm:m1', unitPrice: '2' }, ctx)).toThrowError(
      expect.objectContaining({ field: 'unitPrice' }) as Error,
    );
    expect(() => editDetail(d, { detailId: 'nope' }, ctx)).toThrowError(
      expect.objectContaining({ field: 'detailId' }) as Error,
    );
    expect(() => editDetail(d, { detailId: 't:t1', billingType: 'non_chargeable' as 'chargeable' }, ctx)).toThrowError(
      expect.objectContaining({ field: 'billingType' }) as Error,
    );
    expect(() => editDetail(d, { detailId: 't:t1', quantity: 'x' }, ctx)).toThrowError(
      expect.objectContaining({ field: 'quantity' }) as Error,
    );
  });

  it('removeDetail releases the transaction or milestone', () => {
    const d = makeDraft();
    const r = removeDetail(d, { detailId: 't:t1' }, ctx);
    expect(r.effects.releasedTransactionIds).toEqual(['t1']);
    expect(r.invoice.details.map((x) => x.id)).toEqual(['t:t2', 'm:m1']);
    expect(r.invoice.totals.net).toBe(800_00);
    expect(removeDetail(d, { detailId: 'm:m1' }, ctx).effects.releasedMilestoneIds).toEqual(['m1']);
  });

  it('addManualDetail adds a priced detail in (date, id) order', () => {
    const d = makeDraft();
    const r = addManualDetail(
      d,
      {
        transactionId: 'new-1',
        type: 'fee',
        contractLineId: 'CL1',
        date: '2027-01-01',
        description: 'setup',
        quantity: '1',
        unit: 'each',
        unitPrice: '49.95',
        tax: VAT21,
      },
      ctx,
    ).invoice;
    expect(r.details[0]).toMatchObject({
      id: 'x:new-1',
      net: 49_95,
      source: { kind: 'manual', transactionId: 'new-1' },
      printedDescription: 'setup',
      resource: null,
    });
    expect(r.lines.map((l) => l.key)).toEqual(['CL1#time', 'CL1#fee', 'CL2#milestone']);
    expect(() =>
      addManualDetail(
        r,
        {
          transactionId: 'new-1',
          type: 'fee',
          contractLineId: 'CL1',
          date: '2027-01-01',
          description: 'x',
          quantity: '1',
          unit: 'each',
          unitPrice: '1',
          tax: VAT21,
        },
        ctx,
      ),
    ).toThrowError(expect.objectContaining({ field: 'transactionId' }) as Error);
    expect(() =>
      addManualDetail(
        d,
        {
          transactionId: 'n2',
          type: 'milestone' as 'fee',
          contractLineId: 'CL1',
          date: '2027-01-01',
          description: 'x',
          quantity: '1',
          unit: 'each',
          unitPrice: '1',
          tax: VAT21,
        },
        ctx,
      ),
    ).toThrowError(expect.objectContaining({ field: 'type' }) as Error);
    expect(() =>
      addManualDetail(
        d,
        {
          transactionId: 'n2',
          type: 'fee',
          contractLineId: 'CL1',
          date: '2027-01-01',
          description: 'x',
          quantity: '1',
          unit: 'each',
          unitPrice: '1',
          tax: VAT21,
          billingType: 'non_chargeable' as 'chargeable',
        },
        ctx,
      ),
    ).toThrowError(expect.objectContaining({ field: 'billingType' }) as Error);
  });

  it('editHeader edits PO number, notes, bill-to and payment terms', () => {
    const d = makeDraft();
    const r = editHeader(
      d,
      {
        poNumber: 'PO-7',
        notes: 'thanks',
        billTo: { name: 'Acme AP', address: 'PO Box 1', email: null },
        paymentTermsDays: 45,
      },
      ctx,
    );
    expect(r.invoice).toMatchObject({
      poNumber: 'PO-7',
      notes: 'thanks',
      paymentTermsDays: 45,
      billTo: { name: 'Acme AP' },
      version: 2,
    });
    expect(r.effects.problems).toEqual([{ field: 'billTo.email', message: 'a customer email is required' }]);
    expect(r.invoice.audit[0]?.after).toMatchObject({ poNumber: 'PO-7', paymentTermsDays: 45 });
    expect(editHeader(d, {}, ctx).invoice.poNumber).toBeNull();
    expect(() => editHeader(d, { paymentTermsDays: -1 }, ctx)).toThrowError(
      expect.objectContaining({ field: 'paymentTermsDays' }) as Error,
    );
    expect(() => editHeader(d, { billTo: { name: ' ', address: '', email: null } }, ctx)).toThrowError(
      expect.objectContaining({ field: 'billTo.name' }) as Error,
    );
  });

  it('recalculate re-reads tax codes and customer data and is idempotent', () => {
    const d = makeDraft();
    const same = recalculate(d, {}, ctx);
    expect(same.invoice).toBe(d);
    const changed = recalculate(
      d,
      { taxRates: { 'NL-HIGH': { code: 'NL-HIGH', category: 'S', rate: '22' } } },
      ctx,
    ).invoice;
    expect(changed.version).toBe(2);
    expect(changed.totals.taxes[0]).toMatchObject({ rate: '22', net: 1000_00, tax: 220_00 });
    expect(
      recalculate(changed, { taxRates: { 'NL-HIGH': { code: 'NL-HIGH', category: 'S', rate: '22' } } }, ctx).invoice,
    ).toBe(changed);
    const rc = recalculate(d, { customer: { ...d.customer, reverseCharge: true } }, ctx).invoice;
    expect(rc.totals.tax).toBe(0);
    expect(() =>
      recalculate(d, { taxRates: { 'NL-HIGH': { code: 'NL-HIGH', category: 'Z', rate: '5' } } }, ctx),
    ).toThrowError(expect.objectContaining({ field: 'taxRates.NL-HIGH.rate' }) as Error);
  });

  it('discard releases every transaction and milestone and keeps the origin key used', () => {
    const d = makeDraft();
    const r = discard(submitForReview(d, {}, ctx).invoice, {}, ctx);
    expect(r).toMatchObject({ invoiceId: 'I1', originKey: 'P1#2027-02-01' });
    expect(r.effects.releasedTransactionIds).toEqual(['t1', 't2']);
    expect(r.effects.releasedMilestoneIds).toEqual(['m1']);
    expect(r.audit).toMatchObject({ action: 'discard', before: { status: 'in_review' }, after: { status: 'deleted' } });
  });
});

describe('send', () => {
  it('issues with number, issue and due date, and lists billed transactions and write-downs', () => {
    let d = makeDraft();
    d = editDetail(d, { detailId: 't:t2', quantity: '2.5' }, ctx).invoice;
    d = editDetail(d, { detailId: 't:t1', quantity: '3' }, ctx).invoice;
    d = addManualDetail(
      d,
      {
        transactionId: 'new-1',
        type: 'expense',
        contractLineId: 'CL1',
        date: '2027-01-20',
        description: 'train',
        quantity: '1',
        unit: 'trip',
        unitPrice: '30',
        tax: VAT9,
        resource: 'bob',
        orgUnit: 'NL',
      },
      ctx,
    ).invoice;
    const r = send(d, { number: 'INV-2027-000042' }, ctx);
    expect(r.invoice).toMatchObject({
      status: 'issued',
      number: 'INV-2027-000042',
      issueDate: '2027-02-01',
      dueDate: '2027-02-15',
      version: d.version + 1,
    });
    expect(r.effects.billedTransactions).toEqual([
      { transactionId: 't1', quantity: '3' },
      { transactionId: 't2', quantity: '2.5' },
      { transactionId: 'new-1', quantity: '1' },
    ]);
    expect(r.effects.writeDowns).toEqual([
      { transactionId: 't2', originalQuantity: '3', billedQuantity: '2.5', writtenDownQuantity: '0.5' },
    ]);
    expect(r.effects.createdTransactions).toMatchObject([
      { id: 'new-1', billedBy: 'I1', onHold: false, type: 'expense' },
    ]);
    expect(r.effects.invoicedMilestoneIds).toEqual(['m1']);
  });

  it('refuses without email, billable detail, non-negative total, respected limit or number', () => {
    const d = makeDraft();
    const fieldOf = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as { field: string }).field;
      }
      return 'no error';
    };
    expect(
      fieldOf(() => send(editHeader(d, { billTo: { ...d.billTo, email: null } }, ctx).invoice, { number: 'N' }, ctx)),
    ).toBe('billTo.email');
    expect(fieldOf(() => send(d, { number: '' }, ctx))).toBe('number');
    const allComplimentary = makeDraft([tx('t1', { billingType: 'complimentary' })], []);
    expect(fieldOf(() => send(allComplimentary, { number: 'N' }, ctx))).toBe('details');
    const negative = addManualDetail(
      d,
      {
        transactionId: 'disc',
        type: 'fee',
        contractLineId: 'CL1',
        date: '2027-01-01',
        description: 'discount',
        quantity: '-1',
        unit: 'each',
        unitPrice: '5000',
        tax: VAT21,
      },
      ctx,
    ).invoice;
    expect(fieldOf(() => send(negative, { number: 'N' }, ctx))).toBe('total');
    const limited = makeDraft(
      [tx('t1')],
      [],
      project({
        contractLines: [{ id: 'CL1', description: 'x', billingMethod: 'time_and_material', notToExceed: 250_00 }],
      }),
    );
    const over = editDetail(limited, { detailId: 't:t1', quantity: '3' }, ctx);
    expect(over.effects.problems).toEqual([
      { field: 'notToExceed', message: 'contract line CL1 exceeds its not-to-exceed limit' },
    ]);
    expect(fieldOf(() => send(over.invoice, { number: 'N' }, ctx))).toBe('notToExceed');
  });

  it('an invoice issued with total 0 is settled at once', () => {
    const zero = makeDraft([tx('t1', { unitPrice: '0' }), tx('t2')], []);
    const z = removeDetail(zero, { detailId: 't:t2' }, ctx).invoice;
    const withBillable = editDetail(z, { detailId: 't:t1', billingType: 'chargeable' }, ctx).invoice;
    expect(send(withBillable, { number: 'N' }, ctx).invoice.status).toBe('paid');
  });

  it('issued invoices are immutable: every edit is an InvalidTransition', () => {
    const i = issue(makeDraft());
    const attempts: (() => unknown)[] = [
      () => submitForReview(i, {}, ctx),
      () => returnToDraft(i, { comment: 'x' }, ctx),
      () => approveReview(i, {}, ctx),
      () => editDetail(i, { detailId: 't:t1', quantity: '1' }, ctx),
      () => removeDetail(i, { detailId: 't:t1' }, ctx),
      () =>
        addManualDetail(
          i,
          {
            transactionId: 'n',
            type: 'fee',
            contractLineId: 'CL1',
            date: '2027-01-01',
            description: 'x',
            quantity: '1',
            unit: 'u',
            unitPrice: '1',
            tax: VAT21,
          },
          ctx,
        ),
      () => editHeader(i, { notes: 'x' }, ctx),
      () => recalculate(i, {}, ctx),
      () => send(i, { number: 'N2' }, ctx),
      () => discard(i, {}, ctx),
      () => reversePayment(i, { paymentId: 'p', reversalId: 'r', date: '2027-02-02' }, ctx),
    ];
    for (const attempt of attempts)
      expect(attempt).toThrowError(expect.objectContaining({ name: 'InvalidTransition' }) as Error);
  });
});

describe('payments and overdue', () => {
  it('partial payment, payment reaching balance, reversal recomputes status', () => {
    const i = issue(makeDraft());
    const total = i.totals.total;
    const p1 = recordPayment(i, { paymentId: 'p1', amount: 100_00, currency: 'EUR', ...pay }, ctx).invoice;
    expect(p1).toMatchObject({ status: 'partially_paid', totals: { paid: 100_00, balance: total - 100_00 } });
    const p2 = recordPayment(p1, { paymentId: 'p2', amount: p1.totals.balance, currency: 'EUR', ...pay }, ctx).invoice;
    expect(p2).toMatchObject({ status: 'paid', totals: { paid: total, balance: 0 } });
    const r1 = reversePayment(
      p2,
      { paymentId: 'p2', reversalId: 'rev-1', date: '2027-02-06', reason: 'bounced' },
      ctx,
    ).invoice;
    expect(r1).toMatchObject({ status: 'partially_paid', totals: { paid: 100_00 } });
    const r2 = reversePayment(r1, { paymentId: 'p1', reversalId: 'rev-2', date: '2027-02-06' }, ctx).invoice;
    expect(r2).toMatchObject({ status: 'issued', totals: { paid: 0, balance: total } });
    expect(() => reversePayment(r1, { paymentId: 'p2', reversalId: 'rev-3', date: '2027-02-06' }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
    expect(() => reversePayment(r1, { paymentId: 'nope', reversalId: 'rev-3', date: '2027-02-06' }, ctx)).toThrowError(
      expect.objectContaining({ field: 'paymentId' }) as Error,
    );
    expect(() => recordPayment(p2, { paymentId: 'p3', amount: 1, currency: 'EUR', ...pay }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
  });

  it('refuses overpayment, wrong currency, duplicate ids, non-positive amounts and drafts', () => {
    const i = issue(makeDraft());
    const p = recordPayment(i, { paymentId: 'p1', amount: 1, currency: 'EUR', ...pay }, ctx).invoice;
    expect(() =>
      recordPayment(i, { paymentId: 'p1', amount: i.totals.balance + 1, currency: 'EUR', ...pay }, ctx),
    ).toThrowError(expect.objectContaining({ name: 'Overpayment' }) as Error);
    expect(() => recordPayment(i, { paymentId: 'p1', amount: 1, currency: 'USD', ...pay }, ctx)).toThrowError(
      expect.objectContaining({ name: 'CurrencyMismatch' }) as Error,
    );
    expect(() => recordPayment(p, { paymentId: 'p1', amount: 1, currency: 'EUR', ...pay }, ctx)).toThrowError(
      expect.objectContaining({ name: 'DuplicatePayment' }) as Error,
    );
    expect(() => recordPayment(i, { paymentId: 'p2', amount: 0, currency: 'EUR', ...pay }, ctx)).toThrowError(
      expect.objectContaining({ field: 'amount' }) as Error,
    );
    expect(() => recordPayment(i, { paymentId: 'p2', amount: 1.5, currency: 'EUR', ...pay }, ctx)).toThrowError(
      expect.objectContaining({ field: 'amount' }) as Error,
    );
    expect(() => recordPayment(i, { paymentId: '', amount: 1, currency: 'EUR', ...pay }, ctx)).toThrowError(
      expect.objectContaining({ field: 'paymentId' }) as Error,
    );
    expect(() => recordPayment(makeDraft(), { paymentId: 'p2', amount: 1, currency: 'EUR', ...pay }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
  });
});

describe('credit notes', () => {
  it('full credit copies every detail negated, cancels the invoice and nets to 0', () => {
    const i = recordPayment(
      issue(makeDraft()),
      { paymentId: 'p1', amount: 100_00, currency: 'EUR', ...pay },
      ctx,
    ).invoice;
    const r = creditNote(i, { creditNoteId: 'C1', number: 'CN-2027-000001', full: true }, ctx);
    expect(r.creditNote).toMatchObject({
      kind: 'credit_note',
      number: 'CN-2027-000001',
      creditFor: 'I1',
      status: 'issued',
      origin: { kind: 'credit', invoiceId: 'I1' },
    });
    expect(r.creditNote.totals.total + i.totals.total).toBe(0);
    expect(r.creditNote.details.map((d) => d.corrects)).toEqual(['t:t1', 't:t2', 'm:m1']);
    expect(r.creditNote.details[0]).toMatchObject({ quantity: '-2', net: -200_00 });
    expect(r.invoice).toMatchObject({ status: 'cancelled', totals: { credited: i.totals.total, balance: -100_00 } });
    expect(r.effects.createdTransactions.map((t) => [t.id, t.linkedTransactionId, t.quantity, t.onHold])).toEqual([
      ['t1~C1', 't1', '2', true],
      ['t2~C1', 't2', '3', true],
    ]);
    expect(r.effects.readyMilestoneIds).toEqual(['m1']);
    expect(() => creditNote(r.invoice, { creditNoteId: 'C2', number: 'CN-2', full: true }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
    expect(() => recordPayment(r.invoice, { paymentId: 'p9', amount: 1, currency: 'EUR', ...pay }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
  });

  it('partial credit by quantity and amount lowers the balance; whole remaining quantity credits the remaining net', () => {
    const i = issue(makeDraft([tx('t1', { quantity: '3', unitPrice: '33.335' }), tx('t2')], []));
    const first = creditNote(
      i,
      {
        creditNoteId: 'C1',
        number: 'CN-1',
        details: [
          { detailId: 't:t1', quantity: '1' },
          { detailId: 't:t2', amount: 50_00 },
        ],
      },
      ctx,
    );
    expect(first.creditNote.details.map((d) => [d.id, d.quantity, d.net])).toEqual([
      ['t:t1', '-1', -33_34],
      ['t:t2', '-1', -50_00],
    ]);
    expect(first.effects.createdTransactions.map((t) => [t.id, t.quantity])).toEqual([['t1~C1', '1']]);
    expect(first.invoice.status).toBe('issued');
    expect(first.invoice.totals.credited).toBe(-first.creditNote.totals.total);
    // The remaining 2 of t1 (net 100.01 - 33.34 = 66.67, while 2 x 33.335 alone would round to 66.67 too) and the rest of t2.
    const second = creditNote(
      first.invoice,
      { creditNoteId: 'C2', number: 'CN-2', details: [{ detailId: 't:t1' }, { detailId: 't:t2', amount: 150_00 }] },
      ctx,
    );
    expect(second.creditNote.details.map((d) => d.net)).toEqual([-(100_01 - 33_34), -150_00]);
    expect(second.invoice.totals.balance).toBe(0);
    expect(second.invoice.status).toBe('paid');
    const fieldOf = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as { field: string }).field;
      }
      return 'no error';
    };
    expect(
      fieldOf(() =>
        creditNote(
          first.invoice,
          { creditNoteId: 'C3', number: 'CN-3', details: [{ detailId: 't:t1', quantity: '2.5' }] },
          ctx,
        ),
      ),
    ).toBe('details[0].quantity');
    expect(
      fieldOf(() =>
        creditNote(
          first.invoice,
          { creditNoteId: 'C3', number: 'CN-3', details: [{ detailId: 't:t2', amount: 150_01 }] },
          ctx,
        ),
      ),
    ).toBe('details[0].amount');
    // t2 (2 x 100) has 150 of its 200 left after the amount credit of 50: crediting 1.6 hours (160) is too much.
    expect(
      fieldOf(() =>
        creditNote(
          first.invoice,
          { creditNoteId: 'C3', number: 'CN-3', details: [{ detailId: 't:t2', quantity: '1.6' }] },
          ctx,
        ),
      ),
    ).toBe('details[0].quantity');
    expect(
      creditNote(
        first.invoice,
        { creditNoteId: 'C3', number: 'CN-3', details: [{ detailId: 't:t2', quantity: '1.5' }] },
        ctx,
      ).creditNote.totals.net,
    ).toBe(-150_00);
    expect(
      fieldOf(() =>
        creditNote(
          i,
          { creditNoteId: 'C3', number: 'CN-3', details: [{ detailId: 't:t2', amount: 1, quantity: '1' }] },
          ctx,
        ),
      ),
    ).toBe('details[0]');
    expect(
      fieldOf(() =>
        creditNote(
          i,
          { creditNoteId: 'C3', number: 'CN-3', details: [{ detailId: 't:t2' }, { detailId: 't:t2' }] },
          ctx,
        ),
      ),
    ).toBe('details[1].detailId');
    expect(
      fieldOf(() => creditNote(i, { creditNoteId: 'C3', number: 'CN-3', details: [{ detailId: 'zz' }] }, ctx)),
    ).toBe('details[0].detailId');
    expect(fieldOf(() => creditNote(i, { creditNoteId: 'C3', number: 'CN-3', details: [] }, ctx))).toBe('details');
    expect(fieldOf(() => creditNote(i, { creditNoteId: 'C3', number: ' ', full: true }, ctx))).toBe('number');
    expect(() => creditNote(first.invoice, { creditNoteId: 'C3', number: 'CN-3', full: true }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
    expect(() => creditNote(makeDraft(), { creditNoteId: 'C3', number: 'CN-3', full: true }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
    expect(() => creditNote(first.creditNote, { creditNoteId: 'C3', number: 'CN-3', full: true }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
  });

  it('milestones are credited whole and become ready again; complimentary credits keep net 0', () => {
    const i = issue(makeDraft([tx('t1'), tx('gift', { billingType: 'complimentary' })], [milestone('m1')]));
    const r = creditNote(
      i,
      { creditNoteId: 'C1', number: 'CN-1', details: [{ detailId: 'm:m1' }, { detailId: 't:gift', quantity: '1' }] },
      ctx,
    );
    expect(r.effects.readyMilestoneIds).toEqual(['m1']);
    expect(r.creditNote.details.map((d) => [d.id, d.net, d.waived])).toEqual([
      ['m:m1', -500_00, 0],
      ['t:gift', 0, -100_00],
    ]);
    const byAmount = creditNote(
      i,
      { creditNoteId: 'C2', number: 'CN-2', details: [{ detailId: 'm:m1', amount: 500_00 }] },
      ctx,
    );
    expect(byAmount.effects.readyMilestoneIds).toEqual(['m1']);
    expect(byAmount.creditNote.details[0]).toMatchObject({ unit: 'milestone', net: -500_00 });
    expect(() =>
      creditNote(i, { creditNoteId: 'C3', number: 'CN-3', details: [{ detailId: 'm:m1', amount: 1 }] }, ctx),
    ).toThrowError(expect.objectContaining({ field: 'details[0]' }) as Error);
    expect(() =>
      creditNote(r.invoice, { creditNoteId: 'C3', number: 'CN-3', details: [{ detailId: 'm:m1' }] }, ctx),
    ).toThrowError(expect.objectContaining({ field: 'details[0].detailId' }) as Error);
  });
});
