/**
 * The EN 16931 / Peppol BIS 3.0 rules the official validators (CEN UBL XSLT 1.3.16, Peppol BIS Billing 3.0.19) found
 * broken on documents made through the API, each as a test of our own; plus the pre-issue check.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  creditNote,
  type CustomerSnapshot,
  type Invoice,
  type TaxRate,
  ValidationFailed,
} from '../../../functions/domain/index.ts';
import { renderInvoiceUbl } from '../../../functions/documents/invoice-ubl.ts';
import { checkBeforeIssue, eInvoiceDecision } from '../../../functions/documents/pre-issue-check.ts';
import { EAS_CODES } from '../../../functions/domain/addresses.ts';
import { belgianCustomer, ctx, dutchCustomer, firm, issued, project, reverseChargeInvoice, tx } from './fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed XML of any shape
type Node = Record<string, any>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ['InvoiceLine', 'CreditNoteLine', 'TaxSubtotal', 'Note', 'PartyTaxScheme'].includes(name),
});
const root = (xml: string): Node => {
  const doc = parser.parse(xml) as Node;
  return (doc.Invoice ?? doc.CreditNote) as Node;
};

const OUT_OF_SCOPE: TaxRate = { code: 'OUT', category: 'O', rate: '0' };
const usCustomer: CustomerSnapshot = {
  name: 'Harbor Analytics Inc.',
  address: '500 Boylston Street\nBoston, MA 02116\nUnited States',
  postalAddress: {
    lines: ['500 Boylston Street'],
    postalCode: '02116',
    city: 'Boston',
    subdivision: 'MA',
    country: 'US',
  },
  electronicAddress: { scheme: '0088', identifier: '4012345000009' },
  email: 'ap@harbor.example',
  taxId: null,
  language: 'en',
};

function usInvoice(): Invoice {
  return issued(
    project(usCustomer, { currency: 'USD' }),
    [
      tx('u1', { quantity: '3.3333', unitPrice: '95.1234', tax: OUT_OF_SCOPE }),
      tx('u2', { quantity: '1', unitPrice: '-10.5', tax: OUT_OF_SCOPE }),
    ],
    [],
    'INV-2027-000010',
    'inv-us',
  );
}

describe('rules the official validators found broken', () => {
  it('BR-O-02 / BR-O-05: an all-O invoice and its credit note carry no seller VAT id and no rate', () => {
    const invoice = usInvoice();
    const credit = creditNote(invoice, { creditNoteId: 'cn-us', number: 'CN-2027-000010', full: true }, ctx);
    for (const doc of [renderInvoiceUbl(invoice, firm), renderInvoiceUbl(credit.creditNote, firm)]) {
      const r = root(doc);
      expect(r.AccountingSupplierParty.Party.PartyTaxScheme).toBeUndefined();
      expect(r.AccountingCustomerParty.Party.PartyTaxScheme).toBeUndefined();
      for (const line of (r.InvoiceLine ?? r.CreditNoteLine) as Node[]) {
        expect(line.Item.ClassifiedTaxCategory.ID).toBe('O');
        expect(line.Item.ClassifiedTaxCategory.Percent).toBeUndefined();
      }
      const subtotal = (r.TaxTotal.TaxSubtotal as Node[])[0]!;
      expect(subtotal.TaxCategory.Percent).toBeUndefined();
      expect(subtotal.TaxCategory.TaxExemptionReasonCode).toBe('VATEX-EU-O');
    }
  });

  it('NL-R-004: the buyer address comes from the structured fields (a US customer is not Dutch)', () => {
    const address = root(renderInvoiceUbl(usInvoice(), firm)).AccountingCustomerParty.Party.PostalAddress;
    expect(address).toEqual({
      StreetName: '500 Boylston Street',
      CityName: 'Boston',
      PostalZone: '02116',
      CountrySubentity: 'MA',
      Country: { IdentificationCode: 'US' },
    });
  });

  it('PEPPOL-EN16931-CL008: endpoints only ever use a scheme of the EAS code list (never EM)', () => {
    for (const invoice of [usInvoice(), reverseChargeInvoice()]) {
      const r = root(renderInvoiceUbl(invoice, firm));
      for (const party of [r.AccountingSupplierParty.Party, r.AccountingCustomerParty.Party]) {
        expect(EAS_CODES.has(party.EndpointID['@schemeID'])).toBe(true);
      }
    }
    const consumer = issued(project({ ...dutchCustomer, electronicAddress: null, taxId: null, name: 'J. de Vries' }), [
      tx('c1'),
    ]);
    expect(eInvoiceDecision(consumer)).toMatchObject({ send: false });
    expect(() => renderInvoiceUbl(consumer, firm)).toThrow(/no e-invoice/);
  });

  it('PEPPOL-EN16931-R002: a reverse-charge credit note carries one document note', () => {
    const invoice = reverseChargeInvoice();
    const credit = creditNote(invoice, { creditNoteId: 'cn-rc', number: 'CN-2027-000002', full: true }, ctx);
    const r = root(renderInvoiceUbl(credit.creditNote, firm, { creditFor: { number: invoice.number! } }));
    expect(r.Note).toHaveLength(1);
    expect(r.Note[0]).toContain('Reverse charge');
    expect(r.Note[0]).toContain(`Credit note for invoice ${invoice.number}`);
  });

  it('BT-146 / BT-129: unit prices and quantities keep 4 decimals; amounts 2', () => {
    const line = (root(renderInvoiceUbl(usInvoice(), firm)).InvoiceLine as Node[])[0]!;
    expect(line.Price.PriceAmount['#text']).toBe('95.1234');
    expect(line.InvoicedQuantity['#text']).toBe('3.3333');
    expect(line.LineExtensionAmount['#text']).toBe('317.07');
  });

  it('PEPPOL-EN16931-R120: a JPY line with a fractional quantity states its price for the whole quantity', () => {
    const invoice = issued(project(dutchCustomer, { currency: 'JPY' }), [
      tx('j1', { quantity: '1.2345', unitPrice: '95' }),
    ]);
    const line = (root(renderInvoiceUbl(invoice, firm)).InvoiceLine as Node[])[0]!;
    expect(line.LineExtensionAmount['#text']).toBe('117');
    expect(line.Price.PriceAmount['#text']).toBe('117');
    expect(line.Price.BaseQuantity).toEqual({ '#text': '1.2345', '@unitCode': 'HUR' });
    const quantity = Number(line.InvoicedQuantity['#text']);
    expect(Math.abs((quantity * 117) / 1.2345 - 117)).toBeLessThanOrEqual(0.02);
  });

  it('BT-10: without a buyer reference or PO number, no internal id is sent in its place', () => {
    const invoice = issued(project(dutchCustomer, { buyerReference: null }), [tx('b1')]);
    expect(root(renderInvoiceUbl(invoice, firm)).BuyerReference).toBeUndefined();
    expect(() => checkBeforeIssue({ ...invoice, number: null }, firm)).toThrow(ValidationFailed);
  });

  it('BT-10: a blank buyer reference gives way to the PO number, in the check and in the UBL alike', () => {
    const base = issued(project(dutchCustomer, { buyerReference: null }), [tx('b2')]);
    for (const blank of ['', '   ']) {
      const invoice = { ...base, buyerReference: blank, poNumber: 'PO-991' };
      expect(checkBeforeIssue({ ...invoice, number: null }, firm)).toMatchObject({ send: true });
      expect(root(renderInvoiceUbl(invoice, firm)).BuyerReference).toBe('PO-991');
      const neither = { ...base, buyerReference: blank, poNumber: ' ' };
      expect(() => checkBeforeIssue({ ...neither, number: null }, firm)).toThrow(ValidationFailed);
    }
  });

  it('escapes & < > " and keeps € é', () => {
    const text = 'Café & <b>"Déjà vu"</b> € 5';
    const invoice = issued(project(dutchCustomer), [tx('e1', { printedDescription: text, description: text })]);
    const xml = renderInvoiceUbl({ ...invoice, notes: 'a & b < c' }, firm);
    expect(xml).toContain('Café &amp; &lt;b&gt;"Déjà vu"&lt;/b&gt; € 5');
    expect((root(xml).InvoiceLine as Node[])[0]!.Item.Name).toBe(text);
    expect(root(xml).Note[0]).toBe('a & b < c');
  });

  it('K: intra-community supply states the deliver-to country (BR-IC-12) and VATEX-EU-IC', () => {
    const r = root(
      renderInvoiceUbl(
        issued(project({ ...belgianCustomer, reverseCharge: false }), [
          tx('k1', { tax: { code: 'ICL', category: 'K', rate: '0' } }),
        ]),
        firm,
      ),
    );
    expect(r.Delivery.DeliveryLocation.Address.Country.IdentificationCode).toBe('BE');
    expect(r.TaxTotal.TaxSubtotal[0].TaxCategory.TaxExemptionReasonCode).toBe('VATEX-EU-IC');
  });
});

describe('pre-issue check', () => {
  const draft = (invoice: Invoice): Invoice => ({ ...invoice, number: null, issueDate: null, dueDate: null });

  it('refuses a customer with only a free-text address (field address)', () => {
    const { postalAddress: _p, ...legacy } = dutchCustomer;
    const invoice = draft(issued(project(legacy), [tx('a1')]));
    expect(() => checkBeforeIssue(invoice, firm)).toThrow(expect.objectContaining({ field: 'address' }));
  });

  it('refuses O mixed with other categories, naming the detail (BR-O-11)', () => {
    const invoice = draft(
      issued(project(usCustomer, { currency: 'USD' }), [tx('o1', { tax: OUT_OF_SCOPE }), tx('o2')]),
    );
    expect(() => checkBeforeIssue(invoice, firm)).toThrow(
      expect.objectContaining({ field: expect.stringMatching(/^details\[\d\]\.tax\.category$/) }),
    );
  });

  it('refuses reverse charge without an EU VAT number of the customer', () => {
    const invoice = draft(issued(project({ ...belgianCustomer, taxId: null }), [tx('r1')]));
    expect(() => checkBeforeIssue(invoice, firm)).toThrow(expect.objectContaining({ field: 'customer.taxId' }));
  });

  it('BHD and KWD: the PDF only, with the reason; JPY gets an e-invoice', () => {
    for (const currency of ['BHD', 'KWD']) {
      const invoice = draft(issued(project(dutchCustomer, { currency }), [tx('x1', { unitPrice: '12.345' })]));
      const decision = checkBeforeIssue(invoice, firm);
      expect(decision).toMatchObject({ send: false, reason: expect.stringContaining('2 decimals') });
    }
    const yen = draft(issued(project(dutchCustomer, { currency: 'JPY' }), [tx('y1', { unitPrice: '12345' })]));
    expect(checkBeforeIssue(yen, firm)).toMatchObject({ send: true });
  });

  it('a consumer without electronic address gets the PDF, and the reason', () => {
    const consumer = { ...dutchCustomer, electronicAddress: null, taxId: null, name: 'J. de Vries' };
    const invoice = draft(issued(project(consumer, { buyerReference: null }), [tx('c1')]));
    expect(checkBeforeIssue(invoice, firm)).toMatchObject({
      send: false,
      reason: expect.stringContaining('electronic address'),
    });
  });
});
