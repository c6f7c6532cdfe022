import { describe, expect, it } from 'vitest';
import { currencyExponent, decimalToMinor, formatMoney, minorToDecimal } from '../../../portal/src/money.ts';

describe('portal money: minor units to text and back, without floats', () => {
  it('knows the currency exponent', () => {
    expect([currencyExponent('EUR'), currencyExponent('JPY'), currencyExponent('BHD')]).toEqual([2, 0, 3]);
  });

  it('turns minor units into exact decimal strings', () => {
    expect(minorToDecimal(72600, 2)).toBe('726.00');
    expect(minorToDecimal(5, 2)).toBe('0.05');
    expect(minorToDecimal(-1050, 2)).toBe('-10.50');
    expect(minorToDecimal(1234, 0)).toBe('1234');
    expect(minorToDecimal(1, 3)).toBe('0.001');
    expect(minorToDecimal(9007199254740991, 2)).toBe('90071992547409.91');
  });

  it('formats per locale', () => {
    expect(formatMoney('en-GB', 72600, 'EUR')).toBe('€726.00');
    expect(formatMoney('nl-NL', 123450, 'EUR')).toMatch(/^€\s1\.234,50$/);
    expect(formatMoney('nl-NL', -1050, 'EUR')).toMatch(/^€\s-10,50$/);
    expect(formatMoney('en-GB', 1234, 'JPY')).toBe('JP¥1,234');
    expect(formatMoney('en-GB', 9007199254740991, 'EUR')).toBe('€90,071,992,547,409.91');
  });

  it('reads typed amounts with either decimal separator, refusing too many decimals and thousands separators', () => {
    expect(decimalToMinor('100,50', 2)).toBe(10050);
    expect(decimalToMinor('504.5', 2)).toBe(50450);
    expect(decimalToMinor(' 7 ', 2)).toBe(700);
    expect(decimalToMinor('0.1', 0)).toBeUndefined();
    expect(decimalToMinor('1.005', 2)).toBeUndefined();
    expect(decimalToMinor('1.234,50', 2)).toBeUndefined();
    expect(decimalToMinor('-5', 2)).toBeUndefined();
    expect(decimalToMinor('abc', 2)).toBeUndefined();
  });
});
