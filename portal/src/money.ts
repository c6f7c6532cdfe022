/** Money in the portal: integer minor units of the invoice currency, turned into text with strings, never floats. */
/** The ISO 4217 minor-unit exponent, as Intl knows it (EUR 2, JPY 0, BHD 3). */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Integer minor units to an exact decimal string ("-1234.50"): string arithmetic, no floats. */
export function minorToDecimal(minor: number, exponent: number): string {
  const negative = minor < 0;
  const digits = BigInt(Math.trunc(Math.abs(minor)))
    .toString()
    .padStart(exponent + 1, '0');
  const text = exponent > 0 ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
  return negative ? `-${text}` : text;
}

/** A typed amount ("1.234,50" is refused: one decimal separator, . or ,) to integer minor units; undefined when invalid. */
export function decimalToMinor(text: string, exponent: number): number | undefined {
  const match = /^\s*(\d{1,15})(?:[.,](\d*))?\s*$/.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  const minor = BigInt(match[1] + fraction.padEnd(exponent, '0'));
  return minor > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(minor);
}

/** Minor units as a currency amount for a locale ("€ 1.234,50" in nl-NL); Intl formats the decimal string exactly. */
export function formatMoney(localeTag: string, minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const decimal = minorToDecimal(minor, exponent) as unknown as number;
  return new Intl.NumberFormat(localeTag, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(decimal);
}
