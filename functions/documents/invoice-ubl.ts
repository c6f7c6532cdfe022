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
import type { IsoDate } from '../domain/dates.ts';
import type { Invoice, PostalAddress } from '../domain/index.ts';
import { currencyExponent, type MinorUnits } from '../domain/money.ts';
import { firmElectronicAddress, firmPostalAddress, type FirmProfile } from './firm.ts';
import { minorToDecimal, supplyPeriod } from './format.ts';
import { buyerReferenceOf, eInvoiceDecision } from './pre-issue-check.ts';
import { cac, cbc, taxScheme, taxTotal, ublLines } from './ubl-lines.ts';
import { el, xmlDocument, type XmlChild, type XmlNode } from './xml.ts';

export { EXEMPTION, ublCategory, unitCode } from './ubl-lines.ts';

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

type Money = (name: string, minor: MinorUnits) => XmlChild;
type EInvoice = Extract<ReturnType<typeof eInvoiceDecision>, { send: true }>;

/** Renders an issued invoice or credit note as a UBL 2.1 XML string (Peppol BIS Billing 3.0). */
export function renderInvoiceUbl(invoice: Invoice, firm: FirmProfile, options: InvoiceUblOptions = {}): string {
  if (invoice.number === null || invoice.issueDate === null || invoice.dueDate === null) {
    throw new Error(`invoice ${invoice.id} is not issued: only issued documents are rendered`);
  }
  const decision = eInvoiceDecision(invoice);
  if (!decision.send) throw new Error(`invoice ${invoice.id} has no e-invoice: ${decision.reason}`);
  const buyerAddress = invoice.customer.postalAddress;
  if (!buyerAddress) throw new Error(`invoice ${invoice.id}: the customer has no structured postal address`);
  const credit = invoice.kind === 'credit_note';
  const sign = credit ? -1 : 1;
  const exponent = currencyExponent(invoice.currency);
  const money: Money = (name, minor) =>
    el(`cbc:${name}`, { currencyID: invoice.currency }, minorToDecimal(sign * minor || 0, exponent));
  const allOutOfScope = invoice.details.length > 0 && invoice.details.every((d) => d.tax.category === 'O');
  const root = el(
    credit ? 'CreditNote' : 'Invoice',
    { xmlns: credit ? NS_CREDIT_NOTE : NS_INVOICE, 'xmlns:cac': NS_CAC, 'xmlns:cbc': NS_CBC },
    documentHeader(invoice, options),
    supplierParty(firm, allOutOfScope),
    customerParty(invoice, decision, buyerAddress, allOutOfScope),
    invoice.totals.taxes.some((g) => g.category === 'K')
      ? cac(
          'Delivery',
          cac('DeliveryLocation', cac('Address', cac('Country', cbc('IdentificationCode', buyerAddress.country)))),
        )
      : null,
    credit ? null : payment(invoice, firm, options),
    taxTotal(invoice, money),
    cac(
      'LegalMonetaryTotal',
      money('LineExtensionAmount', invoice.totals.net),
      money('TaxExclusiveAmount', invoice.totals.net),
      money('TaxInclusiveAmount', invoice.totals.total),
      money('PayableAmount', invoice.totals.total),
    ),
    ublLines(invoice),
  );
  return xmlDocument(root);
}

/** The document's identity, dates, note, currency, references and period (BT-1 to BT-25). */
function documentHeader(invoice: Invoice, options: InvoiceUblOptions): XmlChild[] {
  const credit = invoice.kind === 'credit_note';
  const p = supplyPeriod(invoice.details);
  const creditNumber = options.creditFor?.number ?? invoice.creditFor ?? '';
  const notes = [
    ...(invoice.notes !== null && invoice.notes !== '' ? [invoice.notes] : []),
    ...(invoice.totals.taxes.some((g) => g.category === 'AE')
      ? ['Reverse charge: VAT to be accounted for by the customer']
      : []),
    ...(credit ? [`Credit note for invoice ${creditNumber}`] : []),
  ];
  return [
    cbc('CustomizationID', PEPPOL_CUSTOMIZATION_ID),
    cbc('ProfileID', PEPPOL_PROFILE_ID),
    cbc('ID', invoice.number),
    cbc('IssueDate', invoice.issueDate),
    credit ? null : cbc('DueDate', invoice.dueDate),
    cbc(credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode', credit ? '381' : '380'),
    notes.length > 0 ? cbc('Note', notes.join('\n')) : null,
    cbc('DocumentCurrencyCode', invoice.currency),
    cbc('BuyerReference', buyerReferenceOf(invoice)),
    p !== null ? cac('InvoicePeriod', cbc('StartDate', p.from), cbc('EndDate', p.to)) : null,
    invoice.poNumber !== null && invoice.poNumber.trim() !== ''
      ? cac('OrderReference', cbc('ID', invoice.poNumber))
      : null,
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
  ];
}

/** The seller (BG-4): the firm, its endpoint, address, VAT number (unless all out of scope), KvK, contact. */
function supplierParty(firm: FirmProfile, allOutOfScope: boolean): XmlNode {
  const endpoint = firmElectronicAddress(firm);
  return cac(
    'AccountingSupplierParty',
    cac(
      'Party',
      el('cbc:EndpointID', { schemeID: endpoint.scheme }, endpoint.identifier),
      cac('PartyName', cbc('Name', firm.name)),
      postalAddress(firmPostalAddress(firm)),
      allOutOfScope ? null : cac('PartyTaxScheme', cbc('CompanyID', firm.vatNumber), taxScheme()),
      cac(
        'PartyLegalEntity',
        cbc('RegistrationName', firm.name),
        el('cbc:CompanyID', { schemeID: '0106' }, firm.chamberOfCommerce),
      ),
      cac('Contact', cbc('Name', firm.name), cbc('Telephone', firm.phone), cbc('ElectronicMail', firm.email)),
    ),
  );
}

/** The buyer (BG-7): its endpoint, the bill-to name, address, VAT number and legal id where the rules allow them. */
function customerParty(
  invoice: Invoice,
  decision: EInvoice,
  buyerAddress: PostalAddress,
  allOutOfScope: boolean,
): XmlNode {
  const customer = invoice.customer;
  const customerVat = !allOutOfScope && customer.taxId !== null && customer.taxId !== '' ? customer.taxId : null;
  // NL-R-005: a Dutch customer's legal id is only ever a KvK or OIN number.
  const buyerLegalId =
    customer.electronicAddress &&
    (buyerAddress.country !== 'NL' || ['0106', '0190'].includes(customer.electronicAddress.scheme)) &&
    !/^99/.test(customer.electronicAddress.scheme)
      ? customer.electronicAddress
      : null;
  return cac(
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
  );
}

/** How an invoice is paid (BG-16, BT-20): SEPA credit transfer to the firm's account, with the payment reference. */
function payment(invoice: Invoice, firm: FirmProfile, options: InvoiceUblOptions): XmlChild[] {
  return [
    cac(
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
    cac('PaymentTerms', cbc('Note', `Payment within ${invoice.paymentTermsDays} days, by ${invoice.dueDate}`)),
  ];
}
