/**
 * The PDF's tables: one detail table per invoice line (contract line x type) under its title, with a subtotal, or
 * (large invoices) the summary of the lines. A table continued on a new page repeats its title, marked as continued,
 * and its column heads. A detail's description is wrapped in full; a row taller than a page goes on over the next.
 */
import type { Invoice, InvoiceDetail, InvoiceLine } from '../domain/invoice.ts';
import { lineKey } from '../domain/totals.ts';
import { formatDateShort, formatQuantity, formatRate, formatUnitPrice } from './format.ts';
import type { Labels } from './labels.ts';
import { GREY, LEFT, PAGE_ROOM, RIGHT, type Renderer, type TextStyle } from './pdf-layout.ts';

/** Detail table columns (x positions; amounts are right-aligned at their right edge). */
const COL = {
  date: LEFT,
  description: LEFT + 60,
  descriptionWidth: 180,
  quantityRight: 350,
  quantityWidth: 56,
  priceRight: 415,
  rateRight: 467,
  rateWidth: 46,
  amountRight: RIGHT,
} as const;

const ROW = 11;
const BODY: TextStyle = { size: 8.5 };
const NOTE: TextStyle = { size: 8, color: GREY };
const TITLE: TextStyle = { bold: true, size: 10 };

export type Money = (amount: number) => string;

export interface TableContext {
  readonly invoice: Invoice;
  /** Printed names of the contract lines by id (the id is printed when absent). */
  readonly names: Readonly<Record<string, string>>;
  readonly money: Money;
}

function unitLabel(unit: string, t: Labels): string {
  return Object.hasOwn(t.unit, unit) ? t.unit[unit]! : unit;
}

/** "Advisory — Uren" / "Advisory — Time": the contract line's name and the type in the customer's language. */
export function lineTitle(
  line: Pick<InvoiceLine, 'contractLineId' | 'type'>,
  t: Labels,
  names: Readonly<Record<string, string>>,
): string {
  const name = Object.hasOwn(names, line.contractLineId) ? names[line.contractLineId]! : line.contractLineId;
  return `${name} — ${t.lineType[line.type]}`;
}

/** The details per invoice line (contract line, type), in the invoice's line order. */
export function detailsByLine(invoice: Invoice): Map<string, InvoiceDetail[]> {
  const byLine = new Map<string, InvoiceDetail[]>();
  for (const line of invoice.lines) byLine.set(line.key, []);
  for (const d of invoice.details) {
    const key = lineKey(d.contractLineId, d.type);
    let list = byLine.get(key);
    if (list === undefined) {
      list = [];
      byLine.set(key, list);
    }
    list.push(d);
  }
  return byLine;
}

function columnHeads(r: Renderer): void {
  const { t } = r;
  const style = { bold: true, size: 8 } as const;
  r.text(t.date, COL.date, r.y, style);
  r.text(t.description, COL.description, r.y, style);
  r.textRight(t.quantity, COL.quantityRight, r.y, style);
  r.textRight(t.price, COL.priceRight, r.y, style);
  r.textRight(t.vatRate, COL.rateRight, r.y, style);
  r.textRight(t.amount, COL.amountRight, r.y, style);
  r.y += 12;
  r.rule(r.y - 2);
  r.y += 2;
}

function titleHeight(r: Renderer, title: string): number {
  return r.wrap(title, RIGHT - LEFT, TITLE).length * 13 + 2;
}

function tableTitle(r: Renderer, title: string): void {
  for (const line of r.wrap(title, RIGHT - LEFT, TITLE)) {
    r.text(line, LEFT, r.y, TITLE);
    r.y += 13;
  }
  r.y += 2;
}

/** One detail row: the numbers on its first line, the description (and any note) wrapped in full below. */
function detailRow(r: Renderer, d: InvoiceDetail, c: TableContext): void {
  const { t, lang } = r;
  const texts: { text: string; style: TextStyle }[] = r
    .wrap(d.printedDescription, COL.descriptionWidth, BODY)
    .map((text) => ({ text, style: BODY }));
  if (d.billingType === 'complimentary')
    for (const text of r.wrap(t.complimentary(c.money(Math.abs(d.waived))), COL.descriptionWidth, NOTE))
      texts.push({ text, style: NOTE });
  const mention = t.rateMention(d.tax.category);
  const rateStyle: TextStyle = mention === null ? BODY : { size: 7 };
  const rates = mention === null ? [formatRate(d.tax.rate, lang)] : r.wrap(mention, COL.rateWidth, rateStyle);
  const unit = unitLabel(d.unit, t);
  const quantity = formatQuantity(d.quantity, lang);
  const withUnit = unit === '' ? quantity : `${quantity} ${unit}`;
  // a long unit name goes under the quantity rather than into the description column
  const quantities = r.width(withUnit, BODY) <= COL.quantityWidth ? [withUnit] : [quantity, unit];
  const rows = Math.max(texts.length, rates.length, quantities.length);
  const height = rows * ROW + 2;
  // Kept on one page when it fits one; else started with its numbers and continued over the next page(s).
  r.ensure(height <= PAGE_ROOM ? height : Math.max(rates.length, quantities.length) * ROW + 2);
  const y = r.y;
  const page = r.pageNumber;
  r.text(formatDateShort(d.date, lang), COL.date, y, BODY);
  quantities.forEach((text, i) => {
    r.textRight(text, COL.quantityRight, y + i * ROW, BODY);
  });
  r.textRight(formatUnitPrice(d.unitPrice, c.invoice.currency, lang), COL.priceRight, y, BODY);
  rates.forEach((text, i) => {
    r.textRight(text, COL.rateRight, y + i * ROW, rateStyle);
  });
  r.textRight(c.money(d.net), COL.amountRight, y, BODY);
  texts.forEach(({ text, style }, i) => {
    if (i > 0) r.ensure(ROW);
    r.text(text, COL.description, r.y, style);
    r.y += ROW;
  });
  r.y = (r.pageNumber === page ? Math.max(r.y, y + rows * ROW) : r.y) + 2;
}

export function detailTables(
  r: Renderer,
  c: TableContext,
  byLine: ReadonlyMap<string, readonly InvoiceDetail[]>,
): void {
  const { t } = r;
  const lines = new Map(c.invoice.lines.map((l) => [l.key, l]));
  for (const [key, details] of byLine) {
    if (details.length === 0) continue;
    const line = lines.get(key);
    const title = lineTitle(line ?? details[0]!, t, c.names);
    r.ensure(titleHeight(r, title) + 35); // the title, the column heads and a first row stay together
    tableTitle(r, title);
    columnHeads(r);
    r.onPageBreak = () => {
      tableTitle(r, `${title} ${t.continued}`);
      columnHeads(r);
    };
    for (const d of details) detailRow(r, d, c);
    r.onPageBreak = null;
    if (line !== undefined) {
      const labels = r.wrap(`${t.subtotalOf} ${title}`, COL.rateRight - LEFT, { size: 8.5 });
      r.ensure(labels.length * 12 + 8);
      r.rule(r.y);
      r.y += 4;
      labels.forEach((label, i) => {
        r.textRight(label, COL.rateRight, r.y, { size: 8.5, color: GREY });
        if (i === labels.length - 1) r.textRight(c.money(line.net), COL.amountRight, r.y, { bold: true, size: 8.5 });
        r.y += 12;
      });
      r.y += 8;
    }
  }
}

/** Large invoices: one row per invoice line (title, number of details, net), the details follow in the appendix. */
export function summaryTable(r: Renderer, c: TableContext): void {
  const { t } = r;
  const style = { bold: true, size: 8.5 } as const;
  const countRight = 420;
  const head = (): void => {
    r.text(t.description, LEFT, r.y, style);
    r.textRight(`${t.quantity} ${t.details}`, countRight, r.y, style);
    r.textRight(t.amount, RIGHT, r.y, style);
    r.y += 12;
    r.rule(r.y - 2);
    r.y += 2;
  };
  r.ensure(40);
  head();
  r.onPageBreak = head;
  for (const line of c.invoice.lines) {
    const titles = r.wrap(lineTitle(line, t, c.names), countRight - 70 - LEFT, { size: 9 });
    const extra =
      line.waived !== 0 ? r.wrap(t.complimentary(c.money(Math.abs(line.waived))), countRight - 80 - LEFT, NOTE) : [];
    r.ensure(titles.length * 12 + extra.length * 11);
    r.textRight(String(line.detailCount), countRight, r.y, { size: 9 });
    r.textRight(c.money(line.net), RIGHT, r.y, { size: 9 });
    for (const title of titles) {
      r.text(title, LEFT, r.y, { size: 9 });
      r.y += 12;
    }
    for (const text of extra) {
      r.text(text, LEFT + 10, r.y, NOTE);
      r.y += 11;
    }
  }
  r.onPageBreak = null;
  r.y += 8;
}
