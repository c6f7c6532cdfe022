import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { fromMajor, type Invoice } from '../../../functions/domain/index.ts';
import {
  PEPPOL_CUSTOMIZATION_ID,
  PEPPOL_PROFILE_ID,
  renderInvoiceUbl,
  unitCode,
} from '../../../functions/documents/invoice-ubl.ts';
import { dutchInvoice, firm, fullCreditNote, largeInvoice, reverseChargeInvoice, yenInvoice } from './fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: parsed XML of any shape; each test reads the paths it checks
type Node = Record<string, any>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) =>
    ['InvoiceLine', 'CreditNoteLine', 'TaxSubtotal', 'TaxTotal', 'Note', 'BillingReference', 'PaymentMeans'].includes(
      name,
    ),
});

function parse(xml: string): { root: Node; kind: 'Invoice' | 'CreditNote' } {
  const doc = parser.parse(xml) as Node;
  if (doc.Invoice !== undefined) return { root: doc.Invoice as Node, kind: 'Invoice' };
  return { root: doc.CreditNote as Node, kind: 'CreditNote' };
}

/** An amount element: its text in minor units, after checking its currencyID. */
function minor(node: Node | undefined, currency: string): number {
  expect(node, 'amount element').toBeDefined();
  expect(node!['@currencyID']).toBe(currency);
  return fromMajor(node!['#text'] as string, currency);
}

/** The EN 16931 sum rules, checked against the domain's totals (sign: -1 for credit notes, which are positive in UBL). */
function checkTotals(root: Node, lineTag: 'InvoiceLine' | 'CreditNoteLine', invoice: Invoice, sign: 1 | -1): void {
  const c = invoice.currency;
  const signed = (n: number): number => sign * n || 0; // no -0
  const lines = root[lineTag] as Node[];
  expect(lines).toHaveLength(invoice.details.length);
  const lineSum = lines.reduce((sum, l) => sum + minor(l.LineExtensionAmount, c), 0);
  const totals = root.LegalMonetaryTotal as Node;
  expect(minor(totals.LineExtensionAmount, c)).toBe(lineSum);
  expect(lineSum).toBe(signed(invoice.totals.net));
  expect(minor(totals.TaxExclusiveAmount, c)).toBe(signed(invoice.totals.net));
  expect(minor(totals.TaxInclusiveAmount, c)).toBe(signed(invoice.totals.total));
  expect(minor(totals.PayableAmount, c)).toBe(signed(invoice.totals.total));
  const taxTotal = (root.TaxTotal as Node[])[0]!;
  expect(root.TaxTotal).toHaveLength(1);
  expect(minor(taxTotal.TaxAmount, c)).toBe(signed(invoice.totals.tax));
  const subtotals = taxTotal.TaxSubtotal as Node[];
  expect(subtotals.reduce((sum, s) => sum + minor(s.TaxAmount, c), 0)).toBe(signed(invoice.totals.tax));
  expect(subtotals.reduce((sum, s) => sum + minor(s.TaxableAmount, c), 0)).toBe(signed(invoice.totals.net));
  // one subtotal per rate group, same net and tax
  expect(subtotals).toHaveLength(invoice.totals.taxes.length);
  for (const g of invoice.totals.taxes) {
    const category = g.category === 'AA' ? 'S' : g.category;
    const s = subtotals.find((x) => x.TaxCategory.ID === category && x.TaxCategory.Percent === g.rate);
    expect(s, `subtotal ${g.key}`).toBeDefined();
    expect(minor(s!.TaxableAmount, c)).toBe(signed(g.net));
    expect(minor(s!.TaxAmount, c)).toBe(signed(g.tax));
    expect(s!.TaxCategory.TaxScheme.ID).toBe('VAT');
  }
  // each line: net = quantity x price within rounding, price >= 0 (BR-27)
  for (const [i, l] of lines.entries()) {
    const d = invoice.details[i]!;
    expect(minor(l.LineExtensionAmount, c)).toBe(signed(d.net));
    expect(Number((l.Price as Node).PriceAmount['#text'])).toBeGreaterThanOrEqual(0);
    expect((l.Item as Node).ClassifiedTaxCategory.ID).toBe(d.tax.category === 'AA' ? 'S' : d.tax.category);
  }
}

describe('UBL e-invoice (Peppol BIS Billing 3.0)', () => {
  it('Dutch invoice: header, parties, payment, totals equal to the invoice', async () => {
    const invoice = dutchInvoice();
    const xml = await renderInvoiceUbl(invoice, firm);
    const { root, kind } = parse(xml);
    expect(kind).toBe('Invoice');
    expect(root.CustomizationID).toBe(PEPPOL_CUSTOMIZATION_ID);
    expect(root.ProfileID).toBe(PEPPOL_PROFILE_ID);
    expect(root.ID).toBe('INV-2027-000001');
    expect(root.IssueDate).toBe('2027-02-01');
    expect(root.DueDate).toBe('2027-02-15');
    expect(root.InvoiceTypeCode).toBe('380');
    expect(root.DocumentCurrencyCode).toBe('EUR');
    expect(root.BuyerReference).toBe('PO-4711');
    expect(root.InvoicePeriod).toEqual({ StartDate: '2027-01-05', EndDate: '2027-01-20' });

    const seller = root.AccountingSupplierParty.Party as Node;
    expect(seller.EndpointID).toEqual({ '#text': '12345678', '@schemeID': '0106' });
    expect(seller.PartyName.Name).toBe('Polder Advies B.V.');
    expect(seller.PostalAddress).toMatchObject({
      StreetName: 'Keizersgracht 123',
      CityName: 'Amsterdam',
      PostalZone: '1015 CJ',
      Country: { IdentificationCode: 'NL' },
    });
    expect(seller.PartyTaxScheme).toEqual({ CompanyID: 'NL859999999B01', TaxScheme: { ID: 'VAT' } });
    expect(seller.PartyLegalEntity).toEqual({
      RegistrationName: 'Polder Advies B.V.',
      CompanyID: { '#text': '12345678', '@schemeID': '0106' },
    });

    const buyer = root.AccountingCustomerParty.Party as Node;
    expect(buyer.EndpointID).toEqual({ '#text': '87654321', '@schemeID': '0106' });
    expect(buyer.PartyLegalEntity).toEqual({
      RegistrationName: 'Bakkerij De Molen B.V.',
      CompanyID: { '#text': '87654321', '@schemeID': '0106' },
    });
    expect(buyer.PostalAddress).toMatchObject({
      StreetName: 'Dorpsstraat 1',
      CityName: 'Utrecht',
      PostalZone: '3511 AB',
      Country: { IdentificationCode: 'NL' },
    });
    expect(buyer.PartyTaxScheme).toEqual({ CompanyID: 'NL001234567B01', TaxScheme: { ID: 'VAT' } });

    const payment = (root.PaymentMeans as Node[])[0]!;
    expect(payment.PaymentMeansCode['#text']).toBe('58');
    expect(payment.PaymentID).toBe('INV-2027-000001');
    expect(payment.PayeeFinancialAccount.ID).toBe('NL91ABNA0417164300');

    checkTotals(root, 'InvoiceLine', invoice, 1);
    const subtotals = (root.TaxTotal as Node[])[0]!.TaxSubtotal as Node[];
    expect(
      subtotals.map((s) => [s.TaxCategory.ID, s.TaxCategory.Percent, s.TaxableAmount['#text'], s.TaxAmount['#text']]),
    ).toEqual([
      ['S', '9', '37.05', '3.33'],
      ['S', '21', '2235.90', '469.54'],
    ]);
    expect(root.LegalMonetaryTotal.TaxInclusiveAmount['#text']).toBe('2745.82');

    const lines = root.InvoiceLine as Node[];
    expect(lines[0]!.InvoicedQuantity).toEqual({ '#text': '7.5', '@unitCode': 'HUR' });
    expect(lines[0]!.Price.PriceAmount['#text']).toBe('95');
    expect(lines[1]!.InvoicedQuantity['@unitCode']).toBe('H87');
    // complimentary: quantity kept, price 0, net 0, waived value in a note
    expect(lines[2]!.InvoicedQuantity['#text']).toBe('2');
    expect(lines[2]!.LineExtensionAmount['#text']).toBe('0.00');
    expect(lines[2]!.Price.PriceAmount['#text']).toBe('0');
    expect(lines[2]!.Note).toEqual(['Complimentary: value 190.00 EUR waived']);
    expect(lines[4]!.Item.Name).toBe('Milestone m1');
    expect(lines[4]!.InvoicedQuantity['@unitCode']).toBe('C62');
  });

  it('reverse charge: category AE at 0% with exemption reason, both VAT numbers, buyer endpoint by VAT', async () => {
    const invoice = reverseChargeInvoice();
    const { root } = parse(await renderInvoiceUbl(invoice, firm));
    checkTotals(root, 'InvoiceLine', invoice, 1);
    const subtotal = ((root.TaxTotal as Node[])[0]!.TaxSubtotal as Node[])[0]!;
    expect(subtotal.TaxCategory).toEqual({
      ID: 'AE',
      Percent: '0',
      TaxExemptionReasonCode: 'VATEX-EU-AE',
      TaxExemptionReason: 'Reverse charge',
      TaxScheme: { ID: 'VAT' },
    });
    expect(subtotal.TaxAmount['#text']).toBe('0.00');
    expect(subtotal.TaxableAmount['#text']).toBe('1200.00');
    const buyer = root.AccountingCustomerParty.Party as Node;
    expect(buyer.EndpointID).toEqual({ '#text': 'BE0123456789', '@schemeID': '9925' });
    expect(buyer.PartyTaxScheme.CompanyID).toBe('BE0123456789');
    expect(buyer.PostalAddress).toMatchObject({
      CityName: 'Brussel',
      PostalZone: '1000',
      Country: { IdentificationCode: 'BE' },
    });
    expect(root.AccountingSupplierParty.Party.PartyTaxScheme.CompanyID).toBe('NL859999999B01');
    expect((root.InvoiceLine as Node[])[0]!.Item.ClassifiedTaxCategory).toEqual({
      ID: 'AE',
      Percent: '0',
      TaxScheme: { ID: 'VAT' },
    });
    expect(root.Note).toHaveLength(1);
    expect(root.Note[0]).toContain('Reverse charge: VAT to be accounted for by the customer');
  });

  it('JPY: amounts without decimals', async () => {
    const invoice = yenInvoice();
    const { root } = parse(await renderInvoiceUbl(invoice, firm));
    checkTotals(root, 'InvoiceLine', invoice, 1);
    expect(root.DocumentCurrencyCode).toBe('JPY');
    expect(root.LegalMonetaryTotal.TaxInclusiveAmount).toEqual({ '#text': '44812', '@currencyID': 'JPY' });
  });

  it('credit note: CreditNote 381 with positive amounts and a BillingReference to the invoice', async () => {
    const { invoice, creditNote } = fullCreditNote();
    const xml = await renderInvoiceUbl(creditNote, firm, {
      creditFor: { number: invoice.number!, issueDate: invoice.issueDate },
    });
    const { root, kind } = parse(xml);
    expect(kind).toBe('CreditNote');
    expect(root.ID).toBe('CN-2027-000001');
    expect(root.IssueDate).toBe('2027-02-10');
    expect(root.CreditNoteTypeCode).toBe('381');
    expect(root.BillingReference).toEqual([
      { InvoiceDocumentReference: { ID: 'INV-2027-000001', IssueDate: '2027-02-01' } },
    ]);
    checkTotals(root, 'CreditNoteLine', creditNote, -1);
    expect(root.LegalMonetaryTotal.PayableAmount['#text']).toBe('2745.82');
    const lines = root.CreditNoteLine as Node[];
    expect(lines[0]!.CreditedQuantity).toEqual({ '#text': '7.5', '@unitCode': 'HUR' });
    expect(lines[0]!.LineExtensionAmount['#text']).toBe('712.50');
  });

  it('is deterministic', async () => {
    const a = await renderInvoiceUbl(dutchInvoice(), firm);
    const b = await renderInvoiceUbl(dutchInvoice(), firm);
    expect(a).toBe(b);
  });

  it('sums hold on a larger invoice too', { timeout: 60_000 }, async () => {
    const invoice = largeInvoice(1_000);
    const { root } = parse(await renderInvoiceUbl(invoice, firm));
    checkTotals(root, 'InvoiceLine', invoice, 1);
  });

  it('maps units', () => {
    expect(unitCode('hour')).toBe('HUR');
    expect(unitCode('day')).toBe('DAY');
    expect(unitCode('pcs')).toBe('H87');
    expect(unitCode('km')).toBe('KMT');
    expect(unitCode('milestone')).toBe('C62');
    expect(unitCode('whatever')).toBe('C62');
  });

  it('item name: the first 200 characters, never half a character; the whole text in Description', () => {
    const base = dutchInvoice();
    const long = `${'a'.repeat(199)}😀 and the quote reference OFF-2027-0042 after it`;
    const short = `${'b'.repeat(199)}😀`; // 200 characters, 201 UTF-16 code units
    const details = base.details.map((d, i) => ({
      ...d,
      printedDescription: i === 0 ? long : i === 1 ? short : d.printedDescription,
    }));
    const { root } = parse(renderInvoiceUbl({ ...base, details }, firm));
    const [first, second] = root.InvoiceLine as Node[];
    expect(first!.Item.Name).toBe(`${'a'.repeat(199)}😀`);
    expect(first!.Item.Description).toBe(long);
    expect(second!.Item.Name).toBe(short);
    expect(second!.Item.Description).toBeUndefined();
  });
});
