import { describe, expect, it } from 'vitest';
import {
  addManualDetail,
  buildInvoice,
  editDetail,
  type Invoice,
  makeNonChargeable,
  recalculate,
  removeDetail,
  send,
  summarizeDetails,
} from '../../../functions/domain/index.ts';
import { ctx, milestone, project, tx, VAT9 } from './fixtures.ts';

/**
 * Commands on an invoice that carries its sums (`summary`) and only the details they touch: the effects and totals
 * are those of the same command on the whole invoice, so an adapter applies them as they are (re-derives nothing).
 */
function makeDraft(): Invoice {
  const result = buildInvoice({
    invoiceId: 'I1',
    origin: { kind: 'run' },
    project: project(),
    transactions: [
      tx('t1'),
      tx('t2', { date: '2027-01-11', quantity: '3' }),
      tx('t3', { date: '2027-01-12', quantity: '2.5' }),
    ],
    milestones: [milestone('m1')],
    runDate: '2027-02-01',
    cutOff: '2027-01-31',
  });
  if (result.outcome !== 'draft') throw new Error('expected draft');
  return result.invoice;
}

/** The invoice as an adapter loads it for a one-detail command: its sums and only that detail. */
function partial(invoice: Invoice, detailIds: readonly string[]): Invoice {
  return {
    ...invoice,
    summary: summarizeDetails(invoice.details),
    details: invoice.details.filter((d) => detailIds.includes(d.id)),
  };
}

describe('commands on the sums and the touched details', () => {
  it('editDetail: the same totals, lines and audit as on the whole invoice; the edited detail is the effect', () => {
    const whole = makeDraft();
    const full = editDetail(whole, { detailId: 't:t2', quantity: '1.25', unitPrice: '80' }, ctx);
    const part = editDetail(partial(whole, ['t:t2']), { detailId: 't:t2', quantity: '1.25', unitPrice: '80' }, ctx);
    expect(part.invoice.totals).toEqual(full.invoice.totals);
    expect(part.invoice.lines).toEqual(full.invoice.lines);
    expect(part.invoice.audit.at(-1)).toEqual(full.invoice.audit.at(-1));
    expect(part.invoice.summary).toEqual(summarizeDetails(full.invoice.details));
    expect(part.effects.putDetails).toEqual([full.invoice.details.find((d) => d.id === 't:t2')]);
    expect(part.effects.deletedDetails).toEqual([]);
    expect(part.effects.problems).toEqual(full.effects.problems);
  });

  it('removeDetail and makeNonChargeable: the detail leaves, totals from the sums, what to release', () => {
    const whole = makeDraft();
    const full = removeDetail(whole, { detailId: 't:t3' }, ctx);
    const part = removeDetail(partial(whole, ['t:t3']), { detailId: 't:t3' }, ctx);
    expect(part.invoice.totals).toEqual(full.invoice.totals);
    expect(part.effects.deletedDetails.map((d) => d.id)).toEqual(['t:t3']);
    expect(part.effects.releasedTransactionIds).toEqual(['t3']);
    expect(part.effects.problems).toEqual([]);
    const nonChargeable = makeNonChargeable(partial(whole, ['t:t3']), { detailId: 't:t3' }, ctx);
    expect(nonChargeable.invoice.totals).toEqual(full.invoice.totals);
    expect(nonChargeable.effects).toMatchObject({ nonChargeableTransactionIds: ['t3'], releasedTransactionIds: [] });
    expect(nonChargeable.invoice.audit.at(-1)?.action).toBe('makeNonChargeable');
    expect(() => makeNonChargeable(partial(whole, ['m:m1']), { detailId: 'm:m1' }, ctx)).toThrowError(
      expect.objectContaining({ name: 'InvalidTransition' }) as Error,
    );
  });

  it('a billable detail elsewhere on the invoice (in the sums) is no Send problem', () => {
    const whole = makeDraft();
    const part = removeDetail(partial(whole, ['t:t1']), { detailId: 't:t1' }, ctx);
    expect(part.effects.problems).toEqual([]);
  });

  it('addManualDetail: the new detail is the effect and joins the sums', () => {
    const whole = makeDraft();
    const command = {
      transactionId: 'n1',
      type: 'fee' as const,
      contractLineId: 'CL1',
      date: '2027-01-05',
      description: 'fee',
      quantity: '1',
      unit: 'u',
      unitPrice: '10',
      tax: VAT9,
    };
    const full = addManualDetail(whole, command, ctx);
    const part = addManualDetail(partial(whole, []), command, ctx);
    expect(part.invoice.totals).toEqual(full.invoice.totals);
    expect(part.effects.putDetails.map((d) => d.id)).toEqual(['x:n1']);
  });

  it('recalculate lists exactly the details it changed, and ignores the order of stored keys', () => {
    const whole = makeDraft();
    const stored: Invoice = {
      ...whole,
      details: whole.details.map((d) => reverseKeys({ ...d, tax: reverseKeys(d.tax) })),
    };
    const same = recalculate(stored, {}, ctx);
    expect(same.invoice).toBe(stored);
    expect(same.effects.putDetails).toEqual([]);
    const changed = recalculate(whole, { taxRates: { 'NL-LOW': VAT9 } }, ctx);
    expect(changed.effects.putDetails).toEqual([]);
    const raised = recalculate(whole, { taxRates: { 'NL-HIGH': { code: 'NL-HIGH', category: 'S', rate: '22' } } }, ctx);
    expect(raised.effects.putDetails.map((d) => d.id).sort()).toEqual(
      whole.details
        .filter((d) => d.tax.code === 'NL-HIGH')
        .map((d) => d.id)
        .sort(),
    );
  });

  it('a quantity written "1.50" on a detail of 1.5 is no write-down at Send (decimals, not strings)', () => {
    const whole = makeDraft();
    const edited = editDetail(whole, { detailId: 't:t3', quantity: '2.50' }, ctx).invoice;
    const issued = send(edited, { number: 'INV-2027-000001' }, ctx);
    expect(issued.effects.writeDowns).toEqual([]);
    const lowered = editDetail(whole, { detailId: 't:t3', quantity: '2.4' }, ctx).invoice;
    expect(send(lowered, { number: 'INV-2027-000001' }, ctx).effects.writeDowns).toEqual([
      { transactionId: 't3', originalQuantity: '2.5', billedQuantity: '2.4', writtenDownQuantity: '0.1' },
    ]);
  });
});

function reverseKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).reverse()) as T;
}
