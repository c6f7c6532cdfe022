/**
 * Country names printed on addresses abroad (own table, so output does not move with ICU versions). Countries not
 * listed print their ISO 3166-1 code, which postal services accept as well.
 */
const NAMES: Readonly<Record<string, readonly [nl: string, en: string]>> = {
  NL: ['Nederland', 'Netherlands'],
  BE: ['België', 'Belgium'],
  DE: ['Duitsland', 'Germany'],
  FR: ['Frankrijk', 'France'],
  LU: ['Luxemburg', 'Luxembourg'],
  GB: ['Verenigd Koninkrijk', 'United Kingdom'],
  IE: ['Ierland', 'Ireland'],
  ES: ['Spanje', 'Spain'],
  IT: ['Italië', 'Italy'],
  AT: ['Oostenrijk', 'Austria'],
  CH: ['Zwitserland', 'Switzerland'],
  DK: ['Denemarken', 'Denmark'],
  SE: ['Zweden', 'Sweden'],
  NO: ['Noorwegen', 'Norway'],
  FI: ['Finland', 'Finland'],
  PL: ['Polen', 'Poland'],
  PT: ['Portugal', 'Portugal'],
  US: ['Verenigde Staten', 'United States'],
  CA: ['Canada', 'Canada'],
  JP: ['Japan', 'Japan'],
  BH: ['Bahrein', 'Bahrain'],
  KW: ['Koeweit', 'Kuwait'],
};

export function countryName(code: string, lang: 'nl' | 'en' = 'en'): string {
  const names = NAMES[code];
  return names === undefined ? code : names[lang === 'nl' ? 0 : 1];
}
