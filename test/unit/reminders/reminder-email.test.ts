import { describe, expect, it } from 'vitest';
import { defaultReminderPlan, lateInterest } from '../../../functions/domain/index.ts';
import { composeReminderMessage } from '../../../functions/reminders/reminder-email.ts';

const invoice = {
  id: 'inv-1',
  number: 'INV-2026-000042',
  issueDate: '2026-09-01',
  dueDate: '2026-10-01',
  currency: 'EUR',
  customer: { name: 'Havenbedrijf', address: '', email: 'a@example.com', taxId: 'NL812345678B01', language: 'nl' },
  billTo: { name: 'Havenbedrijf Rotterdam N.V.', address: '', email: 'a@example.com' },
};
const firm = { name: 'Polder Advies B.V.', iban: 'NL91ABNA0417164300' };

describe('the reminder e-mail', () => {
  it('fills the level text and states the open amount, the account and the payment reference', () => {
    const message = composeReminderMessage({
      invoice: { ...invoice, paymentReference: 'RF18539007547034' },
      firm,
      level: defaultReminderPlan.levels[0]!,
      final: false,
      openAmount: 123_456,
      daysOverdue: 7,
      date: '2026-10-08',
      lateInterest: null,
    });
    expect(message.subject).toBe('Herinnering: factuur INV-2026-000042 van Polder Advies B.V.');
    expect(message.text).toContain('Beste Havenbedrijf Rotterdam N.V.,');
    expect(message.text).toContain('Openstaand bedrag: € 1.234,56');
    expect(message.text).toContain('Betalingskenmerk: RF18539007547034');
    expect(message.text).toContain('NL91ABNA0417164300');
    expect(message.text).not.toMatch(/\{[a-zA-Z]+\}/);
  });

  it('uses the invoice number as reference when the invoice has no payment reference', () => {
    const message = composeReminderMessage({
      invoice: { ...invoice, customer: { ...invoice.customer, language: 'en' } },
      firm,
      level: defaultReminderPlan.levels[1]!,
      final: false,
      openAmount: 100,
      daysOverdue: 21,
      date: '2026-10-22',
      lateInterest: null,
    });
    expect(message.subject).toBe('Second reminder: invoice INV-2026-000042 from Polder Advies B.V.');
    expect(message.text).toContain('Payment reference: INV-2026-000042');
    expect(message.text).toContain('now 21 days past its due date');
  });

  it('states interest per period, the EUR 40 and the total on the final notice', () => {
    const interest = lateInterest(1_000_000, '2026-06-01', '2026-07-06');
    const message = composeReminderMessage({
      invoice,
      firm,
      level: defaultReminderPlan.levels[2]!,
      final: true,
      openAmount: 1_000_000,
      daysOverdue: 35,
      date: '2026-07-06',
      lateInterest: interest,
    });
    expect(interest.periods).toHaveLength(2);
    expect(message.text).toContain('Wettelijke handelsrente');
    expect(message.text).toContain('29 dagen tegen 10,15%');
    expect(message.text).toContain('6 dagen tegen 10,15%');
    expect(message.text).toContain('Vaste vergoeding voor invorderingskosten: € 40,00');
    const total = (1_000_000 + interest.interest + 4000) / 100;
    expect(message.text).toContain(
      `Totaal nu verschuldigd: € ${total.toLocaleString('nl-NL', { minimumFractionDigits: 2 })}`,
    );
  });
});
