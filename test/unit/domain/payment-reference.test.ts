import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  belgianReference,
  canonicalReference,
  creditorReference,
  formatBelgianReference,
  isValidBelgianReference,
  isValidCreditorReference,
  paymentReferenceFor,
  referenceFormatFor,
  referencesInText,
} from '../../../functions/domain/index.ts';

describe('ISO 11649 creditor references', () => {
  it('matches the published examples', () => {
    // ISO 11649's own example and the EPC's: RF18 5390 0754 7034.
    expect(creditorReference('539007547034')).toBe('RF18539007547034');
    expect(isValidCreditorReference('RF18 5390 0754 7034')).toBe(true);
    expect(isValidCreditorReference('RF18539007547035')).toBe(false);
    expect(creditorReference('INV2027000042')).toMatch(/^RF\d{2}INV2027000042$/);
  });

  it('check digits computed one way validate the other way; any one changed character fails', () => {
    const body = fc.stringMatching(/^[A-Z0-9]{1,21}$/);
    fc.assert(
      fc.property(body, fc.nat(), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), (b, at, char) => {
        const reference = creditorReference(b);
        expect(isValidCreditorReference(reference)).toBe(true);
        expect(isValidCreditorReference(reference.toLowerCase().replace(/(.{4})/g, '$1 '))).toBe(true);
        const i = 2 + (at % (reference.length - 2));
        const changed = `${reference.slice(0, i)}${char}${reference.slice(i + 1)}`;
        if (changed !== reference) expect(isValidCreditorReference(changed)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses bodies that are too long or not alphanumeric', () => {
    expect(() => creditorReference('A'.repeat(22))).toThrow();
    expect(() => creditorReference('INV-1')).toThrow();
  });
});

describe('Belgian structured communication', () => {
  it('check = number mod 97, 97 when that is 0', () => {
    expect(belgianReference('0000000000')).toBe('000000000097');
    expect(belgianReference('0000000097')).toBe('000000009797');
    expect(belgianReference('1234567890')).toBe(`1234567890${String(1234567890 % 97).padStart(2, '0')}`);
    expect(formatBelgianReference('123456789002')).toBe('+++123/4567/89002+++');
    expect(isValidBelgianReference('+++090/9337/55493+++')).toBe(true); // a published example
    expect(isValidBelgianReference('***090/9337/55494***')).toBe(false);
  });

  it('valid both ways; a changed digit fails', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{10}$/),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 1, max: 9 }),
        (ten, at, delta) => {
          const reference = belgianReference(ten);
          expect(Number(reference.slice(10))).toBe(Number(BigInt(ten) % 97n) || 97);
          expect(isValidBelgianReference(formatBelgianReference(reference))).toBe(true);
          const digit = (Number(reference[at]) + delta) % 10;
          const changed = `${reference.slice(0, at)}${digit}${reference.slice(at + 1)}`;
          // One changed digit changes the number by d * 10^k, never a multiple of 97 (97 is prime, > 9).
          expect(isValidBelgianReference(changed)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('references of invoices', () => {
  it('RF from the number by default, Belgian for countries set so', () => {
    expect(paymentReferenceFor('INV-2027-000042', 'iso11649')).toBe(creditorReference('INV2027000042'));
    expect(paymentReferenceFor('INV-2027-000042', 'belgian')).toBe(belgianReference('2027000042'));
    expect(referenceFormatFor('be', { BE: 'belgian' })).toBe('belgian');
    expect(referenceFormatFor('NL', { BE: 'belgian' })).toBe('iso11649');
    expect(referenceFormatFor(undefined, { BE: 'belgian' })).toBe('iso11649');
  });

  it('finds references in free text', () => {
    const rf = creditorReference('INV2027000042');
    const be = belgianReference('2027000043');
    expect(referencesInText(`betaling ${rf.toLowerCase()} dank`)).toEqual([rf]);
    expect(referencesInText(`mededeling ${formatBelgianReference(be)}`)).toEqual([be]);
    expect(referencesInText(`ref ${be} thanks`)).toEqual([be]);
    expect(referencesInText('factuur INV-2027-000042')).toEqual([rf, belgianReference('2027000042')]);
    expect(referencesInText('RF00 not valid 123456789012')).toEqual([]);
    expect(canonicalReference(' rf18 5390 0754 7034 ')).toBe('RF18539007547034');
  });
});
