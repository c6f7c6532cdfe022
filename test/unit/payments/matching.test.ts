import { describe, expect, it } from 'vitest';
import { belgianReference, creditorReference, formatBelgianReference } from '../../../functions/domain/index.ts';
import { matchEntry, type MatchingPorts } from '../../../functions/payments/matching.ts';

const rf1 = creditorReference('INV2026000001');
const rf2 = creditorReference('INV2026000002');
const be3 = belgianReference('2026000003');

/** Invoices 1 (open, 100.00), 2 (paid), 3 (open, Belgian, 250.00) and 4 (open, 100.00) of customers a, a, b, c. */
function ports(open: Record<string, { customer: string; balance: number }>): MatchingPorts {
  const refs: Record<string, { invoiceId: string; customerId: string }> = {
    [rf1]: { invoiceId: 'i1', customerId: 'a' },
    [rf2]: { invoiceId: 'i2', customerId: 'a' },
    [be3]: { invoiceId: 'i3', customerId: 'b' },
  };
  return {
    invoiceOfReference: async (r) => refs[r],
    isOpen: async (id, currency) => currency === 'EUR' && id in open,
    customersOfDebtor: async (name, iban) => [
      ...(name?.toLowerCase() === 'acme bv' ? ['a'] : []),
      ...(iban === 'NL02RABO0123456789' ? ['c'] : []),
    ],
    openInvoicesWithBalance: async (customer, _currency, balance) =>
      Object.entries(open)
        .filter(([, i]) => i.customer === customer && i.balance === balance)
        .map(([id]) => id),
  };
}
const standard = ports({
  i1: { customer: 'a', balance: 10000 },
  i3: { customer: 'b', balance: 25000 },
  i4: { customer: 'c', balance: 10000 },
});
const entry = (extra: Partial<Parameters<typeof matchEntry>[0]>) => ({
  minor: 10000,
  currency: 'EUR',
  structuredReferences: [],
  unstructured: '',
  debtorName: null,
  debtorIban: null,
  ...extra,
});

describe('matching a credit entry', () => {
  it('1. a structured reference naming an open invoice pays it', async () => {
    expect(await matchEntry(entry({ structuredReferences: [rf1.toLowerCase()] }), standard)).toMatchObject({
      kind: 'payment',
      invoiceId: 'i1',
      matchedBy: 'structured',
    });
    expect(await matchEntry(entry({ structuredReferences: [formatBelgianReference(be3)] }), standard)).toMatchObject({
      kind: 'payment',
      invoiceId: 'i3',
    });
  });

  it('2. else a reference in the text pays', async () => {
    expect(
      await matchEntry(entry({ unstructured: `Betaling ${formatBelgianReference(be3)}` }), standard),
    ).toMatchObject({
      kind: 'payment',
      invoiceId: 'i3',
      matchedBy: 'unstructured',
    });
    expect(
      await matchEntry(entry({ structuredReferences: [rf2], unstructured: `zie ook INV-2026-000001` }), standard),
    ).toMatchObject({ kind: 'payment', invoiceId: 'i1', matchedBy: 'unstructured' });
  });

  it('3. else amount and debtor on exactly one open invoice of one customer is a proposal', async () => {
    expect(await matchEntry(entry({ debtorName: 'ACME BV' }), standard)).toEqual({
      kind: 'proposed',
      invoiceId: 'i1',
      customerId: 'a',
    });
    expect(await matchEntry(entry({ debtorIban: 'NL02RABO0123456789' }), standard)).toMatchObject({ invoiceId: 'i4' });
    // Two candidates (two customers, or two invoices of one): no proposal.
    expect(await matchEntry(entry({ debtorName: 'acme bv', debtorIban: 'NL02RABO0123456789' }), standard)).toEqual({
      kind: 'unmatched',
    });
    const twoOfOne = ports({ i1: { customer: 'a', balance: 10000 }, i5: { customer: 'a', balance: 10000 } });
    expect(await matchEntry(entry({ debtorName: 'acme bv' }), twoOfOne)).toEqual({ kind: 'unmatched' });
    expect(await matchEntry(entry({ debtorName: 'acme bv', minor: 9999 }), standard)).toEqual({ kind: 'unmatched' });
  });

  it('4. a reference to a settled invoice keeps the money on its customer; 5. else unmatched', async () => {
    expect(await matchEntry(entry({ structuredReferences: [rf2] }), standard)).toEqual({
      kind: 'unapplied',
      invoiceId: 'i2',
      customerId: 'a',
      reference: rf2,
    });
    expect(await matchEntry(entry({ unstructured: 'RF00 1234 nothing', debtorName: 'someone' }), standard)).toEqual({
      kind: 'unmatched',
    });
    expect(await matchEntry(entry({ structuredReferences: ['RF18539007547034'] }), standard)).toEqual({
      kind: 'unmatched',
    });
  });
});
