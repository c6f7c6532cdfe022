/**
 * Structured payment references (issue 13, point 1): what a customer types into the transfer, and what the bank
 * statement brings back so that the payment finds its invoice.
 *
 * - ISO 11649 creditor reference ("RF"): `RF` + 2 check digits + the invoice's own reference (1-21 letters and
 *   digits). The check digits are ISO 7064 MOD 97-10 over `<reference>RF00` with letters as 10..35, like an IBAN.
 * - Belgian structured communication ("OGM-VCS"): 10 digits + 2 check digits, the check being the 10-digit number
 *   mod 97 (97 when that is 0), printed `+++123/4567/89002+++`.
 *
 * Adopted: no npm library: `iso-11649` (1.0.1, one release, no types) and `node-iso11649` are unmaintained, and the
 * two algorithms are a few lines each, property-tested both ways in test/unit/domain/payment-reference.test.ts.
 * Adopted: the invoice's own reference is its number without separators (`INV-2027-000042` -> `INV2027000042`); the
 * Belgian 10 digits are the year and the 6-digit sequence (`2027000042`). Both are unique per invoice for as long as
 * numbers are (one series per year, at most 999,999 a year).
 */
import { ValidationFailed } from './errors.ts';

export type PaymentReferenceFormat = 'iso11649' | 'belgian';

export const PAYMENT_REFERENCE_FORMATS: readonly PaymentReferenceFormat[] = ['iso11649', 'belgian'];

/** Letters as 10..35 (A=10), digits as themselves: the numeric string ISO 7064 MOD 97-10 works on. */
function numeric(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    out += code >= 65 && code <= 90 ? String(code - 55) : char;
  }
  return out;
}

/** A long numeric string mod 97, in chunks (no BigInt needed). */
function mod97(digits: string): number {
  let remainder = 0;
  for (let i = 0; i < digits.length; i += 7) remainder = Number(`${remainder}${digits.slice(i, i + 7)}`) % 97;
  return remainder;
}

/** Upper case, without spaces: the form references are compared and stored in. */
export function normalizeReference(text: string): string {
  return text.replace(/[\s]+/g, '').toUpperCase();
}

/** `RF` + check digits + body; the body is 1-21 letters or digits (spaces and case are ignored). */
export function creditorReference(body: string): string {
  const clean = normalizeReference(body);
  if (!/^[A-Z0-9]{1,21}$/.test(clean))
    throw new ValidationFailed('paymentReference', 'an RF reference body is 1 to 21 letters or digits');
  const check = 98 - mod97(numeric(`${clean}RF00`));
  return `RF${String(check).padStart(2, '0')}${clean}`;
}

/** True for a well-formed RF reference with correct check digits (spaces and case are ignored). */
export function isValidCreditorReference(text: string): boolean {
  const clean = normalizeReference(text);
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(clean)) return false;
  return mod97(numeric(`${clean.slice(4)}${clean.slice(0, 4)}`)) === 1;
}

/** The Belgian structured communication of a 10-digit number: 12 digits, check = number mod 97 (97 for 0). */
export function belgianReference(tenDigits: string): string {
  if (!/^\d{10}$/.test(tenDigits))
    throw new ValidationFailed('paymentReference', 'a Belgian structured communication starts from 10 digits');
  const check = mod97(tenDigits) || 97;
  return `${tenDigits}${String(check).padStart(2, '0')}`;
}

/** True for 12 digits (separators +, *, / and spaces ignored) whose last two are the first ten mod 97 (97 for 0). */
export function isValidBelgianReference(text: string): boolean {
  const digits = text.replace(/[+*/\s]/g, '');
  if (!/^\d{12}$/.test(digits)) return false;
  return (mod97(digits.slice(0, 10)) || 97) === Number(digits.slice(10));
}

/** `202700004211` -> `+++202/7000/04211+++`. */
export function formatBelgianReference(twelveDigits: string): string {
  const d = twelveDigits.replace(/\D/g, '');
  return `+++${d.slice(0, 3)}/${d.slice(3, 7)}/${d.slice(7, 12)}+++`;
}

/** `RF18INV2027000042` -> `RF18 INV2 0270 0004 2` (groups of four, as printed). */
export function formatCreditorReference(reference: string): string {
  return (normalizeReference(reference).match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * The canonical (stored, looked-up) form of a reference someone typed or a bank sent: `RF..` upper case without
 * spaces, or the 12 Belgian digits; undefined when it is neither with valid check digits.
 */
export function canonicalReference(text: string): string | undefined {
  const clean = normalizeReference(text);
  if (clean.startsWith('RF')) return isValidCreditorReference(clean) ? clean : undefined;
  if (isValidBelgianReference(clean)) return clean.replace(/[+*/]/g, '');
  return undefined;
}

/** How a stored canonical reference is printed (RF in groups of four, Belgian as +++ddd/dddd/ddddd+++). */
export function printedReference(canonical: string): string {
  return canonical.startsWith('RF') ? formatCreditorReference(canonical) : formatBelgianReference(canonical);
}

/** The payment reference of an issued invoice from its number, in the format chosen for the customer's country. */
export function paymentReferenceFor(invoiceNumber: string, format: PaymentReferenceFormat): string {
  if (format === 'belgian') {
    const match = /^[A-Z]+-(\d{4})-(\d{6})$/.exec(invoiceNumber);
    if (!match) throw new ValidationFailed('number', `${invoiceNumber} has no year and 6-digit sequence`);
    return belgianReference(`${match[1]}${match[2]}`);
  }
  return creditorReference(invoiceNumber.replace(/[^A-Za-z0-9]/g, ''));
}

/**
 * The firm's choice per customer country (ISO 3166-1 alpha-2), ISO 11649 for every country not listed.
 * Adopted: a customer whose country is unknown gets the default (ISO 11649).
 */
export function referenceFormatFor(
  country: string | null | undefined,
  byCountry: Readonly<Record<string, PaymentReferenceFormat>> | undefined,
): PaymentReferenceFormat {
  if (!country || !byCountry) return 'iso11649';
  return byCountry[country.toUpperCase()] ?? 'iso11649';
}

/**
 * Every reference-like token in free text (a transfer's unstructured remittance information), canonical and in
 * order of appearance, without repeats: RF references with valid check digits (spaces allowed inside), Belgian
 * structured communications (+++/***-framed or 12 bare digits) with a valid check. An invoice number written out
 * (`INV-2027-000042`) gives both references an invoice of that number can have (RF and Belgian).
 */
export function referencesInText(text: string): string[] {
  const found: string[] = [];
  const add = (candidate: string | undefined) => {
    if (candidate !== undefined && !found.includes(candidate)) found.push(candidate);
  };
  const upper = text.toUpperCase();
  for (const match of upper.matchAll(/RF\d{2}(?:\s?[A-Z0-9]){1,21}/g)) {
    // The longest prefix with valid check digits (a reference may run into the next word without a space).
    const compact = normalizeReference(match[0]);
    for (let end = compact.length; end >= 5; end--) {
      const candidate = compact.slice(0, end);
      if (isValidCreditorReference(candidate)) {
        add(candidate);
        break;
      }
    }
  }
  for (const match of upper.matchAll(/[+*]{3}\s*(\d{3})\s*\/\s*(\d{4})\s*\/\s*(\d{5})\s*[+*]{3}/g))
    add(canonicalReference(`${match[1]}${match[2]}${match[3]}`));
  for (const match of upper.matchAll(/(?<!\d)\d{12}(?!\d)/g)) add(canonicalReference(match[0]));
  for (const match of upper.matchAll(/\b(INV)-?(\d{4})-?(\d{6})\b/g)) {
    add(creditorReference(`${match[1]}${match[2]}${match[3]}`));
    add(belgianReference(`${match[2]}${match[3]}`));
  }
  return found;
}
