/**
 * Structured postal addresses and electronic addresses (Peppol participant ids) of customers and the firm.
 * Validated per field, so a document never has to guess: PDF and UBL print from the fields, nothing is parsed.
 * Code lists: ISO 3166-1 alpha-2 (plus XI Northern Ireland and 1A Kosovo, as the Peppol country list has them) and
 * the Peppol EAS code list (as in Peppol BIS Billing 3.0.19's schematron). Check digits where the scheme has them.
 */
import { ValidationFailed } from './errors.ts';

export interface PostalAddress {
  /** 1-3 lines (street and number first), each 1-100 characters. */
  readonly lines: readonly string[];
  readonly postalCode: string | null;
  readonly city: string;
  /** Province, state or region (BT-39/BT-54), e.g. "MA". */
  readonly subdivision: string | null;
  /** ISO 3166-1 alpha-2, e.g. "NL". */
  readonly country: string;
}

/** A Peppol participant id: EAS scheme (e.g. "0106" KvK) and the identifier within it. */
export interface ElectronicAddress {
  readonly scheme: string;
  readonly identifier: string;
}

export const COUNTRY_CODES: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
    'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
    'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO ' +
    'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW ' +
    'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM ' +
    'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW 1A XI'
  ).split(' '),
);

/** The Peppol EAS code list (electronic address schemes). */
export const EAS_CODES: ReadonlySet<string> = new Set(
  (
    '0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 0177 0183 0184 0188 ' +
    '0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205 0208 0209 0210 0211 0212 0213 ' +
    '0215 0216 0217 0218 0221 0225 0230 0235 0240 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 ' +
    '9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 ' +
    '9948 9949 9950 9951 9952 9953 9957 9959'
  ).split(' '),
);

/** EAS codes of national VAT numbers, by VAT prefix (Greek numbers start with EL). */
export const VAT_EAS: Readonly<Record<string, string>> = {
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

/** VAT number formats of the EU member states (the VIES formats), country prefix included. */
const VAT_FORMATS: Readonly<Record<string, RegExp>> = {
  AT: /^ATU\d{8}$/,
  BE: /^BE[01]\d{9}$/,
  BG: /^BG\d{9,10}$/,
  CY: /^CY\d{8}[A-Z]$/,
  CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/,
  EE: /^EE\d{9}$/,
  EL: /^EL\d{9}$/,
  ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^FI\d{8}$/,
  FR: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^HR\d{11}$/,
  HU: /^HU\d{8}$/,
  IE: /^IE\d{7}[A-W][A-IW]?$|^IE\d[A-Z+*]\d{5}[A-W]$/,
  IT: /^IT\d{11}$/,
  LT: /^LT(\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/,
  MT: /^MT\d{8}$/,
  NL: /^NL\d{9}B\d{2}$/,
  PL: /^PL\d{10}$/,
  PT: /^PT\d{9}$/,
  RO: /^RO\d{2,10}$/,
  SE: /^SE\d{12}$/,
  SI: /^SI\d{8}$/,
  SK: /^SK\d{10}$/,
};

/** Whether a tax id looks like an EU VAT number (prefix and the member state's format). */
export function isEuVatNumber(taxId: string): boolean {
  const format = VAT_FORMATS[taxId.slice(0, 2)];
  return format?.test(taxId) ?? false;
}

const LINE_MAX = 100;
const NAMED = (field: string, what: string) => new ValidationFailed(field, what);

function text(value: unknown, field: string, max = LINE_MAX): string {
  if (typeof value !== 'string' || value.trim() === '') throw NAMED(field, 'must be a non-empty string');
  if (value.length > max) throw NAMED(field, `must be at most ${max} characters`);
  if (/[\n\r]/.test(value)) throw NAMED(field, 'must be one line');
  return value.trim();
}

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  return text(value, field, max);
}

/** Dutch postcodes "1234 AB"; other countries: 2-10 letters, digits, spaces and hyphens. */
const POSTCODES: Readonly<Record<string, RegExp>> = {
  NL: /^[1-9]\d{3} ?[A-Z]{2}$/,
  BE: /^\d{4}$/,
  DE: /^\d{5}$/,
  FR: /^\d{5}$/,
  US: /^\d{5}(-\d{4})?$/,
};

/** Validates a structured postal address; `field` is its path (e.g. "postalAddress"). */
export function validatePostalAddress(value: unknown, field = 'postalAddress'): PostalAddress {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw NAMED(field, 'must be an address object');
  const input = value as Record<string, unknown>;
  const country = input.country;
  if (typeof country !== 'string' || !COUNTRY_CODES.has(country))
    throw NAMED(`${field}.country`, 'must be an ISO 3166-1 alpha-2 country code, e.g. "NL"');
  if (!Array.isArray(input.lines) || input.lines.length < 1 || input.lines.length > 3)
    throw NAMED(`${field}.lines`, 'must be 1 to 3 address lines');
  const lines = input.lines.map((line, i) => text(line, `${field}.lines[${i}]`));
  const postalCode = optionalText(input.postalCode, `${field}.postalCode`, 16);
  const format = POSTCODES[country];
  if (postalCode !== null && format !== undefined && !format.test(postalCode))
    throw NAMED(`${field}.postalCode`, `is not a valid postcode in ${country}`);
  if (postalCode === null && format !== undefined)
    throw NAMED(`${field}.postalCode`, `is required for an address in ${country}`);
  if (postalCode !== null && !/^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$/.test(postalCode))
    throw NAMED(`${field}.postalCode`, 'may hold letters, digits, spaces and hyphens only');
  const city = text(input.city, `${field}.city`);
  const subdivision = optionalText(input.subdivision, `${field}.subdivision`, 100);
  return { lines, postalCode, city, subdivision, country };
}

/** GS1 mod 10 (GLN, 13 digits). */
function gs1Mod10(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length - 1; i += 1) {
    const weight = (digits.length - 1 - i) % 2 === 1 ? 3 : 1;
    sum += Number(digits[i]) * weight;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/** Belgian enterprise number: the last two digits are 97 - (first eight mod 97). */
function belgianMod97(digits: string): boolean {
  return 97 - (Number(digits.slice(0, 8)) % 97) === Number(digits.slice(8));
}

/** Norwegian organisation number: mod 11 with weights 3 2 7 6 5 4 3 2. */
function norwegianMod11(digits: string): boolean {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(digits[i]), 0);
  const check = 11 - (sum % 11);
  return (check === 11 ? 0 : check) === Number(digits[8]);
}

/** Identifier rules per scheme (format and check digits); schemes not listed: 1-50 visible characters. */
const SCHEME_RULES: Readonly<Record<string, { readonly test: (id: string) => boolean; readonly what: string }>> = {
  '0106': { test: (id) => /^\d{8}$/.test(id), what: 'a KvK number of 8 digits' },
  '0190': { test: (id) => /^\d{20}$/.test(id), what: 'an OIN of 20 digits' },
  '0208': {
    test: (id) => /^[01]\d{9}$/.test(id) && belgianMod97(id),
    what: 'a Belgian enterprise number of 10 digits with a valid mod 97 check',
  },
  '0088': { test: (id) => /^\d{13}$/.test(id) && gs1Mod10(id), what: 'a GLN of 13 digits with a valid check digit' },
  '0192': {
    test: (id) => /^\d{9}$/.test(id) && norwegianMod11(id),
    what: 'a Norwegian organisation number of 9 digits with a valid check digit',
  },
  '0184': { test: (id) => /^(DK)?\d{8}$/.test(id), what: 'a Danish CVR number of 8 digits' },
  '0007': { test: (id) => /^\d{10}$/.test(id), what: 'a Swedish organisation number of 10 digits' },
};

/** Validates an electronic address (Peppol participant id): EAS scheme, identifier format, check digits. */
export function validateElectronicAddress(value: unknown, field = 'electronicAddress'): ElectronicAddress {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw NAMED(field, 'must be an object with scheme and identifier');
  const { scheme, identifier } = value as Record<string, unknown>;
  if (typeof scheme !== 'string' || !EAS_CODES.has(scheme))
    throw NAMED(`${field}.scheme`, 'must be a code of the Peppol EAS code list, e.g. "0106" (KvK), "0208" (KBO)');
  if (typeof identifier !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,49}$/.test(identifier))
    throw NAMED(`${field}.identifier`, 'must be 1-50 letters, digits or . _ : + -');
  const rule = SCHEME_RULES[scheme];
  if (rule !== undefined && !rule.test(identifier)) throw NAMED(`${field}.identifier`, `must be ${rule.what}`);
  const vatPrefix = Object.entries(VAT_EAS).find(([, code]) => code === scheme)?.[0];
  if (vatPrefix !== undefined) {
    if (!identifier.startsWith(vatPrefix))
      throw NAMED(`${field}.identifier`, `must be a VAT number starting with ${vatPrefix} for scheme ${scheme}`);
    if (VAT_FORMATS[vatPrefix] !== undefined && !isEuVatNumber(identifier))
      throw NAMED(`${field}.identifier`, `is not a valid ${vatPrefix} VAT number`);
  }
  return { scheme, identifier };
}

/** The electronic address of a party: its own, else its EU VAT number under the national VAT scheme, else null. */
export function effectiveElectronicAddress(
  electronicAddress: ElectronicAddress | null | undefined,
  taxId: string | null | undefined,
): ElectronicAddress | null {
  if (electronicAddress) return electronicAddress;
  if (taxId && isEuVatNumber(taxId)) {
    const scheme = VAT_EAS[taxId.slice(0, 2)];
    if (scheme !== undefined) return { scheme, identifier: taxId };
  }
  return null;
}
