import { describe, expect, it } from 'vitest';
import {
  effectiveElectronicAddress,
  validateElectronicAddress,
  validatePostalAddress,
} from '../../../functions/domain/addresses.ts';

const nl = { lines: ['Keizersgracht 123'], postalCode: '1015 CJ', city: 'Amsterdam', subdivision: null, country: 'NL' };
const field = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { field?: string }).field;
  }
  return undefined;
};

describe('structured postal addresses', () => {
  it('accepts valid addresses of several countries', () => {
    expect(validatePostalAddress(nl)).toEqual(nl);
    const us = {
      lines: ['500 Boylston Street', 'Suite 4'],
      postalCode: '02116',
      city: 'Boston',
      subdivision: 'MA',
      country: 'US',
    };
    expect(validatePostalAddress(us)).toEqual(us);
    expect(validatePostalAddress({ ...nl, country: 'HK', postalCode: null })).toMatchObject({ postalCode: null });
  });

  it('names the field that is wrong', () => {
    expect(field(() => validatePostalAddress({ ...nl, country: 'XX' }))).toBe('postalAddress.country');
    expect(field(() => validatePostalAddress({ ...nl, country: 'nl' }))).toBe('postalAddress.country');
    expect(field(() => validatePostalAddress({ ...nl, lines: [] }))).toBe('postalAddress.lines');
    expect(field(() => validatePostalAddress({ ...nl, lines: ['a', 'b', 'c', 'd'] }))).toBe('postalAddress.lines');
    expect(field(() => validatePostalAddress({ ...nl, lines: ['ok', ''] }))).toBe('postalAddress.lines[1]');
    expect(field(() => validatePostalAddress({ ...nl, lines: ['x'.repeat(101)] }))).toBe('postalAddress.lines[0]');
    expect(field(() => validatePostalAddress({ ...nl, postalCode: '1015' }))).toBe('postalAddress.postalCode');
    expect(field(() => validatePostalAddress({ ...nl, postalCode: null }))).toBe('postalAddress.postalCode');
    expect(field(() => validatePostalAddress({ ...nl, city: ' ' }))).toBe('postalAddress.city');
    expect(field(() => validatePostalAddress('Keizersgracht 123\nAmsterdam'))).toBe('postalAddress');
  });
});

describe('electronic addresses (Peppol EAS)', () => {
  it('accepts valid ids with their check digits', () => {
    expect(validateElectronicAddress({ scheme: '0106', identifier: '12345678' })).toBeDefined();
    expect(validateElectronicAddress({ scheme: '0208', identifier: '0403170701' })).toBeDefined(); // 04031707 mod 97 = 96 -> 01
    expect(validateElectronicAddress({ scheme: '0088', identifier: '4012345000009' })).toBeDefined();
    expect(validateElectronicAddress({ scheme: '0190', identifier: '00000001003214345000' })).toBeDefined();
    expect(validateElectronicAddress({ scheme: '9944', identifier: 'NL859999999B01' })).toBeDefined();
    expect(validateElectronicAddress({ scheme: '9925', identifier: 'BE0403170701' })).toBeDefined();
  });

  it('refuses schemes outside the code list and wrong formats or check digits', () => {
    expect(field(() => validateElectronicAddress({ scheme: 'EM', identifier: 'a@b.example' }))).toBe(
      'electronicAddress.scheme',
    );
    expect(field(() => validateElectronicAddress({ scheme: '0106', identifier: '1234567' }))).toBe(
      'electronicAddress.identifier',
    );
    expect(field(() => validateElectronicAddress({ scheme: '0208', identifier: '0403170702' }))).toBe(
      'electronicAddress.identifier',
    );
    expect(field(() => validateElectronicAddress({ scheme: '0088', identifier: '4012345000008' }))).toBe(
      'electronicAddress.identifier',
    );
    expect(field(() => validateElectronicAddress({ scheme: '0190', identifier: '1234' }))).toBe(
      'electronicAddress.identifier',
    );
    expect(field(() => validateElectronicAddress({ scheme: '9944', identifier: 'BE0403170701' }))).toBe(
      'electronicAddress.identifier',
    );
    expect(field(() => validateElectronicAddress({ scheme: '9944', identifier: 'NL85999999B01' }))).toBe(
      'electronicAddress.identifier',
    );
  });

  it('falls back to an EU VAT number under its national scheme, else none', () => {
    expect(effectiveElectronicAddress(null, 'DE123456789')).toEqual({ scheme: '9930', identifier: 'DE123456789' });
    expect(effectiveElectronicAddress(null, 'US-12-3456789')).toBeNull();
    expect(effectiveElectronicAddress(null, null)).toBeNull();
  });
});
