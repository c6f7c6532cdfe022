/**
 * The e-invoice: UBL 2.1 Invoice (380) or CreditNote (381), Peppol BIS Billing 3.0 / EN 16931, written by our own
 * small serializer (xml.ts): elements in the UBL 2.1 schema's order, every text escaped, same bytes every time.
 * Amounts come straight from the domain's minor units (string conversion, no floats), so the document totals equal
 * the invoice totals to the cent and the EN 16931 sum rules hold by construction:
 *   LineExtensionAmount = sum of line nets = totals.net = TaxExclusiveAmount; TaxInclusiveAmount = total;
 *   TaxAmount = sum of TaxSubtotal tax = totals.tax (each rate group rounded once, as the domain does).
 * Unit prices (BT-146) and quantities (BT-129) keep their up to 4 decimals: EN 16931 limits amounts only.
 * Credit notes: the domain stores negated details; a UBL CreditNote carries positive amounts, so everything is negated.
 *
 * Adopted (see also the module README):
 * - Endpoints from the parties' electronic addresses (Peppol EAS); a customer without one is reached under its EU VAT
 *   number's national scheme; without either there is no e-invoice (pre-issue-check.ts decides, this refuses).
 * - Our category AA (reduced rate) is not in the EN 16931 code list: it is sent as S with its own percent.
 * - O (outside the scope of VAT): no Percent, no seller or buyer VAT identifier (BR-O-02, BR-O-05, BR-O-09).
 * - One document-level note (PEPPOL-EN16931-R002): the invoice's notes and the legal mentions, merged.
 * - Complimentary details: a line with the quantity, price 0 and net 0, and a line note naming the waived value.
 * - A negative unit price (not allowed in EN 16931, BR-27) is sent as a positive price with the quantity negated.
 * - PayableAmount is the total at issue (PrepaidAmount omitted): the document is the issued snapshot.
 */
import Big from 'big.js';
import type { IsoDate } from '../domain/dates.ts';
import type { Invoice, PostalAddress } from '../domain/index.ts';
import { compareDecimal, currencyExponent, negateDecimal, type Decimal, type MinorUnits } from '../domain/money.ts';
import type { TaxCategory } from '../domain/tax.ts';
import { firmElectronicAddress, firmPostalAddress, type FirmProfile } from './firm.ts';
import { minorToDecimal, supplyPeriod } from './format.ts';
import { eInvoiceDecision } from './pre-issue-check.ts';
import { el, xmlDocument, type XmlChild, type XmlNode } from './xml.ts';

export interface InvoiceUblOptions {
  /** Credit notes: the number (and issue date) of the corrected invoice, for BillingReference (BT-25, BT-26). */
  readonly creditFor?: { readonly number: string; readonly issueDate?: IsoDate | null };
  /** Issued invoices: the structured payment reference (PaymentMeans/PaymentID, BT-83); else the number. */
  readonly paymentReference?: string;
}

export const PEPPOL_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const NS_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const NS_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
const NS_CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
const NS_CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';

/** UN/ECE Recommendation 20 unit codes for our units; default C62 ("one"). */
const UNIT_CODES: Readonly<Record<string, string>> = {
  hour: 'HUR',
  hours: 'HUR',
  h: 'HUR',
  day: 'DAY',
  days: 'DAY',
  week: 'WEE',
  month: 'MON',
  piece: 'H87',
  pcs: 'H87',
  km: 'KMT',
};

export function unitCode(unit: string): string {
  return Object.hasOwn(UNIT_CODES, unit) ? UNIT_CODES[unit]! : 'C62';
}

/** VAT exemption reasons (BT-120/121) for the categories that need one (BR-AE-10, BR-E-10, BR-IC-10, BR-G-10, BR-O-10). */
export const EXEMPTION: Partial<Record<TaxCategory, { readonly code?: string; readonly text: string }>> = {
  AE: { code: 'VATEX-EU-AE', text: 'Reverse charge' },
  E: { text: 'Exempt from VAT' },
  K: { code: 'VATEX-EU-IC', text: 'Intra-Community supply' },
  G: { code: 'VATEX-EU-G', text: 'Export outside the EU' },
  O: { code: 'VATEX-EU-O', text: 'Not subject to VAT' },
};

/** EN 16931 category (BT-118/BT-151) of a domain category: AA is not in the code list, reduced rates are S. */
export function ublCategory(category: TaxCategory): Exclude<TaxCategory, 'AA'> {
  return category === 'AA' ? 'S' : category;
}

/** Canonical percent string: "21.0" -> "21", "5.50" -> "5.5". */
function normalizeRate(rate: string): string {
  return new Big(rate).toFixed();
}

/** Canonical decimal (no trailing zeros, no "-0"): quantities and prices keep every significant decimal. */
function canonical(value: Decimal): string {
  const fixed = new Big(value).toFixed();
  return fixed === '-0' ? '0' : fixed;
}

const cbc = (name: string, value: string | null | undefined, attributes?: Record<string, string>): XmlChild =>
  value === null || value === undefined || value === '' ? null : el(`cbc:${name}`, attributes ?? null, value);
const cac = (name: string, ...children: XmlChild[]): XmlNode => el(`cac:${name}`, null, ...children);

function postalAddress(address: PostalAddress, tag = 'PostalAddress'): XmlNode {
  const [street, additional, third] = address.lines;
  return cac(
    tag,
    cbc('StreetName', street),
    cbc('AdditionalStreetName', additional),
    cbc('CityName', address.city),
    cbc('PostalZone', address.postalCode),
    cbc('CountrySubentity', address.subdivision),
    third !== undefined ? cac('AddressLine', cbc('Line', third)) : null,
    cac('Country', cbc('IdentificationCode', address.country)),
  );
}

const taxScheme = (): XmlNode => cac('TaxScheme', cbc('ID', 'VAT'));

/** Renders an issued invoice or credit note as a UBL 2.1 XML string (Peppol BIS Billing 3.0). */
export function renderInvoiceUbl(invoice: Invoice, firm: FirmProfile, options: InvoiceUblOptions = {}): string {
  if (invoice.number === null || invoice.issueDate === null || invoice.dueDate === null) {
    throw new Error(`invoice ${invoice.id} is not issued: only issued documents are rendered`);
  }
  const decision = eInvoiceDecision(invoice);
  if (!decision.send) throw new Error(`invoice ${invoice.id} has no e-invoice: ${decision.reason}`);
  const credit = invoice.kind === 'credit_note';
  const sign = credit ? -1 : 1;
  const currency = invoice.currency;
  const exponent = currencyExponent(currency);
  const money = (name: string, minor: MinorUnits): XmlChild =>
    el(`cbc:${name}`, { currencyID: currency }, minorToDecimal(sign * minor || 0, exponent));
  const signed = (value: Decimal): Decimal => (credit ? negateDecimal(value) : value);
  const allOutOfScope = invoice.details.length > 0 && invoice.details.every((d) => d.tax.category === 'O');
  const customer = invoice.customer;
  const buyerAddress = customer.postalAddress;
  if (!buyerAddress) throw new Error(`invoice ${invoice.id}: the customer has no structured postal address`);
  const sellerAddress = firmPostalAddress(firm);
  const sellerEndpoint = firmElectronicAddress(firm);

  const lineTag = credit ? 'CreditNoteLine' : 'InvoiceLine';
  const quantityTag = credit ? 'CreditedQuantity' : 'InvoicedQuantity';
  const lines = invoice.details.map((d, i) => {
    let quantity = signed(d.quantity);
    let price: Decimal = d.unitPrice;
    if (compareDecimal(price, '0') < 0) {
      price = negateDecimal(price);
      quantity = negateDecimal(quantity);
    }
    const complimentary = d.billingType === 'complimentary';
    const category = ublCategory(d.tax.category);
    return cac(
      lineTag,
      cbc('ID', String(i + 1)),
      complimentary
        ? cbc('Note', `Complimentary: value ${minorToDecimal(Math.abs(d.waived), exponent)} ${currency} waived`)
        : null,
      el(`cbc:${quantityTag}`, { unitCode: unitCode(d.unit) }, canonical(quantity)),
      money('LineExtensionAmount', d.net),
      cac('InvoicePeriod', cbc('StartDate', d.date), cbc('EndDate', d.date)),
      cac(
        'Item',
        cbc('Description', d.printedDescription.length > 200 ? d.printedDescription : null),
        cbc('Name', d.printedDescription.slice(0, 200) || d.type),
        cac('SellersItemIdentification', cbc('ID', d.id)),
        cac(
          'ClassifiedTaxCategory',
          cbc('ID', category),
          category === 'O' ? null : cbc('Percent', normalizeRate(d.tax.rate)),
          taxScheme(),
        ),
      ),
      cac('Price', el('cbc:PriceAmount', { currencyID: currency }, complimentary ? '0' : canonical(price))),
    );
  });

  // VAT breakdown per (EN 16931 category, rate); AA and S groups of one rate merge.
  const subtotals = new Map<string, { category: Exclude<TaxCategory, 'AA'>; rate: string; net: number; tax: number }>();
  for (const g of invoice.totals.taxes) {
    const category = ublCategory(g.category);
    const rate = normalizeRate(g.rate);
    const key = `${category}|${rate}`;
    const s = subtotals.get(key);
    if (s === undefined) subtotals.set(key, { category, rate, net: g.net, tax: g.tax });
    else {
      s.net += g.net;
      s.tax += g.tax;
    }
  }

  const p = supplyPeriod(invoice.details);
  const creditNumber = options.creditFor?.number ?? invoice.creditFor ?? '';
  const notes = [
    ...(invoice.notes !== null && invoice.notes !== '' ? [invoice.notes] : []),
    ...(invoice.totals.taxes.some((g) => g.category === 'AE')
      ? ['Reverse charge: VAT to be accounted for by the customer']
      : []),
    ...(credit ? [`Credit note for invoice ${creditNumber}`] : []),
  ];
  const buyerReference =
    invoice.buyerReference !== null && invoice.buyerReference !== undefined && invoice.buyerReference !== ''
      ? invoice.buyerReference
      : invoice.poNumber;
  const intraCommunity = invoice.totals.taxes.some((g) => g.category === 'K');
  const customerVat = !allOutOfScope && customer.taxId !== null && customer.taxId !== '' ? customer.taxId : null;
  // NL-R-005: a Dutch customer's legal id is only ever a KvK or OIN number.
  const buyerLegalId =
    customer.electronicAddress &&
    (buyerAddress.country !== 'NL' || ['0106', '0190'].includes(customer.electronicAddress.scheme)) &&
    !/^99/.test(customer.electronicAddress.scheme)
      ? customer.electronicAddress
      : null;

  const root = el(
    credit ? 'CreditNote' : 'Invoice',
    { xmlns: credit ? NS_CREDIT_NOTE : NS_INVOICE, 'xmlns:cac': NS_CAC, 'xmlns:cbc': NS_CBC },
    cbc('CustomizationID', PEPPOL_CUSTOMIZATION_ID),
    cbc('ProfileID', PEPPOL_PROFILE_ID),
    cbc('ID', invoice.number),
    cbc('IssueDate', invoice.issueDate),
    credit ? null : cbc('DueDate', invoice.dueDate),
    cbc(credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode', credit ? '381' : '380'),
    notes.length > 0 ? cbc('Note', notes.join('\n')) : null,
    cbc('DocumentCurrencyCode', currency),
    cbc('BuyerReference', buyerReference),
    p !== null ? cac('InvoicePeriod', cbc('StartDate', p.from), cbc('EndDate', p.to)) : null,
    invoice.poNumber !== null && invoice.poNumber !== '' ? cac('OrderReference', cbc('ID', invoice.poNumber)) : null,
    credit
      ? cac(
          'BillingReference',
          cac(
            'InvoiceDocumentReference',
            cbc('ID', creditNumber),
            cbc('IssueDate', options.creditFor?.issueDate ?? null),
          ),
        )
      : null,
    cac(
      'AccountingSupplierParty',
      cac(
        'Party',
        el('cbc:EndpointID', { schemeID: sellerEndpoint.scheme }, sellerEndpoint.identifier),
        cac('PartyName', cbc('Name', firm.name)),
        postalAddress(sellerAddress),
        allOutOfScope ? null : cac('PartyTaxScheme', cbc('CompanyID', firm.vatNumber), taxScheme()),
        cac(
          'PartyLegalEntity',
          cbc('RegistrationName', firm.name),
          el('cbc:CompanyID', { schemeID: '0106' }, firm.chamberOfCommerce),
        ),
        cac('Contact', cbc('Name', firm.name), cbc('Telephone', firm.phone), cbc('ElectronicMail', firm.email)),
      ),
    ),
    cac(
      'AccountingCustomerParty',
      cac(
        'Party',
        el('cbc:EndpointID', { schemeID: decision.buyerEndpoint.scheme }, decision.buyerEndpoint.identifier),
        cac('PartyName', cbc('Name', invoice.billTo.name)),
        postalAddress(buyerAddress),
        customerVat !== null ? cac('PartyTaxScheme', cbc('CompanyID', customerVat), taxScheme()) : null,
        cac(
          'PartyLegalEntity',
          cbc('RegistrationName', customer.name),
          buyerLegalId ? el('cbc:CompanyID', { schemeID: buyerLegalId.scheme }, buyerLegalId.identifier) : null,
        ),
        invoice.billTo.email ? cac('Contact', cbc('ElectronicMail', invoice.billTo.email)) : null,
      ),
    ),
    intraCommunity
      ? cac(
          'Delivery',
          cac('DeliveryLocation', cac('Address', cac('Country', cbc('IdentificationCode', buyerAddress.country)))),
        )
      : null,
    credit
      ? null
      : cac(
          'PaymentMeans',
          el('cbc:PaymentMeansCode', { name: 'SEPA credit transfer' }, '58'),
          cbc('PaymentID', options.paymentReference ?? invoice.number),
          cac(
            'PayeeFinancialAccount',
            cbc('ID', firm.iban),
            cbc('Name', firm.name),
            firm.bic ? cac('FinancialInstitutionBranch', cbc('ID', firm.bic)) : null,
          ),
        ),
    credit
      ? null
      : cac('PaymentTerms', cbc('Note', `Payment within ${invoice.paymentTermsDays} days, by ${invoice.dueDate}`)),
    cac(
      'TaxTotal',
      money('TaxAmount', invoice.totals.tax),
      [...subtotals.values()].map((s) => {
        const exemption = EXEMPTION[s.category];
        return cac(
          'TaxSubtotal',
          money('TaxableAmount', s.net),
          money('TaxAmount', s.tax),
          cac(
            'TaxCategory',
            cbc('ID', s.category),
            s.category === 'O' ? null : cbc('Percent', s.rate),
            cbc('TaxExemptionReasonCode', exemption?.code),
            cbc('TaxExemptionReason', exemption?.text),
            taxScheme(),
          ),
        );
      }),
    ),
    cac(
      'LegalMonetaryTotal',
      money('LineExtensionAmount', invoice.totals.net),
      money('TaxExclusiveAmount', invoice.totals.net),
      money('TaxInclusiveAmount', invoice.totals.total),
      money('PayableAmount', invoice.totals.total),
    ),
    lines,
  );
  return xmlDocument(root);
}
