/**
 * The PDF's closing blocks: the totals with VAT per rate group (each with its base and, for zero-rated categories,
 * the legal mention instead of a bare "0 %"), then the legal texts, the payment request (or the credit note's
 * settlement) and the invoice's note, every text wrapped in full.
 */
import type { IsoDate } from '../domain/dates.ts';
import type { Invoice } from '../domain/invoice.ts';
import type { FirmProfile } from './firm.ts';
import { formatDateLong, formatRate } from './format.ts';
import { GREY, RIGHT, type Renderer } from './pdf-layout.ts';
import type { Money } from './pdf-tables.ts';

const LABEL_RIGHT = 440;
const LABEL_WIDTH = 240;

export function isReverseCharge(invoice: Invoice): boolean {
  return invoice.customer.reverseCharge === true || invoice.totals.taxes.some((g) => g.category === 'AE');
}

export function totalsBlock(r: Renderer, invoice: Invoice, money: Money): void {
  const { t, lang } = r;
  const totals = invoice.totals;
  const rows: { label: string[]; value: string; bold: boolean; ruleAbove: boolean }[] = [
    { label: [t.subtotal], value: money(totals.net), bold: false, ruleAbove: false },
    ...totals.taxes.map((g) => ({
      label: r.wrap(t.vatOver(formatRate(g.rate, lang), g.category, money(g.net)), LABEL_WIDTH, { size: 9.5 }),
      value: money(g.tax),
      bold: false,
      ruleAbove: false,
    })),
    { label: [t.total], value: money(totals.total), bold: true, ruleAbove: true },
  ];
  const height = rows.reduce((sum, row) => sum + row.label.length * 14, 0) + 30;
  r.ensure(height);
  r.rule(r.y, 300);
  r.y += 6;
  for (const row of rows) {
    if (row.ruleAbove) {
      r.rule(r.y, 300);
      r.y += 4;
    }
    row.label.forEach((label, i) => {
      r.textRight(label, LABEL_RIGHT, r.y, { size: 9.5, bold: row.bold });
      if (i === row.label.length - 1) r.textRight(row.value, RIGHT, r.y, { size: 9.5, bold: row.bold });
      r.y += 14;
    });
  }
  if (totals.waived !== 0) {
    r.textRight(t.waivedTotal(money(Math.abs(totals.waived))), RIGHT, r.y, { size: 8, color: GREY });
    r.y += 12;
  }
  r.y += 12;
}

export interface ClosingInfo {
  readonly number: string;
  readonly dueDate: IsoDate;
  readonly credit: boolean;
  /** The corrected invoice's number (credit notes; its id is printed when absent). */
  readonly creditForNumber?: string | undefined;
  readonly money: Money;
  /** The payment reference to quote (else the number). */
  readonly reference?: string | undefined;
}

export function closingBlock(r: Renderer, invoice: Invoice, firm: FirmProfile, c: ClosingInfo): void {
  const { t, lang } = r;
  if (isReverseCharge(invoice)) {
    r.paragraph(t.reverseCharge, { bold: true, size: 11 });
    const taxId = invoice.customer.taxId;
    const vat = taxId !== null && taxId !== '' ? ` ${t.customerVat}: ${taxId}.` : '';
    r.paragraph(`${t.reverseChargeExplanation}${vat}`);
  }
  for (const category of ['K', 'G', 'E', 'O'] as const)
    if (invoice.totals.taxes.some((g) => g.category === category)) r.paragraph(t.legalMention[category]);
  if (c.credit) r.paragraph(t.creditSettlement(c.creditForNumber ?? invoice.creditFor ?? ''));
  else if (invoice.totals.total > 0) {
    const iban =
      firm.bic !== undefined && firm.bic !== '' ? `IBAN ${firm.iban} (BIC ${firm.bic})` : `IBAN ${firm.iban}`;
    const due = formatDateLong(c.dueDate, lang);
    r.paragraph(t.payment(c.money(invoice.totals.total), due, iban, firm.name, c.reference ?? c.number));
  } else r.paragraph(t.nothingToPay);
  if (invoice.notes !== null && invoice.notes !== '') r.paragraph(invoice.notes, { size: 9, color: GREY });
}
