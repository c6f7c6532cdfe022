import { describe, expect, it } from 'vitest';
import {
  documentLanguage,
  formatDateLong,
  formatDateShort,
  formatMoney,
  formatQuantity,
  formatRate,
  formatUnitPrice,
  minorToDecimal,
} from '../../../functions/documents/format.ts';

describe('document formatting', () => {
  it('picks the document language: en for en*, nl otherwise', () => {
    expect(documentLanguage('en')).toBe('en');
    expect(documentLanguage('en-GB')).toBe('en');
    expect(documentLanguage('nl')).toBe('nl');
    expect(documentLanguage('de')).toBe('nl');
    expect(documentLanguage('')).toBe('nl');
  });

  it('converts minor units to decimals by string operations', () => {
    expect(minorToDecimal(123456, 2)).toBe('1234.56');
    expect(minorToDecimal(-5, 3)).toBe('-0.005');
    expect(minorToDecimal(7, 2)).toBe('0.07');
    expect(minorToDecimal(44812, 0)).toBe('44812');
    expect(minorToDecimal(0, 2)).toBe('0.00');
    // beyond float precision of the major amount: exact
    expect(minorToDecimal(9007199254740991, 2)).toBe('90071992547409.91');
  });

  it('formats money per language', () => {
    expect(formatMoney(123456, 'EUR', 'nl')).toBe('€ 1.234,56');
    expect(formatMoney(123456, 'EUR', 'en')).toBe('€1,234.56');
    expect(formatMoney(-123456, 'EUR', 'nl')).toBe('€ -1.234,56');
    expect(formatMoney(-123456, 'EUR', 'en')).toBe('-€1,234.56');
    expect(formatMoney(0, 'EUR', 'nl')).toBe('€ 0,00');
    expect(formatMoney(100000000, 'EUR', 'nl')).toBe('€ 1.000.000,00');
    expect(formatMoney(9007199254740991, 'EUR', 'en')).toBe('€90,071,992,547,409.91');
    expect(formatMoney(44812, 'JPY', 'en')).toBe('JP¥44,812');
    expect(formatMoney(1234, 'BHD', 'en')).toMatch(/1\.234$/);
    expect(formatMoney(150, 'CHF', 'en')).toBe('CHF 1.50');
  });

  it('formats unit prices with at least the currency decimals and at most 4', () => {
    expect(formatUnitPrice('95', 'EUR', 'nl')).toBe('€ 95,00');
    expect(formatUnitPrice('0.1250', 'EUR', 'nl')).toBe('€ 0,125');
    expect(formatUnitPrice('1234.5678', 'EUR', 'en')).toBe('€1,234.5678');
    expect(formatUnitPrice('-12.5', 'EUR', 'nl')).toBe('€ -12,50');
  });

  it('formats quantities and rates', () => {
    expect(formatQuantity('7.5', 'nl')).toBe('7,5');
    expect(formatQuantity('7.5000', 'en')).toBe('7.5');
    expect(formatQuantity('1250', 'nl')).toBe('1.250');
    expect(formatQuantity('-2', 'nl')).toBe('-2');
    expect(formatQuantity('-0', 'nl')).toBe('0');
    expect(formatRate('21', 'nl')).toBe('21%');
    expect(formatRate('5.5', 'nl')).toBe('5,5%');
    expect(formatRate('5.5', 'en')).toBe('5.5%');
  });

  it('formats dates per language without Intl', () => {
    expect(formatDateLong('2026-11-25', 'nl')).toBe('25 november 2026');
    expect(formatDateLong('2026-11-25', 'en')).toBe('25 November 2026');
    expect(formatDateShort('2026-11-25', 'nl')).toBe('25-11-2026');
    expect(formatDateShort('2027-02-01', 'nl')).toBe('01-02-2027');
    expect(formatDateShort('2027-02-01', 'en')).toBe('1 Feb 2027');
  });
});
