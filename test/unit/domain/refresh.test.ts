import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  buildInvoice,
  refreshTransactions,
  send,
  type BuildInvoiceInput,
  type Invoice,
} from '../../../functions/domain/index.ts';
import { ctx, milestone, project, tx } from './fixtures.ts';

function draft(input: Partial<BuildInvoiceInput> = {}): Invoice {
  const result = buildInvoice({
    invoiceId: 'I1',
    origin: { kind: 'run' },
    project: project(),
    transactions: [tx('t1')],
    milestones: [milestone('m1')],
    runDate: '2027-02-01',
    cutOff: '2027-01-31',
    ...input,
  });
  if (result.outcome !== 'draft') throw new Error('expected draft');
  return result.invoice;
}

describe('refreshTransactions', () => {
  it('adds newly eligible items <= cut-off, never twice', () => {
    const d = draft();
    const command = {
      project: project(),
      transactions: [
        tx('t1', { reservedBy: 'I1' }),
        tx('late-approved', { date: '2026-12-01' }),
        tx('after', { date: '2027-02-01' }),
      ],
      milestones: [milestone('m1', { invoicedBy: 'I1' }), milestone('m2', { date: '2027-01-20' })],
    };
    const r = refreshTransactions(d, command, ctx);
    expect(r.invoice.details.map((x) => x.id)).toEqual(['t:late-approved', 't:t1', 'm:m1', 'm:m2']);
    expect(r.invoice.version).toBe(2);
    expect(r.effects.reservedTransactions).toEqual([{ id: 'late-approved', version: 1 }]);
    expect(r.effects.reservedMilestoneIds).toEqual(['m2']);
    expect(r.invoice.audit[0]?.after).toMatchObject({ added: ['t:late-approved', 'm:m2'] });
    const again = refreshTransactions(
      r.invoice,
      {
        ...command,
        transactions: command.transactions.map((t) => ({ ...t, reservedBy: t.id === 'after' ? null : 'I1' })),
      },
      ctx,
    );
    expect(again.invoice).toBe(r.invoice);
  });

  it('counts what the draft holds towards not-to-exceed', () => {
    const p = project({
      contractLines: [
        { id: 'CL1', description: 'T&M', billingMethod: 'time_and_material', notToExceed: 500_00 },
        { id: 'CL2', description: 'F', billingMethod: 'fixed_price' },
      ],
    });
    const d = draft({ project: p, milestones: [] });
    const r = refreshTransactions(
      d,
      {
        project: p,
        transactions: [tx('t2', { date: '2027-01-11' }), tx('t3', { date: '2027-01-12' })],
        milestones: [],
      },
      ctx,
    );
    expect(r.invoice.details.map((x) => x.id)).toEqual(['t:t1', 't:t2']);
    expect(r.invoice.excluded).toEqual([{ kind: 'transaction', id: 't3', reason: 'over_limit' }]);
    expect(r.effects.problems).toEqual([]);
  });

  it('keeps the manual filters of the request', () => {
    const d = draft({
      origin: { kind: 'manual', requestId: 'R1' },
      runDate: '2027-02-10',
      cutOff: '2027-02-05',
      filters: { transactionTypes: ['time'] },
    });
    const r = applyCommand(
      d,
      {
        command: 'refreshTransactions',
        project: project(),
        transactions: [tx('e1', { type: 'expense' }), tx('t2', { date: '2027-02-05' })],
        milestones: [],
      },
      ctx,
    );
    expect(r.invoice.details.map((x) => x.id)).toEqual(['t:t1', 'm:m1', 't:t2']);
  });

  it('refuses another project, another currency and issued invoices', () => {
    const d = draft();
    expect(() =>
      refreshTransactions(d, { project: project({ id: 'P2' }), transactions: [], milestones: [] }, ctx),
    ).toThrowError(expect.objectContaining({ field: 'project' }) as Error);
    expect(() =>
      refreshTransactions(d, { project: project({ currency: 'USD' }), transactions: [], milestones: [] }, ctx),
    ).toThrowError(expect.objectContaining({ name: 'CurrencyMismatch' }) as Error);
    const issued = send(d, { number: 'INV-2027-000001' }, ctx).invoice;
    expect(() =>
      refreshTransactions(issued, { project: project(), transactions: [], milestones: [] }, ctx),
    ).toThrowError(expect.objectContaining({ name: 'InvalidTransition' }) as Error);
  });
});
