/**
 * The pre-issue check: everything the PDF and the e-invoice need from a draft, checked before the issue transaction
 * takes a number (rules section 4: nothing gets a number that cannot be delivered). Pure and light: no PDF or XML
 * library, so the Send path can run it first. What it passes, both renderers render (property-tested).
 *
 * Whether an e-invoice (UBL) goes with the PDF is decided here too, from data only:
 * - the customer needs an electronic address (its Peppol id, or an EU VAT number, whose national scheme is used);
 * - EN 16931 allows at most 2 decimals on amounts (BR-DEC-*): currencies with 3 minor digits (BHD, KWD, ...) get none.
 * Without one, the e-mail carries the PDF alone and the delivery records why.
 */
import {
  COUNTRY_CODES,
  currencyExponent,
  effectiveElectronicAddress,
  isEuVatNumber,
  ValidationFailed,
  type ElectronicAddress,
  type Invoice,
  type TaxCategory,
} from '../domain/index.ts';
import { firmElectronicAddress, firmPostalAddress, type FirmProfile } from './firm.ts';
import { isXmlText } from './xml.ts';

export type EInvoiceDecision =
  | { readonly send: true; readonly buyerEndpoint: ElectronicAddress }
  | { readonly send: false; readonly reason: string };

/** Whether the invoice (draft or issued) gets a UBL e-invoice, and if not, why. */
export function eInvoiceDecision(invoice: Invoice): EInvoiceDecision {
  if (currencyExponent(invoice.currency) > 2)
    return {
      send: false,
      reason: `EN 16931 allows at most 2 decimals on amounts; ${invoice.currency} has ${currencyExponent(invoice.currency)}: the PDF is the invoice`,
    };
  const endpoint = effectiveElectronicAddress(invoice.customer.electronicAddress, invoice.customer.taxId);
  if (endpoint === null)
    return {
      send: false,
      reason:
        'the customer has no electronic address (Peppol participant id) and no EU VAT number: the PDF is the invoice',
    };
  return { send: true, buyerEndpoint: endpoint };
}

/**
 * The buyer reference the e-invoice sends (BT-10): the draft's buyer reference, else its purchase-order number;
 * blank counts as absent, and an internal id never stands in. The check and the UBL use this one rule.
 */
export function buyerReferenceOf(invoice: Pick<Invoice, 'buyerReference' | 'poNumber'>): string | null {
  for (const reference of [invoice.buyerReference, invoice.poNumber])
    if (reference !== null && reference !== undefined && reference.trim() !== '') return reference;
  return null;
}

/** The VAT categories for which EN 16931 requires the seller's VAT identifier (BR-S/Z/E/AE/IC/G-02). */
const SELLER_VAT_REQUIRED: ReadonlySet<TaxCategory> = new Set(['S', 'AA', 'Z', 'E', 'AE', 'K', 'G']);

function text(value: string | null | undefined, field: string): void {
  if (value !== null && value !== undefined && !isXmlText(value))
    throw new ValidationFailed(field, 'holds a character that documents cannot carry');
}

/**
 * Throws ValidationFailed (422, naming the field or detail) when the draft's documents could not be made or
 * delivered. Run before the number is taken; changes nothing.
 */
export function checkBeforeIssue(invoice: Invoice, firm: FirmProfile): EInvoiceDecision {
  const customer = invoice.customer;
  if (!customer.postalAddress)
    throw new ValidationFailed(
      'address',
      'the customer has only a free-text address: an admin completes its structured postal address before sending',
    );
  const firmAddress = firmPostalAddress(firm);
  if (!COUNTRY_CODES.has(firmAddress.country))
    throw new ValidationFailed('firm.address.country', 'the firm needs an ISO 3166-1 country');
  if (firmAddress.postalCode === null || firmAddress.lines.length === 0)
    throw new ValidationFailed('firm.address', 'the firm needs a street and postcode (NL-R-002)');
  if (!/^\d{8}$/.test(firm.chamberOfCommerce) && !firm.electronicAddress)
    throw new ValidationFailed('firm.chamberOfCommerce', 'the firm needs a KvK number of 8 digits (NL-R-003)');
  currencyExponent(invoice.currency);
  for (const [field, value] of [
    ['billTo.name', invoice.billTo.name],
    ['poNumber', invoice.poNumber],
    ['buyerReference', invoice.buyerReference],
    ['notes', invoice.notes],
    ['customer.name', customer.name],
  ] as const)
    text(value, field);
  for (const [i, line] of customer.postalAddress.lines.entries()) text(line, `address.lines[${i}]`);

  const categories = new Set(invoice.details.map((d) => d.tax.category));
  invoice.details.forEach((d, i) => {
    text(d.printedDescription, `details[${i}].printedDescription`);
    if (d.tax.category === 'O' && categories.size > 1)
      throw new ValidationFailed(
        `details[${i}].tax.category`,
        'a detail outside the scope of VAT (O) cannot share an invoice with other VAT categories (BR-O-11): invoice them apart',
      );
    if ((d.tax.category === 'AE' || d.tax.category === 'K') && !(customer.taxId && isEuVatNumber(customer.taxId)))
      throw new ValidationFailed(
        'customer.taxId',
        `detail ${d.id}: ${d.tax.category === 'AE' ? 'reverse charge' : 'an intra-community supply'} needs the customer's EU VAT number (BR-AE-02, BR-IC-02)`,
      );
    if (SELLER_VAT_REQUIRED.has(d.tax.category) && !firm.vatNumber)
      throw new ValidationFailed(
        'firm.vatNumber',
        `detail ${d.id}: VAT category ${d.tax.category} needs the firm's VAT number`,
      );
  });
  firmElectronicAddress(firm);

  const decision = eInvoiceDecision(invoice);
  if (decision.send) {
    if (buyerReferenceOf(invoice) === null)
      throw new ValidationFailed(
        'buyerReference',
        'an e-invoice needs the buyer reference or a purchase-order number (PEPPOL-EN16931-R003): set one on the project or the draft',
      );
  }
  return decision;
}
