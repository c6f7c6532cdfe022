import Big from 'big.js';
import { addDays, toDayNumber, type IsoDate } from './dates.ts';
import { roundHalfAwayFromZero, type MinorUnits } from './money.ts';

/**
 * Statutory commercial interest on late payment between businesses (EU late payment directive 2011/7/EU, article 2
 * and 12; in the Netherlands the "wettelijke handelsrente", art. 6:119a BW): the ECB's main refinancing rate on the
 * first calendar day of the half year plus 8 percentage points, fixed per half year (1 January and 1 July), and a
 * fixed compensation for recovery costs of EUR 40 (directive article 6).
 *
 * Adopted (one documented rule, as everywhere in factuur's money):
 * - simple interest per calendar day on the open amount, from the day after the due date up to and including the
 *   date of the reminder, each day at the rate of the half year it falls in; a year counts 365 days (also in leap
 *   years);
 * - the sum over the days is kept exact (rates in basis points, integer arithmetic) and rounded ONCE, to a whole
 *   minor unit, half away from zero (money.ts `roundHalfAwayFromZero`);
 * - the yearly capitalisation of art. 6:119a lid 3 BW (interest on interest after a full year) is not applied:
 *   a reminder plan ends within weeks of the due date;
 * - only for customers with a VAT number (a business), only on the final notice, only for EUR invoices (the EUR 40
 *   is a euro amount); the firm switches it on in its reminder plan (`lateInterest`).
 */
export interface StatutoryRate {
  /** First day of the half year (YYYY-01-01 or YYYY-07-01). */
  readonly from: IsoDate;
  /** The rate per year in basis points (hundredths of a percent): 1015 = 10.15%. */
  readonly basisPoints: number;
}

/**
 * Dutch "wettelijke rente voor handelstransacties" per half year (the ECB main refinancing rate + 8 points).
 * Sources: Rijksoverheid "Hoe hoog is de wettelijke rente?" (rijksoverheid.nl/onderwerpen/schulden/vraag-en-antwoord/
 * hoogte-wettelijke-rente) and the Besluit vaststelling wettelijke rente in the Staatscourant; checked against
 * watsonlaw.nl (12% from 1 July 2023), e-justice.europa.eu "Rentetarieven - Nederland" (12.50% from 1 January
 * 2024), metaalunie.nl (12.25% from 1 July 2024), vvoadvocatuur.nl (11.15% from 1 January 2025).
 * 1 January 2023: ECB MRO 2.50% (from 21 December 2022) + 8 = 10.50%. 1 July 2025 and 1 January 2026: ECB MRO 2.15%
 * (from 11 June 2025, unchanged at the end of 2025) + 8 = 10.15%.
 * 1 July 2026: NOT verified here (no published figure was found offline); taken as the ECB MRO of 2.15% + 8 = 10.15%
 * until the Staatscourant figure is checked. A date after the table's last half year uses the last rate.
 */
export const dutchCommercialInterestRates: readonly StatutoryRate[] = [
  { from: '2023-01-01', basisPoints: 1050 },
  { from: '2023-07-01', basisPoints: 1200 },
  { from: '2024-01-01', basisPoints: 1250 },
  { from: '2024-07-01', basisPoints: 1225 },
  { from: '2025-01-01', basisPoints: 1115 },
  { from: '2025-07-01', basisPoints: 1015 },
  { from: '2026-01-01', basisPoints: 1015 },
  { from: '2026-07-01', basisPoints: 1015 },
];

/** Fixed compensation for recovery costs, directive 2011/7/EU article 6: EUR 40, in euro cents. */
export const FIXED_COMPENSATION_EUR_CENTS = 4000;

export interface InterestPeriod {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly days: number;
  readonly basisPoints: number;
}

export interface LateInterest {
  /** The open amount interest is computed on (minor units). */
  readonly principal: MinorUnits;
  readonly days: number;
  /** Rounded once, half away from zero. */
  readonly interest: MinorUnits;
  readonly periods: readonly InterestPeriod[];
  /** The fixed EUR 40 (minor units of EUR). */
  readonly compensation: MinorUnits;
}

function rateOn(date: IsoDate, table: readonly StatutoryRate[]): StatutoryRate {
  let found: StatutoryRate | undefined;
  for (const rate of table) if (rate.from <= date) found = rate;
  if (!found) throw new RangeError(`no statutory interest rate for ${date} (the table starts ${table[0]?.from})`);
  return found;
}

/** Interest on `principal` for the days after `dueDate` up to and including `asOf`. */
export function lateInterest(
  principal: MinorUnits,
  dueDate: IsoDate,
  asOf: IsoDate,
  table: readonly StatutoryRate[] = dutchCommercialInterestRates,
): LateInterest {
  const periods: InterestPeriod[] = [];
  let day = addDays(dueDate, 1);
  while (day <= asOf) {
    const rate = rateOn(day, table);
    const next = table.find((candidate) => candidate.from > day)?.from;
    const end = next && next <= asOf ? addDays(next, -1) : asOf;
    const days = toDayNumber(end) - toDayNumber(day) + 1;
    periods.push({ from: day, to: end, days, basisPoints: rate.basisPoints });
    day = addDays(end, 1);
  }
  // Exact: principal x sum(days x basis points) / (10,000 x 365), in integers until the one rounding.
  const dayBasisPoints = periods.reduce((sum, period) => sum + period.days * period.basisPoints, 0);
  const interest = roundHalfAwayFromZero(new Big(principal).times(dayBasisPoints).div(10_000 * 365), 'interest');
  return {
    principal,
    days: periods.reduce((sum, period) => sum + period.days, 0),
    interest,
    periods,
    compensation: FIXED_COMPENSATION_EUR_CENTS,
  };
}

/** Does the final notice state interest: the plan says so, the customer is a business (a VAT number), EUR. */
export function lateInterestApplies(
  planSwitch: boolean,
  customer: { readonly taxId: string | null },
  currency: string,
): boolean {
  return planSwitch && customer.taxId !== null && customer.taxId.trim() !== '' && currency === 'EUR';
}
