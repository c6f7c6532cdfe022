/**
 * The e-invoice: UBL 2.1 Invoice (380) or CreditNote (381), Peppol BIS Billing 3.0 / EN 16931, generated with
 * @e-invoice-eu/core from its "ubl:Invoice" JSON (validated against its JSON schema; it renames to CreditNote itself).
 * Amounts come straight from the domain's minor units (string conversion, no floats), so the document totals equal
 * the invoice totals to the cent and the EN 16931 sum rules hold by construction:
 *   LineExtensionAmount = sum of line nets = totals.net = TaxExclusiveAmount; TaxInclusiveAmount = total;
 *   TaxAmount = sum of TaxSubtotal tax = totals.tax (each rate group rounded once, as the domain does).
 * Credit notes: the domain stores negated details; a UBL CreditNote carries positive amounts, so everything is negated.
 * Deterministic: no dates or ids other than the invoice's own.
 *
 * Adopted (see also the report in the module README):
 * - Seller endpoint and legal id: the KvK number, EAS/ICD 0106 (how Dutch Peppol participants are usually registered;
 *   also what the Dutch CIUS rule NL-R-003 asks for the legal entity id).
 * - Buyer endpoint: the VAT number under its national EAS (e.g. 9944 NL, 9925 BE, 9930 DE) when the customer has one
 *   with a known prefix; otherwise the invoice e-mail address under EAS "EM".
 * - Our category AA (reduced rate) is not in the EN 16931 code list: it is sent as S with its own percent.
 * - Complimentary details: a line with the quantity, price 0 and net 0, and a line note naming the waived value.
 * - A negative unit price (not allowed in EN 16931, BR-27) is sent as a positive price with the quantity negated.
 * - PayableAmount is the total at issue (PrepaidAmount omitted): the document is the issued snapshot, so later
 *   payments never change its bytes.
 */
import { InvoiceService, type Invoice as EInvoice } from '@e-invoice-eu/core';
import Big from 'big.js';
import type { IsoDate } from '../domain/dates.ts';
import type { Invoice } from '../domain/invoice.ts';
import { compareDecimal, currencyExponent, negateDecimal, type Decimal, type MinorUnits } from '../domain/money.ts';
import type { TaxCategory } from '../domain/tax.ts';
import type { FirmProfile } from './firm.ts';
import { minorToDecimal, supplyPeriod } from './format.ts';

export interface InvoiceUblOptions {
  /** Credit notes: the number (and issue date) of the corrected invoice, for BillingReference (BT-25, BT-26). */
  readonly creditFor?: { readonly number: string; readonly issueDate?: IsoDate | null };
  /** Issued invoices: the structured payment reference (PaymentMeans/PaymentID, BT-83); else the number. */
  readonly paymentReference?: string;
}

export const PEPPOL_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

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

/** Peppol EAS codes of national VAT numbers, by VAT prefix (GR numbers start with EL). */
const VAT_EAS: Readonly<Record<string, string>> = {
  AD: '9922',
  AL: '9923',
  AT: '9914',
  BA: '9924',
  BE: '9925',
  BG: '9926',
  CH: '9927',
  CY: '9928',
  CZ: '9929',
  DE: '9930',
  EE: '9931',
  GB: '9932',
  EL: '9933',
  HR: '9934',
  IE: '9935',
  LI: '9936',
  LT: '9937',
  LU: '9938',
  LV: '9939',
  MC: '9940',
  ME: '9941',
  MK: '9942',
  MT: '9943',
  NL: '9944',
  PL: '9945',
  PT: '9946',
  RO: '9947',
  RS: '9948',
  SI: '9949',
  SK: '9950',
  SM: '9951',
  TR: '9952',
  VA: '9953',
  FR: '9957',
  HU: '9910',
  ES: '9920',
};

/** VAT exemption reasons (BT-120/121) for the zero categories that need one (BR-AE-10, BR-E-10, BR-IC-10, ...). */
const EXEMPTION: Partial<Record<TaxCategory, { code?: string; text: string }>> = {
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

const silentLogger = { log: (): void => {}, warn: (): void => {}, error: (): void => {} };

interface ParsedAddress {
  street?: string;
  additional?: string;
  postalZone?: string;
  city?: string;
  country: string;
}

const POSTAL_CITY =
  /^(\d{4}\s?[A-Z]{2}|[A-Z]{1,2}-?\d{3,5}|\d{3,5}(?:-\d{3,4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\s+(.+)$/;

/**
 * The customer snapshot holds a free-text address ("street\npostcode city[\nCC]"). Adopted: the first line is the
 * street, a line "postcode city" gives both, a last line of two capitals is the country; otherwise the country is
 * taken from the VAT number's prefix, else the firm's country.
 */
export function parseAddress(address: string, taxId: string | null, fallbackCountry: string): ParsedAddress {
  const lines = address
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  let country: string | undefined;
  const last = lines[lines.length - 1];
  if (last !== undefined && /^[A-Z]{2}$/.test(last) && lines.length > 1) {
    country = last;
    lines.pop();
  }
  if (country === undefined && taxId !== null && /^[A-Z]{2}/.test(taxId)) {
    const prefix = taxId.slice(0, 2);
    country = prefix === 'EL' ? 'GR' : prefix;
  }
  const result: ParsedAddress = { country: country ?? fallbackCountry };
  const rest: string[] = [];
  for (const [i, line] of lines.entries()) {
    const match = i > 0 && result.city === undefined ? POSTAL_CITY.exec(line) : null;
    if (match !== null) {
      result.postalZone = match[1]!;
      result.city = match[2]!;
    } else if (i === 0) result.street = line;
    else rest.push(line);
  }
  if (rest.length > 0) result.additional = rest.join(', ');
  if (result.city === undefined && rest.length > 0) {
    result.city = rest[rest.length - 1]!;
    rest.pop();
    result.additional = rest.length > 0 ? rest.join(', ') : undefined;
    if (result.additional === undefined) delete result.additional;
  }
  return result;
}

/** Renders an issued invoice or credit note as a UBL 2.1 XML string (Peppol BIS Billing 3.0). */
export async function renderInvoiceUbl(
  invoice: Invoice,
  firm: FirmProfile,
  options: InvoiceUblOptions = {},
): Promise<string> {
  return new InvoiceService(silentLogger).generate(invoiceUblData(invoice, firm, options), {
    format: 'UBL',
    lang: 'en-us',
    noWarnings: true,
  }) as Promise<string>;
}

/** The @e-invoice-eu/core input ("ubl:Invoice" JSON) for an issued invoice or credit note. */
export function invoiceUblData(invoice: Invoice, firm: FirmProfile, options: InvoiceUblOptions = {}): EInvoice {
  if (invoice.number === null || invoice.issueDate === null || invoice.dueDate === null) {
    throw new Error(`invoice ${invoice.id} is not issued: only issued documents are rendered`);
  }
  const credit = invoice.kind === 'credit_note';
  const sign = credit ? -1 : 1;
  const currency = invoice.currency;
  const exponent = currencyExponent(currency);
  const amount = (minor: MinorUnits): string => minorToDecimal(sign * minor || 0, exponent);
  const signed = (value: Decimal): Decimal => (credit ? negateDecimal(value) : value);

  const lines = invoice.details.map((d, i) => {
    let quantity = signed(d.quantity);
    let price: Decimal = d.unitPrice;
    if (compareDecimal(price, '0') < 0) {
      price = negateDecimal(price);
      quantity = negateDecimal(quantity);
    }
    const complimentary = d.billingType === 'complimentary';
    const category = ublCategory(d.tax.category);
    return {
      'cbc:ID': String(i + 1),
      ...(complimentary
        ? { 'cbc:Note': `Complimentary: value ${minorToDecimal(Math.abs(d.waived), exponent)} ${currency} waived` }
        : {}),
      'cbc:InvoicedQuantity': quantity,
      'cbc:InvoicedQuantity@unitCode': unitCode(d.unit),
      'cbc:LineExtensionAmount': amount(d.net),
      'cbc:LineExtensionAmount@currencyID': currency,
      'cac:InvoicePeriod': { 'cbc:StartDate': d.date, 'cbc:EndDate': d.date },
      'cac:Item': {
        'cbc:Name': d.printedDescription.slice(0, 200) || d.type,
        'cac:SellersItemIdentification': { 'cbc:ID': d.id },
        'cac:ClassifiedTaxCategory': {
          'cbc:ID': category,
          'cbc:Percent': normalizeRate(d.tax.rate),
          'cac:TaxScheme': { 'cbc:ID': 'VAT' },
        },
      },
      'cac:Price': { 'cbc:PriceAmount': complimentary ? '0' : price, 'cbc:PriceAmount@currencyID': currency },
    };
  });

  // VAT breakdown per (EN 16931 category, rate); AA and S groups of one rate merge (they never both occur in practice).
  const subtotals = new Map<
    string,
    { category: string; rate: string; net: number; tax: number; exemption?: { code?: string; text: string } }
  >();
  for (const g of invoice.totals.taxes) {
    const category = ublCategory(g.category);
    const rate = normalizeRate(g.rate);
    const key = `${category}|${rate}`;
    const s = subtotals.get(key);
    if (s === undefined)
      subtotals.set(key, {
        category,
        rate,
        net: g.net,
        tax: g.tax,
        ...(EXEMPTION[g.category] ? { exemption: EXEMPTION[g.category]! } : {}),
      });
    else {
      s.net += g.net;
      s.tax += g.tax;
    }
  }

  const customer = invoice.customer;
  const address = parseAddress(invoice.billTo.address, customer.taxId, firm.address.country);
  const vatPrefix = customer.taxId?.slice(0, 2) ?? '';
  const buyerEndpoint =
    customer.taxId !== null && customer.taxId !== '' && Object.hasOwn(VAT_EAS, vatPrefix)
      ? { 'cbc:EndpointID': customer.taxId, 'cbc:EndpointID@schemeID': VAT_EAS[vatPrefix]! }
      : { 'cbc:EndpointID': invoice.billTo.email ?? customer.email ?? '', 'cbc:EndpointID@schemeID': 'EM' };
  const p = supplyPeriod(invoice.details);
  const notes = [
    ...(invoice.notes !== null && invoice.notes !== '' ? [invoice.notes] : []),
    ...(invoice.totals.taxes.some((g) => g.category === 'AE')
      ? ['Reverse charge: VAT to be accounted for by the customer']
      : []),
    ...(credit ? [`Credit note for invoice ${options.creditFor?.number ?? invoice.creditFor ?? ''}`] : []),
  ];
  const buyerReference = invoice.poNumber !== null && invoice.poNumber !== '' ? invoice.poNumber : invoice.projectId;

  const data = {
    'ubl:Invoice': {
      'cbc:CustomizationID': PEPPOL_CUSTOMIZATION_ID,
      'cbc:ProfileID': PEPPOL_PROFILE_ID,
      'cbc:ID': invoice.number,
      'cbc:IssueDate': invoice.issueDate,
      'cbc:DueDate': invoice.dueDate,
      'cbc:InvoiceTypeCode': credit ? '381' : '380',
      ...(notes.length > 0 ? { 'cbc:Note': notes } : {}),
      'cbc:DocumentCurrencyCode': currency,
      'cbc:BuyerReference': buyerReference,
      ...(p !== null ? { 'cac:InvoicePeriod': { 'cbc:StartDate': p.from, 'cbc:EndDate': p.to } } : {}),
      ...(invoice.poNumber !== null && invoice.poNumber !== ''
        ? { 'cac:OrderReference': { 'cbc:ID': invoice.poNumber } }
        : {}),
      ...(credit
        ? {
            'cac:BillingReference': [
              {
                'cac:InvoiceDocumentReference': {
                  'cbc:ID': options.creditFor?.number ?? invoice.creditFor ?? '',
                  ...(options.creditFor?.issueDate ? { 'cbc:IssueDate': options.creditFor.issueDate } : {}),
                },
              },
            ],
          }
        : {}),
      'cac:AccountingSupplierParty': {
        'cac:Party': {
          'cbc:EndpointID': firm.chamberOfCommerce,
          'cbc:EndpointID@schemeID': '0106',
          'cac:PartyName': { 'cbc:Name': firm.name },
          'cac:PostalAddress': {
            'cbc:StreetName': firm.address.line1,
            ...(firm.address.line2 ? { 'cbc:AdditionalStreetName': firm.address.line2 } : {}),
            'cbc:CityName': firm.address.city,
            'cbc:PostalZone': firm.address.postalCode,
            'cac:Country': { 'cbc:IdentificationCode': firm.address.country },
          },
          'cac:PartyTaxScheme': [{ 'cbc:CompanyID': firm.vatNumber, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } }],
          'cac:PartyLegalEntity': {
            'cbc:RegistrationName': firm.name,
            'cbc:CompanyID': firm.chamberOfCommerce,
            'cbc:CompanyID@schemeID': '0106',
          },
          'cac:Contact': {
            'cbc:Name': firm.name,
            ...(firm.phone ? { 'cbc:Telephone': firm.phone } : {}),
            'cbc:ElectronicMail': firm.email,
          },
        },
      },
      'cac:AccountingCustomerParty': {
        'cac:Party': {
          ...buyerEndpoint,
          'cac:PartyName': { 'cbc:Name': invoice.billTo.name },
          'cac:PostalAddress': {
            ...(address.street !== undefined ? { 'cbc:StreetName': address.street } : {}),
            ...(address.additional !== undefined ? { 'cbc:AdditionalStreetName': address.additional } : {}),
            ...(address.city !== undefined ? { 'cbc:CityName': address.city } : {}),
            ...(address.postalZone !== undefined ? { 'cbc:PostalZone': address.postalZone } : {}),
            'cac:Country': { 'cbc:IdentificationCode': address.country },
          },
          ...(customer.taxId !== null && customer.taxId !== ''
            ? { 'cac:PartyTaxScheme': { 'cbc:CompanyID': customer.taxId, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } } }
            : {}),
          'cac:PartyLegalEntity': { 'cbc:RegistrationName': customer.name },
          ...(invoice.billTo.email ? { 'cac:Contact': { 'cbc:ElectronicMail': invoice.billTo.email } } : {}),
        },
      },
      ...(credit
        ? {}
        : {
            'cac:PaymentMeans': [
              {
                'cbc:PaymentMeansCode': '58',
                'cbc:PaymentMeansCode@name': 'SEPA credit transfer',
                'cbc:PaymentID': options.paymentReference ?? invoice.number,
                'cac:PayeeFinancialAccount': {
                  'cbc:ID': firm.iban,
                  'cbc:Name': firm.name,
                  ...(firm.bic ? { 'cac:FinancialInstitutionBranch': { 'cbc:ID': firm.bic } } : {}),
                },
              },
            ],
            'cac:PaymentTerms': {
              'cbc:Note': `Payment within ${invoice.paymentTermsDays} days, by ${invoice.dueDate}`,
            },
          }),
      'cac:TaxTotal': [
        {
          'cbc:TaxAmount': amount(invoice.totals.tax),
          'cbc:TaxAmount@currencyID': currency,
          'cac:TaxSubtotal': [...subtotals.values()].map((s) => ({
            'cbc:TaxableAmount': amount(s.net),
            'cbc:TaxableAmount@currencyID': currency,
            'cbc:TaxAmount': amount(s.tax),
            'cbc:TaxAmount@currencyID': currency,
            'cac:TaxCategory': {
              'cbc:ID': s.category,
              'cbc:Percent': s.rate,
              ...(s.exemption?.code !== undefined ? { 'cbc:TaxExemptionReasonCode': s.exemption.code } : {}),
              ...(s.exemption !== undefined ? { 'cbc:TaxExemptionReason': s.exemption.text } : {}),
              'cac:TaxScheme': { 'cbc:ID': 'VAT' },
            },
          })),
        },
      ],
      'cac:LegalMonetaryTotal': {
        'cbc:LineExtensionAmount': amount(invoice.totals.net),
        'cbc:LineExtensionAmount@currencyID': currency,
        'cbc:TaxExclusiveAmount': amount(invoice.totals.net),
        'cbc:TaxExclusiveAmount@currencyID': currency,
        'cbc:TaxInclusiveAmount': amount(invoice.totals.total),
        'cbc:TaxInclusiveAmount@currencyID': currency,
        'cbc:PayableAmount': amount(invoice.totals.total),
        'cbc:PayableAmount@currencyID': currency,
      },
      'cac:InvoiceLine': lines,
    },
  };
  return data as unknown as EInvoice;
}
