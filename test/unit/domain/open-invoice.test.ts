import { describe, expect, it } from 'vitest';
import { isOpenForReminders, isOpenInvoice, takesPaymentIn } from '../../../functions/domain/index.ts';

/** The one "open invoice" rule: payments, bank-statement proposals, the open-invoice indexes and reminders use it. */
const header = (overrides: Partial<{ kind: 'invoice' | 'credit_note'; status: string; balance: number }> = {}) => ({
  kind: overrides.kind ?? ('invoice' as const),
  status: overrides.status ?? 'issued',
  totals: { balance: overrides.balance ?? 1 },
  currency: 'EUR',
  dueDate: '2026-11-30',
});

describe('an open invoice', () => {
  it('is an issued or partly paid invoice still owed money', () => {
    expect(isOpenInvoice(header())).toBe(true);
    expect(isOpenInvoice(header({ status: 'partially_paid' }))).toBe(true);
    for (const status of ['building', 'draft', 'in_review', 'paid', 'cancelled', 'discarded'])
      expect(isOpenInvoice(header({ status })), status).toBe(false);
    expect(isOpenInvoice(header({ balance: 0 }))).toBe(false);
    expect(isOpenInvoice(header({ balance: -1 }))).toBe(false);
    expect(isOpenInvoice(header({ kind: 'credit_note' }))).toBe(false);
  });

  it('takes payments in its own currency only, and gets reminders only with a due date', () => {
    expect(takesPaymentIn(header(), 'EUR')).toBe(true);
    expect(takesPaymentIn(header(), 'USD')).toBe(false);
    expect(takesPaymentIn(header({ status: 'paid' }), 'EUR')).toBe(false);
    type Reminded = Parameters<typeof isOpenForReminders>[0];
    const issued = { ...header(), status: 'issued' } as unknown as Reminded;
    expect(isOpenForReminders(issued)).toBe(true);
    expect(isOpenForReminders({ ...issued, dueDate: null })).toBe(false);
  });
});
