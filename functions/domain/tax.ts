/**
 * Tax (VAT). Rates are percent decimal strings ("21", "9", "0", "5.5") with an EN 16931 category (UNCL 5305).
 * Tax is computed once per rate group (category + rate): round(group net x rate / 100). The tax shown per detail is
 * an allocation of that group tax by largest remainder, so details, invoice, PDF and e-invoice agree to the cent.
 */
import Big from 'big.js';
import { ValidationFailed } from './errors.ts';
import { roundHalfAwayFromZero, type MinorUnits } from './money.ts';

/**
 * UNCL 5305 categories: S standard, AA reduced (lower) rate, Z zero rated, E exempt, AE reverse charge,
 * K intra-community supply, G export outside the EU, O outside the scope of VAT.
 */
export type TaxCategory = 'S' | 'AA' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';

export const TAX_CATEGORIES: readonly TaxCategory[] = ['S', 'AA', 'Z', 'E', 'AE', 'K', 'G', 'O'];

/** A tax code of the firm (e.g. "NL-HIGH") with its category and percent rate. */
export interface TaxRate {
  readonly code: string;
  readonly category: TaxCategory;
  /** Percent as a decimal string, 0..100, at most 4 decimals. */
  readonly rate: string;
}

/** Adopted: reverse-charge customers get this tax on every detail (EN 16931 requires rate 0 with category AE). */
export const REVERSE_CHARGE: TaxRate = { code: 'AE', category: 'AE', rate: '0' };

const RATE = /^\d{1,3}(\.\d{1,4})?$/;
const ZERO_RATE_CATEGORIES: ReadonlySet<TaxCategory> = new Set(['Z', 'E', 'AE', 'K', 'G', 'O']);

export function validateTaxRate(tax: unknown, field: string): TaxRate {
  if (typeof tax !== 'object' || tax === null) throw new ValidationFailed(field, 'must be a tax rate');
  const { code, category, rate } = tax as Record<string, unknown>;
  if (typeof code !== 'string' || code.length === 0) throw new ValidationFailed(`${field}.code`, 'must be a tax code');
  if (typeof category !== 'string' || !(TAX_CATEGORIES as readonly string[]).includes(category)) {
    throw new ValidationFailed(`${field}.category`, `must be one of ${TAX_CATEGORIES.join(', ')}`);
  }
  if (typeof rate !== 'string' || !RATE.test(rate) || new Big(rate).gt(100)) {
    throw new ValidationFailed(`${field}.rate`, 'must be a percent decimal string between 0 and 100');
  }
  if (ZERO_RATE_CATEGORIES.has(category as TaxCategory) && !new Big(rate).eq(0)) {
    throw new ValidationFailed(`${field}.rate`, `category ${category} requires rate 0`);
  }
  if (category === 'S' && new Big(rate).eq(0))
    throw new ValidationFailed(`${field}.rate`, 'category S needs a rate above 0');
  return { code, category: category as TaxCategory, rate };
}

/** Key of a rate group: category and normalized rate ("S|21", "AA|9", "Z|0"). */
export function taxGroupKey(tax: Pick<TaxRate, 'category' | 'rate'>): string {
  return `${tax.category}|${new Big(tax.rate).toFixed()}`;
}

/** Tax of a rate group: round(group net x rate / 100), the one rounding rule. */
export function groupTax(groupNet: MinorUnits, rate: string): MinorUnits {
  return roundHalfAwayFromZero(new Big(groupNet).times(rate).div(100), 'tax');
}

/**
 * Allocates a group's tax over its details by largest remainder: each detail gets floor(net x rate / 100); the
 * remaining units (0..n) go one each to the details with the largest fractional parts. Adopted: ties go to the earlier
 * detail (details are in (date, id) order), so the allocation is deterministic.
 * The result always sums to groupTax(sum of nets, rate). O(n log n).
 */
export function allocateTax(nets: readonly MinorUnits[], rate: string): MinorUnits[] {
  const total = groupTax(
    nets.reduce((a, b) => a + b, 0),
    rate,
  );
  const floors: number[] = [];
  const fractions: Big[] = [];
  let floorSum = 0;
  for (const net of nets) {
    const raw = new Big(net).times(rate).div(100);
    const floor =
      Number(raw.round(0, Big.roundDown).toFixed(0)) - (raw.lt(0) && !raw.round(0, Big.roundDown).eq(raw) ? 1 : 0);
    floors.push(floor);
    fractions.push(raw.minus(floor));
    floorSum += floor;
  }
  const result = floors.slice();
  let remaining = total - floorSum;
  if (remaining > 0) {
    const order = nets.map((_, i) => i).sort((a, b) => fractions[b]!.cmp(fractions[a]!) || a - b);
    for (const i of order) {
      if (remaining === 0) break;
      result[i] = result[i]! + 1;
      remaining -= 1;
    }
  }
  return result.map((n) => (n === 0 ? 0 : n));
}
