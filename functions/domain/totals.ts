/**
 * Totals from details. Everything is a sum, so totals can be computed incrementally: summarize chunks of details
 * (e.g. DynamoDB pages) with summarizeDetails, merge with mergeSummaries, and finish with totalsFromSummary.
 * Tax is rounded once per rate group, never per detail.
 */
import { addMinor, type MinorUnits } from './money.ts';
import { allocateTax, groupTax, taxGroupKey, type TaxCategory } from './tax.ts';
import {
  LINE_TYPES,
  type InvoiceDetail,
  type InvoiceLine,
  type InvoiceTotals,
  type LineType,
  type Payment,
  type CreditApplied,
} from './invoice.ts';

export interface RateGroupSum {
  readonly category: TaxCategory;
  readonly rate: string;
  readonly net: MinorUnits;
  readonly count: number;
}

export interface LineSum {
  readonly contractLineId: string;
  readonly type: LineType;
  readonly net: MinorUnits;
  readonly waived: MinorUnits;
  readonly count: number;
}

/** Mergeable sums of a set of details. Keys: taxGroupKey / lineKey. */
export interface DetailSummary {
  readonly net: MinorUnits;
  readonly waived: MinorUnits;
  readonly count: number;
  readonly groups: Readonly<Record<string, RateGroupSum>>;
  readonly lines: Readonly<Record<string, LineSum>>;
}

export const EMPTY_SUMMARY: DetailSummary = { net: 0, waived: 0, count: 0, groups: {}, lines: {} };

export function lineKey(contractLineId: string, type: LineType): string {
  return `${contractLineId}#${type}`;
}

/** One pass over the details. */
export function summarizeDetails(details: readonly InvoiceDetail[]): DetailSummary {
  let net = 0;
  let waived = 0;
  const groups = new Map<string, { category: TaxCategory; rate: string; net: number; count: number }>();
  const lines = new Map<
    string,
    { contractLineId: string; type: LineType; net: number; waived: number; count: number }
  >();
  for (const d of details) {
    net = addMinor(net, d.net);
    waived = addMinor(waived, d.waived);
    const gk = taxGroupKey(d.tax);
    const g = groups.get(gk);
    if (g === undefined)
      groups.set(gk, { category: d.tax.category, rate: gk.slice(gk.indexOf('|') + 1), net: d.net, count: 1 });
    else {
      g.net = addMinor(g.net, d.net);
      g.count += 1;
    }
    const lk = lineKey(d.contractLineId, d.type);
    const l = lines.get(lk);
    if (l === undefined)
      lines.set(lk, { contractLineId: d.contractLineId, type: d.type, net: d.net, waived: d.waived, count: 1 });
    else {
      l.net = addMinor(l.net, d.net);
      l.waived = addMinor(l.waived, d.waived);
      l.count += 1;
    }
  }
  return { net, waived, count: details.length, groups: Object.fromEntries(groups), lines: Object.fromEntries(lines) };
}

export function mergeSummaries(a: DetailSummary, b: DetailSummary): DetailSummary {
  const groups: Record<string, RateGroupSum> = { ...a.groups };
  for (const [k, g] of Object.entries(b.groups)) {
    const x = groups[k];
    groups[k] = x === undefined ? g : { ...x, net: addMinor(x.net, g.net), count: x.count + g.count };
  }
  const lines: Record<string, LineSum> = { ...a.lines };
  for (const [k, l] of Object.entries(b.lines)) {
    const x = lines[k];
    lines[k] =
      x === undefined
        ? l
        : { ...x, net: addMinor(x.net, l.net), waived: addMinor(x.waived, l.waived), count: x.count + l.count };
  }
  return { net: addMinor(a.net, b.net), waived: addMinor(a.waived, b.waived), count: a.count + b.count, groups, lines };
}

/** Removes `removed` and adds `added` to a summary; groups and lines left with no detail disappear. */
export function adjustSummary(
  summary: DetailSummary,
  removed: readonly InvoiceDetail[],
  added: readonly InvoiceDetail[],
): DetailSummary {
  const minus = summarizeDetails(removed);
  const negated: DetailSummary = {
    net: -minus.net,
    waived: -minus.waived,
    count: -minus.count,
    groups: Object.fromEntries(
      Object.entries(minus.groups).map(([k, g]) => [k, { ...g, net: -g.net, count: -g.count }]),
    ),
    lines: Object.fromEntries(
      Object.entries(minus.lines).map(([k, l]) => [k, { ...l, net: -l.net, waived: -l.waived, count: -l.count }]),
    ),
  };
  const merged = mergeSummaries(mergeSummaries(summary, negated), summarizeDetails(added));
  return {
    ...merged,
    net: merged.net || 0,
    waived: merged.waived || 0,
    groups: Object.fromEntries(Object.entries(merged.groups).filter(([, g]) => g.count > 0)),
    lines: Object.fromEntries(Object.entries(merged.lines).filter(([, l]) => l.count > 0)),
  };
}

/** Totals from a summary plus payments and credits. Group tax = round(group net x rate) once per group. */
export function totalsFromSummary(
  summary: DetailSummary,
  payments: readonly Payment[] = [],
  credits: readonly CreditApplied[] = [],
): InvoiceTotals {
  const taxes = Object.keys(summary.groups)
    .sort()
    .map((key) => {
      const g = summary.groups[key]!;
      return { key, category: g.category, rate: g.rate, net: g.net, tax: groupTax(g.net, g.rate) };
    });
  const tax = taxes.reduce((sum, g) => addMinor(sum, g.tax), 0);
  const total = addMinor(summary.net, tax);
  const paid = payments.reduce((sum, p) => (p.reversal === null ? addMinor(sum, p.amount) : sum), 0);
  const credited = credits.reduce((sum, c) => addMinor(sum, c.amount), 0);
  return {
    net: summary.net,
    waived: summary.waived,
    taxes,
    tax,
    total,
    paid,
    credited,
    balance: total - paid - credited,
  };
}

/**
 * Lines ordered by contract line order (as given) then type order; unknown contract lines last, by id.
 * Adopted: invoices are built without an order, so their lines sort by contract line id, then time, expense,
 * material, fee, milestone.
 */
export function linesFromSummary(summary: DetailSummary, contractLineOrder: readonly string[] = []): InvoiceLine[] {
  const rank = new Map(contractLineOrder.map((id, i) => [id, i]));
  return Object.entries(summary.lines)
    .map(([key, l]) => ({
      key,
      contractLineId: l.contractLineId,
      type: l.type,
      net: l.net,
      waived: l.waived,
      detailCount: l.count,
    }))
    .sort(
      (a, b) =>
        (rank.get(a.contractLineId) ?? Number.MAX_SAFE_INTEGER) -
          (rank.get(b.contractLineId) ?? Number.MAX_SAFE_INTEGER) ||
        (a.contractLineId < b.contractLineId ? -1 : a.contractLineId > b.contractLineId ? 1 : 0) ||
        LINE_TYPES.indexOf(a.type) - LINE_TYPES.indexOf(b.type),
    );
}

/**
 * Tax shown per detail: each rate group's tax allocated over its details by largest remainder (sums to the group
 * tax exactly). Adopted: not stored on details (would make every edit rewrite all details); computed for display.
 */
export function detailTaxes(details: readonly InvoiceDetail[]): Map<string, MinorUnits> {
  const byGroup = new Map<string, { rate: string; ids: string[]; nets: number[] }>();
  for (const d of details) {
    const key = taxGroupKey(d.tax);
    let g = byGroup.get(key);
    if (g === undefined) {
      g = { rate: d.tax.rate, ids: [], nets: [] };
      byGroup.set(key, g);
    }
    g.ids.push(d.id);
    g.nets.push(d.net);
  }
  const result = new Map<string, MinorUnits>();
  for (const g of byGroup.values()) {
    const taxes = allocateTax(g.nets, g.rate);
    g.ids.forEach((id, i) => {
      result.set(id, taxes[i]!);
    });
  }
  return result;
}
