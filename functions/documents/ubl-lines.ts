/**
 * The UBL's invoice lines and VAT breakdown (BG-25, BG-23), from the issued details and rate groups: quantities and
 * unit prices with every significant decimal (up to 4), amounts in the currency's minor units (see invoice-ubl.ts).
 */
import Big from 'big.js';
import type { Invoice } from '../domain/index.ts';
import { compareDecimal, currencyExponent, negateDecimal, type Decimal, type MinorUnits } from '../domain/money.ts';
import type { TaxCategory } from '../domain/tax.ts';
import { minorToDecimal } from './format.ts';
import { el, type XmlChild, type XmlNode } from './xml.ts';

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
export function normalizeRate(rate: string): string {
  return new Big(rate).toFixed();
}

/** Canonical decimal (no trailing zeros, no "-0"): quantities and prices keep every significant decimal. */
export function canonical(value: Decimal): string {
  const fixed = new Big(value).toFixed();
  return fixed === '-0' ? '0' : fixed;
}

export const cbc = (name: string, value: string | null | undefined, attributes?: Record<string, string>): XmlChild =>
  value === null || value === undefined || value === '' ? null : el(`cbc:${name}`, attributes ?? null, value);
export const cac = (name: string, ...children: XmlChild[]): XmlNode => el(`cac:${name}`, null, ...children);

export const taxScheme = (): XmlNode => cac('TaxScheme', cbc('ID', 'VAT'));

/** The item name (BT-153): the printed description's first 200 characters, never cutting a character in two. */
function itemName(description: string): string {
  const chars = Array.from(description);
  return chars.length > 200 ? chars.slice(0, 200).join('') : description;
}

/** One InvoiceLine / CreditNoteLine per detail; credit notes (negated details in the domain) carry positive amounts. */
export function ublLines(invoice: Invoice): XmlNode[] {
  const credit = invoice.kind === 'credit_note';
  const sign = credit ? -1 : 1;
  const currency = invoice.currency;
  const exponent = currencyExponent(currency);
  const money = (name: string, minor: MinorUnits): XmlChild =>
    el(`cbc:${name}`, { currencyID: currency }, minorToDecimal(sign * minor || 0, exponent));
  const signed = (value: Decimal): Decimal => (credit ? negateDecimal(value) : value);
  const lineTag = credit ? 'CreditNoteLine' : 'InvoiceLine';
  const quantityTag = credit ? 'CreditedQuantity' : 'InvoicedQuantity';
  return invoice.details.map((d, i) => {
    let quantity = signed(d.quantity);
    let price: Decimal = d.unitPrice;
    if (compareDecimal(price, '0') < 0) {
      price = negateDecimal(price);
      quantity = negateDecimal(quantity);
    }
    const complimentary = d.billingType === 'complimentary';
    const category = ublCategory(d.tax.category);
    // PEPPOL-EN16931-R120: net = quantity x price within 0.02. A currency without decimals rounds a fractional
    // quantity's net by up to 0.5 (1.2345 h x JPY 95 = 117): then the price is stated for the whole quantity
    // (PriceAmount = net per BaseQuantity = quantity), which is exactly true.
    const netMajor = new Big(minorToDecimal(sign * d.net || 0, exponent));
    const wholeLine =
      !complimentary &&
      compareDecimal(quantity, '0') !== 0 &&
      new Big(quantity).times(price).minus(netMajor).abs().gt('0.01');
    const unit = unitCode(d.unit);
    return cac(
      lineTag,
      cbc('ID', String(i + 1)),
      complimentary
        ? cbc('Note', `Complimentary: value ${minorToDecimal(Math.abs(d.waived), exponent)} ${currency} waived`)
        : null,
      el(`cbc:${quantityTag}`, { unitCode: unit }, canonical(quantity)),
      money('LineExtensionAmount', d.net),
      cac('InvoicePeriod', cbc('StartDate', d.date), cbc('EndDate', d.date)),
      cac(
        'Item',
        cbc('Description', itemName(d.printedDescription) !== d.printedDescription ? d.printedDescription : null),
        cbc('Name', itemName(d.printedDescription) || d.type),
        cac('SellersItemIdentification', cbc('ID', d.id)),
        cac(
          'ClassifiedTaxCategory',
          cbc('ID', category),
          category === 'O' ? null : cbc('Percent', normalizeRate(d.tax.rate)),
          taxScheme(),
        ),
      ),
      wholeLine
        ? cac(
            'Price',
            el('cbc:PriceAmount', { currencyID: currency }, canonical(netMajor.abs().toFixed())),
            el('cbc:BaseQuantity', { unitCode: unit }, canonical(new Big(quantity).abs().toFixed())),
          )
        : cac('Price', el('cbc:PriceAmount', { currencyID: currency }, complimentary ? '0' : canonical(price))),
    );
  });
}

/** The VAT breakdown (BG-23) per (EN 16931 category, rate); AA and S groups of one rate merge. */
export function taxTotal(invoice: Invoice, money: (name: string, minor: MinorUnits) => XmlChild): XmlNode {
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
  return cac(
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
  );
}
