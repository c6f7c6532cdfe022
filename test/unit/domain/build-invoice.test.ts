import { describe, expect, it } from 'vitest';
import {
  buildInvoice,
  editDetail,
  recalculate,
  send,
  type BuildInvoiceInput,
  type Invoice,
} from '../../../functions/domain/index.ts';
import { ctx, milestone, project, tx, VAT0, VAT21, VAT9 } from './fixtures.ts';

function runInput(overrides: Partial<BuildInvoiceInput> = {}): BuildInvoiceInput {
  return {
    invoiceId: 'INVOICE-1',
    origin: { kind: 'run' },
    project: project(),
    transactions: [],
    milestones: [],
    runDate: '2027-02-01',
    cutOff: '2027-01-31',
    ...overrides,
  };
}

function draft(input: BuildInvoiceInput): Invoice {
  const result = buildInvoice(input);
  if (result.outcome !== 'draft') throw new Error('expected a draft');
  return result.invoice;
}

describe('buildInvoice', () => {
  it('picks eligible transactions and ready milestones and lists the rest with reasons', () => {
    const result = buildInvoice(
      runInput({
        transactions: [
          tx('t1'),
          tx('t2', { date: '2027-01-31' }),
          tx('late', { date: '2027-02-01' }),
          tx('held', { onHold: true }),
          tx('other', { reservedBy: 'INVOICE-0' }),
          tx('mine', { reservedBy: 'INVOICE-1', date: '2026-11-02' }),
          tx('unapproved', { approved: false }),
          tx('internal', { billingType: 'non_chargeable' }),
          tx('na', { billingType: 'not_available' }),
          tx('gift', { billingType: 'complimentary', quantity: '1.5', unitPrice: '80' }),
        ],
        milestones: [
          milestone('m1'),
          milestone('m-not-ready', { readyForInvoicing: false }),
          milestone('m-future', { date: '2027-02-02' }),
          milestone('m-on-run-date', { date: '2027-02-01' }),
        ],
      }),
    );
    expect(result.outcome).toBe('draft');
    if (result.outcome !== 'draft') return;
    const { invoice, excluded, reserve } = result;
    expect(invoice.details.map((d) => d.id)).toEqual(['t:mine', 't:gift', 't:t1', 'm:m1', 't:t2', 'm:m-on-run-date']);
    expect(excluded).toEqual([
      { kind: 'milestone', id: 'm-future', reason: 'after_cut_off' },
      { kind: 'milestone', id: 'm-not-ready', reason: 'not_ready' },
      { kind: 'transaction', id: 'held', reason: 'on_hold' },
      { kind: 'transaction', id: 'internal', reason: 'non_chargeable' },
      { kind: 'transaction', id: 'late', reason: 'after_cut_off' },
      { kind: 'transaction', id: 'na', reason: 'non_chargeable' },
      { kind: 'transaction', id: 'other', reason: 'on_other_invoice', invoiceId: 'INVOICE-0' },
      { kind: 'transaction', id: 'unapproved', reason: 'not_approved' },
    ]);
    const gift = invoice.details.find((d) => d.id === 't:gift');
    expect(gift).toMatchObject({ net: 0, waived: 120_00, billingType: 'complimentary' });
    expect(invoice.totals).toMatchObject({
      net: 3 * 200_00 + 2 * 500_00,
      tax: 16_00_00 * 0.21,
      total: 16_00_00 * 1.21,
      balance: 16_00_00 * 1.21,
      waived: 120_00,
    });
    expect(invoice.origin).toEqual({ kind: 'run', key: 'P1#2027-02-01', runDate: '2027-02-01' });
    expect(invoice).toMatchObject({
      status: 'draft',
      number: null,
      version: 1,
      cutOff: '2027-01-31',
      paymentTermsDays: 14,
      kind: 'invoice',
    });
    expect(invoice.lines.map((l) => [l.key, l.net, l.detailCount])).toEqual([
      ['CL1#time', 600_00, 4],
      ['CL2#milestone', 1000_00, 2],
    ]);
    expect(reserve).toEqual({
      transactions: [
        { id: 'mine', version: 1 },
        { id: 'gift', version: 1 },
        { id: 't1', version: 1 },
        { id: 't2', version: 1 },
      ],
      milestoneIds: ['m-on-run-date', 'm1'],
    });
    expect(invoice.details.find((d) => d.id === 'm:m1')).toMatchObject({
      quantity: '1',
      unitPrice: '500.00',
      net: 500_00,
    });
  });

  it('reports nothing_to_invoice', () => {
    expect(buildInvoice(runInput({ transactions: [tx('late', { date: '2027-03-01' })] }))).toEqual({
      outcome: 'nothing_to_invoice',
      excluded: [{ kind: 'transaction', id: 'late', reason: 'after_cut_off' }],
    });
  });

  it('groups tax per rate and rounds once per group', () => {
    // 3 x 0.05 at 21%: per detail 1.05 cents each would round to 1 each (3); per group 15 x 0.21 = 3.15 -> 3.
    const invoice = draft(
      runInput({
        transactions: [
          tx('a', { quantity: '1', unitPrice: '0.05' }),
          tx('b', { quantity: '1', unitPrice: '0.05' }),
          tx('c', { quantity: '1', unitPrice: '0.05' }),
          tx('d', { quantity: '1', unitPrice: '10', tax: VAT9 }),
          tx('e', { quantity: '1', unitPrice: '10', tax: VAT0, type: 'expense' }),
        ],
      }),
    );
    expect(invoice.totals.taxes).toEqual([
      { key: 'AA|9', category: 'AA', rate: '9', net: 10_00, tax: 90 },
      { key: 'S|21', category: 'S', rate: '21', net: 15, tax: 3 },
      { key: 'Z|0', category: 'Z', rate: '0', net: 10_00, tax: 0 },
    ]);
    expect(invoice.totals.total).toBe(20_15 + 93);
  });

  it('applies not-to-exceed per time-and-material contract line, whole transactions in (date, id) order', () => {
    const p = project({
      contractLines: [
        { id: 'CL1', description: 'T&M', billingMethod: 'time_and_material', notToExceed: 1000_00, consumed: 500_00 },
        { id: 'CL2', description: 'Fixed', billingMethod: 'fixed_price', notToExceed: 1_00 },
      ],
    });
    const result = buildInvoice(
      runInput({
        project: p,
        transactions: [
          tx('b', { date: '2027-01-02' }), // 200
          tx('a', { date: '2027-01-02' }), // 200 -> 900
          tx('c', { date: '2027-01-03', unitPrice: '60' }), // 120 -> 1020 > 1000: stop
          tx('d', { date: '2027-01-04', quantity: '0.25' }), // would fit, but stays over limit
        ],
        milestones: [milestone('m1')],
      }),
    );
    if (result.outcome !== 'draft') throw new Error('expected draft');
    expect(result.invoice.details.map((d) => d.id)).toEqual(['t:a', 't:b', 'm:m1']);
    expect(result.invoice.excluded).toEqual([
      { kind: 'transaction', id: 'c', reason: 'over_limit' },
      { kind: 'transaction', id: 'd', reason: 'over_limit' },
    ]);
    expect(result.invoice.limits).toEqual([{ contractLineId: 'CL1', notToExceed: 1000_00, consumedBefore: 500_00 }]);
  });

  it('manual invoicing: filters by type, org unit and explicit milestones; cut-off <= today', () => {
    const base = runInput({
      origin: { kind: 'manual', requestId: 'REQ-9' },
      runDate: '2027-02-10',
      cutOff: '2027-01-20',
      transactions: [
        tx('t1'),
        tx('e1', { type: 'expense' }),
        tx('be', { orgUnit: 'BE' }),
        tx('late', { date: '2027-01-21' }),
      ],
      milestones: [milestone('m1', { date: '2027-01-25' }), milestone('m2', { date: '2027-01-05' })],
    });
    const all = buildInvoice(base);
    if (all.outcome !== 'draft') throw new Error('expected draft');
    expect(all.invoice.origin).toEqual({ kind: 'manual', requestId: 'REQ-9', filters: {}, runDate: '2027-02-10' });
    expect(all.invoice.details.map((d) => d.id)).toEqual(['m:m2', 't:be', 't:e1', 't:t1']);
    const filtered = buildInvoice({
      ...base,
      filters: { transactionTypes: ['time'], orgUnit: 'NL', milestoneIds: ['m1'] },
    });
    if (filtered.outcome !== 'draft') throw new Error('expected draft');
    expect(filtered.invoice.details.map((d) => d.id)).toEqual(['t:t1', 'm:m1']);
    expect(filtered.excluded.filter((e) => e.reason === 'filtered_out').map((e) => e.id)).toEqual(['m2', 'be', 'e1']);
    expect(() => buildInvoice({ ...base, cutOff: '2027-02-11' })).toThrowError(
      expect.objectContaining({ field: 'cutOff' }) as Error,
    );
    expect(() => buildInvoice({ ...base, filters: { milestoneIds: ['nope'] } })).toThrowError(
      expect.objectContaining({ field: 'filters.milestoneIds' }) as Error,
    );
    expect(() => buildInvoice({ ...base, filters: { transactionTypes: ['bogus' as 'time'] } })).toThrowError(
      expect.objectContaining({ field: 'filters.transactionTypes' }) as Error,
    );
  });

  it('reverse-charge customers get AE 0% on every detail', () => {
    const p = project({ customer: { ...project().customer, reverseCharge: true } });
    const invoice = draft(runInput({ project: p, transactions: [tx('t1')], milestones: [milestone('m1')] }));
    expect(invoice.details.every((d) => d.tax.category === 'AE' && d.tax.rate === '0')).toBe(true);
    expect(invoice.totals.tax).toBe(0);
  });

  it('uses currency exponents (JPY 0, BHD 3) and rounds half away from zero', () => {
    const jpy = draft(
      runInput({
        project: project({ currency: 'JPY' }),
        transactions: [tx('t1', { quantity: '1.5', unitPrice: '1001' })],
      }),
    );
    expect(jpy.details[0]?.net).toBe(1502); // 1501.5 -> 1502
    const bhd = draft(
      runInput({
        project: project({ currency: 'BHD' }),
        transactions: [tx('t1', { quantity: '0.3333', unitPrice: '1.0005' })],
      }),
    );
    expect(bhd.details[0]?.net).toBe(333); // 0.33346665 BHD -> 333 fils
  });

  it('validates its input with domain errors naming the field', () => {
    const fieldOf = (input: BuildInvoiceInput): string => {
      try {
        buildInvoice(input);
      } catch (e) {
        return (e as { field: string }).field;
      }
      return 'no error';
    };
    expect(fieldOf(runInput({ cutOff: '2027-01-30' }))).toBe('cutOff');
    expect(fieldOf(runInput({ project: project({ currency: 'XXX' }) }))).toBe('currency');
    expect(fieldOf(runInput({ transactions: [tx('t1', { contractLineId: 'nope' })] }))).toBe(
      'transactions[t1].contractLineId',
    );
    expect(fieldOf(runInput({ transactions: [tx('t1', { quantity: '1.23456' })] }))).toBe('transactions[t1].quantity');
    expect(fieldOf(runInput({ transactions: [tx('t1', { unitPrice: '1e3' })] }))).toBe('transactions[t1].unitPrice');
    expect(fieldOf(runInput({ transactions: [tx('t1', { tax: { ...VAT21, rate: '-1' } })] }))).toBe(
      'transactions[t1].tax.rate',
    );
    expect(fieldOf(runInput({ transactions: [tx('t1', { date: '2027-02-31' })] }))).toBe('transactions[t1].date');
    expect(fieldOf(runInput({ transactions: [tx('t1'), tx('t1')] }))).toBe('transactions');
    expect(fieldOf(runInput({ milestones: [milestone('m1'), milestone('m1')] }))).toBe('milestones');
    expect(fieldOf(runInput({ milestones: [milestone('m1', { contractLineId: 'zz' })] }))).toBe(
      'milestones[m1].contractLineId',
    );
    expect(fieldOf(runInput({ milestones: [milestone('m1', { amount: 1.5 })] }))).toBe('milestones[m1].amount');
    expect(fieldOf(runInput({ milestones: [milestone('m1', { invoicedBy: 'X' })] }))).toBe('no error');
  });

  // How fast is measured by `npm run bench` (the 20,000-detail draft line), not here.
  it('builds a draft of 20,000 details deterministically', () => {
    const transactions = Array.from({ length: 20_000 }, (_, i) =>
      tx(`t${String(19_999 - i).padStart(5, '0')}`, {
        date: `2027-01-${String((i % 28) + 1).padStart(2, '0')}`,
        quantity: '1.25',
        unitPrice: '99.99',
        tax: i % 3 === 0 ? VAT9 : VAT21,
      }),
    );
    const a = draft(runInput({ transactions }));
    expect(a.details).toHaveLength(20_000);
    const b = draft(runInput({ transactions: [...transactions].reverse() }));
    expect(b).toEqual(a);
    // Commands on a big draft.
    const edited = editDetail(a, { detailId: 't:t00000', quantity: '1' }, ctx).invoice;
    const recalculated = recalculate(edited, {}, ctx).invoice;
    const issued = send(recalculated, { number: 'INV-2027-000001' }, ctx);
    expect(issued.effects.billedTransactions).toHaveLength(20_000);
  });
});
