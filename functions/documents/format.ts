/**
 * Amounts, quantities and dates as printed on documents (PDF, e-mail), per document language.
 * Everything is string arithmetic on minor units and decimal strings: no floats, and no locale data for the digits,
 * so output does not change with the Node/ICU version. Intl is only asked for a currency's symbol.
 */
import { currencyExponent, type Decimal, type MinorUnits } from '../domain/money.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { InvoiceDetail } from '../domain/invoice.ts';

export type DocumentLanguage = 'nl' | 'en';

/** The customer's BCP 47 language to a document language: English for "en*", Dutch otherwise (the default). */
export function documentLanguage(language: string | null | undefined): DocumentLanguage {
  return typeof language === 'string' && /^en\b/i.test(language) ? 'en' : 'nl';
}

interface Separators {
  readonly group: string;
  readonly decimal: string;
}

const SEPARATORS: Readonly<Record<DocumentLanguage, Separators>> = {
  nl: { group: '.', decimal: ',' },
  en: { group: ',', decimal: '.' },
};

const LOCALE: Readonly<Record<DocumentLanguage, string>> = { nl: 'nl-NL', en: 'en-GB' };

const symbolCache = new Map<string, string>();

/** The currency symbol for the language ("€", "£", "US$", "JP¥", "CHF"); the ISO code if Intl does not know it. */
export function currencySymbol(currency: string, lang: DocumentLanguage): string {
  const key = `${lang}|${currency}`;
  let symbol = symbolCache.get(key);
  if (symbol === undefined) {
    try {
      const parts = new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency }).formatToParts(0);
      symbol = parts.find((p) => p.type === 'currency')?.value ?? currency;
    } catch {
      symbol = currency;
    }
    symbolCache.set(key, symbol);
  }
  return symbol;
}

function groupDigits(digits: string, separator: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
    out += digits[i];
  }
  return out;
}

/** Splits a decimal string ("-1234.5", "7", "0.0100") into sign, integer digits and fraction digits. */
function splitDecimal(value: string): { negative: boolean; int: string; frac: string } {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (match === null) throw new Error(`not a decimal string: ${value}`);
  const int = match[2]!.replace(/^0+(?=\d)/, '');
  const frac = match[3] ?? '';
  const negative = match[1] === '-' && /[1-9]/.test(int + frac);
  return { negative, int, frac };
}

/**
 * A decimal string with grouping, at least `minDecimals` and at most `maxDecimals` decimals (trailing zeros beyond
 * the minimum dropped; never rounds: more significant decimals than maxDecimals is an error).
 */
export function formatDecimal(value: Decimal, lang: DocumentLanguage, minDecimals = 0, maxDecimals = 4): string {
  const { negative, int, frac } = splitDecimal(value);
  let f = frac.replace(/0+$/, '');
  if (f.length > maxDecimals) throw new Error(`${value} has more than ${maxDecimals} decimals`);
  if (f.length < minDecimals) f = f.padEnd(minDecimals, '0');
  const sep = SEPARATORS[lang];
  return `${negative ? '-' : ''}${groupDigits(int, sep.group)}${f === '' ? '' : sep.decimal + f}`;
}

/** Minor units as a major-unit decimal string, by string operations: (123456, 2) -> "1234.56", (-5, 3) -> "-0.005". */
export function minorToDecimal(amount: MinorUnits, exponent: number): Decimal {
  if (!Number.isSafeInteger(amount)) throw new Error(`not a safe integer amount: ${amount}`);
  const negative = amount < 0;
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const int = digits.slice(0, digits.length - exponent);
  const frac = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${int}${exponent > 0 ? `.${frac}` : ''}`;
}

function withSymbol(number: string, currency: string, lang: DocumentLanguage): string {
  const symbol = currencySymbol(currency, lang);
  const negative = number.startsWith('-');
  const abs = negative ? number.slice(1) : number;
  if (lang === 'nl') return `${symbol} ${negative ? '-' : ''}${abs}`; // € 1.234,56 / € -1.234,56
  const space = /\p{L}$/u.test(symbol) ? ' ' : ''; // €1,234.56, CHF 1,234.56
  return `${negative ? '-' : ''}${symbol}${space}${abs}`;
}

/** An amount in minor units with its currency: nl "€ 1.234,56", en "€1,234.56"; JPY "JP¥ 1.235" (no decimals). */
export function formatMoney(amount: MinorUnits, currency: string, lang: DocumentLanguage): string {
  const exponent = currencyExponent(currency);
  return withSymbol(formatDecimal(minorToDecimal(amount, exponent), lang, exponent, exponent), currency, lang);
}

/** A unit price (decimal string, up to 4 decimals): at least the currency's decimals, e.g. "€ 95,00", "€ 0,1250". */
export function formatUnitPrice(price: Decimal, currency: string, lang: DocumentLanguage): string {
  return withSymbol(formatDecimal(price, lang, currencyExponent(currency), 4), currency, lang);
}

/** A quantity (decimal string, up to 4 decimals): nl "7,5", en "7.5", "1.250" / "1,250". */
export function formatQuantity(quantity: Decimal, lang: DocumentLanguage): string {
  return formatDecimal(quantity, lang, 0, 4);
}

/** A percent rate: "21%", nl "5,5%", en "5.5%". */
export function formatRate(rate: string, lang: DocumentLanguage): string {
  return `${formatDecimal(rate, lang, 0, 4)}%`;
}

const MONTHS: Readonly<Record<DocumentLanguage, readonly string[]>> = {
  nl: [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

function dateParts(date: IsoDate): { year: string; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) throw new Error(`not an ISO date: ${date}`);
  return { year: match[1]!, month: Number(match[2]), day: Number(match[3]) };
}

/** Long date: nl "25 november 2026", en "25 November 2026". */
export function formatDateLong(date: IsoDate, lang: DocumentLanguage): string {
  const { year, month, day } = dateParts(date);
  return `${day} ${MONTHS[lang][month - 1]} ${year}`;
}

/** Short date for tables: nl "25-11-2026", en "25 Nov 2026". */
export function formatDateShort(date: IsoDate, lang: DocumentLanguage): string {
  const { year, month, day } = dateParts(date);
  if (lang === 'nl') return `${String(day).padStart(2, '0')}-${String(month).padStart(2, '0')}-${year}`;
  return `${day} ${MONTHS.en[month - 1]!.slice(0, 3)} ${year}`;
}

/** The period of supply an invoice states: its earliest and latest detail dates (null without details). */
export function supplyPeriod(details: readonly InvoiceDetail[]): { from: IsoDate; to: IsoDate } | null {
  let from: IsoDate | null = null;
  let to: IsoDate | null = null;
  for (const d of details) {
    if (from === null || d.date < from) from = d.date;
    if (to === null || d.date > to) to = d.date;
  }
  return from === null || to === null ? null : { from, to };
}
