/**
 * Money. Amounts are integer minor units of the currency (cents for EUR, yen for JPY, fils for BHD), held as JS
 * numbers that must be safe integers (|n| <= 2^53 - 1, i.e. about 90 trillion euros): every result is checked with
 * Number.isSafeInteger, so an overflow is a ValidationFailed, never a silent precision loss. Quantities, unit prices
 * and tax rates are decimal strings and are multiplied with big.js, never as floats.
 */
import Big from 'big.js';
import { ValidationFailed } from './errors.ts';

/** Integer minor units of the invoice currency. */
export type MinorUnits = number;

/** A decimal string with up to 4 decimals, e.g. "7.5", "-2", "120.1250". */
export type Decimal = string;

/** ISO 4217 exponents of the currencies we accept. Adopted: a closed list; others are refused, not guessed. */
const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  EUR: 2,
  USD: 2,
  GBP: 2,
  CHF: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  CZK: 2,
  HUF: 2,
  RON: 2,
  CAD: 2,
  AUD: 2,
  NZD: 2,
  SGD: 2,
  HKD: 2,
  CNY: 2,
  INR: 2,
  ZAR: 2,
  MXN: 2,
  BRL: 2,
  AED: 2,
  SAR: 2,
  TRY: 2,
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  VND: 0,
  KWD: 3,
  BHD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
  LYD: 3,
  IQD: 3,
};

/** The ISO 4217 minor-unit exponent; unknown currency -> ValidationFailed('currency'). */
export function currencyExponent(currency: string): number {
  const exponent = Object.hasOwn(CURRENCY_EXPONENTS, currency) ? CURRENCY_EXPONENTS[currency] : undefined;
  if (exponent === undefined) throw new ValidationFailed('currency', `unknown or unsupported currency ${currency}`);
  return exponent;
}

export function isSupportedCurrency(currency: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, currency);
}

// Adopted: quantities and prices may be negative (corrections, discounts, credit details); at most 15 integer digits.
const DECIMAL = /^-?\d{1,15}(\.\d{1,4})?$/;

export function isDecimal(value: unknown): value is Decimal {
  return typeof value === 'string' && DECIMAL.test(value);
}

/** Validates a quantity or unit price: a decimal string with at most 4 decimals. */
export function assertDecimal(value: unknown, field: string): Decimal {
  if (!isDecimal(value)) throw new ValidationFailed(field, 'must be a decimal string with at most 4 decimals');
  return value;
}

/** Validates minor units: a safe integer. */
export function assertMinorUnits(value: unknown, field: string): MinorUnits {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ValidationFailed(field, 'must be a safe integer amount in minor units');
  }
  return value;
}

/**
 * THE rounding rule of factuur, used for every amount (detail nets, group tax): round to a whole number of minor
 * units, half away from zero (2.5 -> 3, -2.5 -> -3). Symmetric, so negating the input negates the result: that is
 * what lets a full credit note net to exactly 0.
 */
export function roundHalfAwayFromZero(value: Big, field = 'amount'): MinorUnits {
  const rounded = Number(value.round(0, Big.roundHalfUp).toFixed(0));
  if (!Number.isSafeInteger(rounded)) throw new ValidationFailed(field, 'amount exceeds the safe integer range');
  return rounded === 0 ? 0 : rounded; // no -0
}

/** Detail net = quantity x unit price, in minor units, rounded by the one rule above. */
export function detailNet(quantity: Decimal, unitPrice: Decimal, currency: string): MinorUnits {
  const scale = new Big(10).pow(currencyExponent(currency));
  return roundHalfAwayFromZero(new Big(quantity).times(unitPrice).times(scale), 'net');
}

/** Minor units as a decimal string in major units: (1234, 'EUR') -> "12.34"; (-5, 'BHD') -> "-0.005". */
export function toMajor(amount: MinorUnits, currency: string): Decimal {
  const exponent = currencyExponent(currency);
  return new Big(amount).div(new Big(10).pow(exponent)).toFixed(exponent);
}

/** Major-unit decimal string to minor units; more decimals than the currency has -> ValidationFailed. */
export function fromMajor(amount: Decimal, currency: string, field = 'amount'): MinorUnits {
  const scaled = new Big(amount).times(new Big(10).pow(currencyExponent(currency)));
  if (!scaled.round(0).eq(scaled)) throw new ValidationFailed(field, `too many decimals for ${currency}`);
  return roundHalfAwayFromZero(scaled, field);
}

/** Negation of a decimal string without producing "-0". */
export function negateDecimal(value: Decimal): Decimal {
  const big = new Big(value);
  return big.eq(0) ? '0' : big.neg().toFixed();
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  return new Big(a).cmp(b);
}

export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  const diff = new Big(a).minus(b);
  return diff.eq(0) ? '0' : diff.toFixed();
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const sum = new Big(a).plus(b);
  return sum.eq(0) ? '0' : sum.toFixed();
}

/** Adds minor units with an overflow check. */
export function addMinor(a: MinorUnits, b: MinorUnits): MinorUnits {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new ValidationFailed('amount', 'amount exceeds the safe integer range');
  return sum;
}
