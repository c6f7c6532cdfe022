/**
 * The invoice / credit note PDF (rules section 4, Send): a legally complete Dutch invoice in the customer's language,
 * rendered from the issued snapshot. Deterministic: the same invoice, firm, options and font files give the same
 * bytes (fixed info dates derived from the issue date, so pdfkit's file /ID, an MD5 of the info, is fixed too; no
 * clock, no random). Streams page by page (pdfkit without bufferPages), so memory grows with the PDF bytes, not with
 * the pages' drawing state. Layout is absolute (own line wrapping and page breaks), never pdfkit's auto-flow.
 */
import PDFDocument from 'pdfkit';
import type { IsoDate } from '../domain/dates.ts';
import type { Invoice, InvoiceDetail, InvoiceLine } from '../domain/invoice.ts';
import { lineKey } from '../domain/totals.ts';
import type { PostalAddress } from '../domain/addresses.ts';
import { firmPostalAddress, type FirmProfile } from './firm.ts';
import { countryName } from './countries.ts';
import { defaultFonts, type PdfFonts } from './fonts.ts';
import {
  documentLanguage,
  formatDateLong,
  formatDateShort,
  formatMoney,
  formatQuantity,
  formatRate,
  formatUnitPrice,
  supplyPeriod,
  type DocumentLanguage,
} from './format.ts';
import { LABELS, type Labels } from './labels.ts';
import { paymentBlock } from './payment-block.ts';

export interface InvoicePdfOptions {
  /**
   * Credit notes: the number (and issue date) of the invoice they correct. The credit note itself only holds that
   * invoice's id (`creditFor`), which is printed when this is absent.
   */
  readonly creditFor?: { readonly number: string; readonly issueDate?: IsoDate | null };
  /** Printed names of the contract lines by id (the invoice only holds ids); the id is printed when absent. */
  readonly contractLines?: Readonly<Record<string, string>>;
  /** More details than this: summary lines first, details in an appendix. Default 50. */
  readonly appendixThreshold?: number;
  /** Embedded TrueType fonts; default: DejaVu Sans, see fonts.ts. */
  readonly fonts?: PdfFonts;
  /** The project's name, printed as "Project" (the internal id never is). */
  readonly projectName?: string;
  /** Issued invoices: the payment reference (quoted in the closing text, printed with the EPC QR code). */
  readonly paymentReference?: string;
}

export const DEFAULT_APPENDIX_THRESHOLD = 50;

const PAGE_WIDTH = 595.28; // A4
const PAGE_HEIGHT = 841.89;
const LEFT = 50;
const RIGHT = PAGE_WIDTH - 50;
const TOP = 50;
const BOTTOM = PAGE_HEIGHT - 70; // content limit; the footer sits below
const META_LABEL = 288; // document data block (right of the customer)
const META_VALUE = 388;
const GREY = '#555555';
const BLACK = '#000000';
const RULE = '#999999';

const REGULAR = 'Regular';
const BOLD = 'Bold';

/** Detail table columns (x positions; amounts are right-aligned at their right edge). */
const COL = {
  date: LEFT,
  description: LEFT + 60,
  descriptionWidth: 180,
  quantityRight: 350,
  priceRight: 415,
  rateRight: 467,
  amountRight: RIGHT,
} as const;

interface TextStyle {
  readonly bold?: boolean;
  readonly size?: number;
  readonly color?: string;
}

/** Fixed PDF dates from the issue date (midnight UTC): part of the deterministic bytes. */
function documentDate(issueDate: IsoDate): Date {
  return new Date(`${issueDate}T00:00:00.000Z`);
}

function requireIssued(invoice: Invoice): { number: string; issueDate: IsoDate; dueDate: IsoDate } {
  if (invoice.number === null || invoice.issueDate === null || invoice.dueDate === null) {
    throw new Error(`invoice ${invoice.id} is not issued: only issued documents are rendered`);
  }
  return { number: invoice.number, issueDate: invoice.issueDate, dueDate: invoice.dueDate };
}

class Renderer {
  readonly doc: PDFKit.PDFDocument;
  y = TOP;
  pageNumber = 0;
  /** Called after a page break inside a table, to repeat its header. */
  onPageBreak: (() => void) | null = null;

  constructor(
    readonly invoice: Invoice,
    readonly firm: FirmProfile,
    readonly lang: DocumentLanguage,
    readonly t: Labels,
    readonly number: string,
    fonts: PdfFonts,
    info: PDFKit.DocumentInfo,
  ) {
    this.doc = new PDFDocument({
      autoFirstPage: false,
      bufferPages: false,
      compress: true,
      font: '', // no default font: pdfkit's standard-14 fonts are not embedded
      info,
      lang: lang === 'nl' ? 'nl-NL' : 'en-GB',
      displayTitle: true,
    });
    this.doc.registerFont(REGULAR, fonts.regular);
    this.doc.registerFont(BOLD, fonts.bold);
  }

  newPage(): void {
    this.doc.addPage({ size: 'A4', margins: { top: TOP, bottom: 0, left: LEFT, right: 50 } });
    this.pageNumber += 1;
    const footer = [
      this.firm.name,
      `${this.t.kvk} ${this.firm.chamberOfCommerce}`,
      `${this.t.vat} ${this.firm.vatNumber}`,
      `IBAN ${this.firm.iban}`,
    ].join('  ·  ');
    this.rule(PAGE_HEIGHT - 55);
    this.text(footer, LEFT, PAGE_HEIGHT - 48, { size: 7, color: GREY });
    this.textRight(`${this.number}  ·  ${this.t.page(this.pageNumber)}`, RIGHT, PAGE_HEIGHT - 36, {
      size: 7,
      color: GREY,
    });
    this.y = TOP;
  }

  /** Makes room for `height` points, breaking the page (and repeating a table header) when needed. */
  ensure(height: number): void {
    if (this.y + height <= BOTTOM) return;
    this.newPage();
    this.onPageBreak?.();
  }

  style(style: TextStyle): void {
    this.doc
      .font(style.bold === true ? BOLD : REGULAR)
      .fontSize(style.size ?? 9)
      .fillColor(style.color ?? BLACK);
  }

  text(value: string, x: number, y: number, style: TextStyle = {}): void {
    this.style(style);
    this.doc.text(value, x, y, { lineBreak: false });
  }

  textRight(value: string, right: number, y: number, style: TextStyle = {}): void {
    this.style(style);
    this.doc.text(value, right - this.doc.widthOfString(value), y, { lineBreak: false });
  }

  width(value: string, style: TextStyle = {}): number {
    this.style(style);
    return this.doc.widthOfString(value);
  }

  /** Own word wrapping to at most `maxLines` lines (the last one shortened with an ellipsis). */
  wrap(value: string, width: number, style: TextStyle = {}, maxLines = 3): string[] {
    this.style(style);
    const lines: string[] = [];
    for (const paragraph of value.split('\n')) {
      if (this.doc.widthOfString(paragraph) <= width) {
        lines.push(paragraph);
        continue;
      }
      let line = '';
      for (const word of paragraph.split(/\s+/)) {
        const candidate = line === '' ? word : `${line} ${word}`;
        if (this.doc.widthOfString(candidate) <= width) line = candidate;
        else {
          if (line !== '') lines.push(line);
          line = word;
          while (this.doc.widthOfString(line) > width && line.length > 1) {
            // a single word wider than the column: hard break
            let cut = line.length - 1;
            while (cut > 1 && this.doc.widthOfString(line.slice(0, cut)) > width) cut -= 1;
            lines.push(line.slice(0, cut));
            line = line.slice(cut);
          }
        }
      }
      if (line !== '') lines.push(line);
    }
    if (lines.length <= maxLines) return lines;
    const kept = lines.slice(0, maxLines);
    let last = `${kept[maxLines - 1]!}…`;
    while (this.doc.widthOfString(last) > width && last.length > 1) last = `${last.slice(0, -2)}…`;
    kept[maxLines - 1] = last;
    return kept;
  }

  rule(y: number, from = LEFT, to = RIGHT): void {
    this.doc.moveTo(from, y).lineTo(to, y).lineWidth(0.5).strokeColor(RULE).stroke();
  }

  finish(): void {
    this.doc.end();
  }
}

function addressLines(address: string): string[] {
  return address
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** A structured address as printed: its lines, "postcode city", the subdivision, the country when not the firm's. */
function postalAddressLines(a: PostalAddress, homeCountry: string, lang: DocumentLanguage): string[] {
  const cityLine = a.postalCode !== null ? `${a.postalCode} ${a.city}` : a.city;
  return [
    ...a.lines,
    a.subdivision !== null ? `${cityLine}, ${a.subdivision}` : cityLine,
    ...(a.country === homeCountry ? [] : [countryName(a.country, lang)]),
  ];
}

function firmAddressLines(firm: FirmProfile, lang: DocumentLanguage): string[] {
  return postalAddressLines(firmPostalAddress(firm), 'NL', lang);
}

/** The customer's address: from the structured fields; an old customer's free text printed as stored. */
function customerAddressLines(invoice: Invoice, firm: FirmProfile, lang: DocumentLanguage): string[] {
  const structured = invoice.customer.postalAddress;
  if (structured) return postalAddressLines(structured, firmPostalAddress(firm).country, lang);
  return addressLines(invoice.billTo.address);
}

function unitLabel(unit: string, t: Labels): string {
  return Object.hasOwn(t.unit, unit) ? t.unit[unit]! : unit;
}

function lineTitle(
  line: Pick<InvoiceLine, 'contractLineId' | 'type'>,
  t: Labels,
  names: Readonly<Record<string, string>>,
): string {
  const name = Object.hasOwn(names, line.contractLineId) ? names[line.contractLineId]! : line.contractLineId;
  return `${name} — ${t.lineType[line.type]}`;
}

function isReverseCharge(invoice: Invoice): boolean {
  return invoice.customer.reverseCharge === true || invoice.totals.taxes.some((g) => g.category === 'AE');
}

/** Renders an issued invoice or credit note as PDF bytes. */
export async function renderInvoicePdf(
  invoice: Invoice,
  firm: FirmProfile,
  options: InvoicePdfOptions = {},
): Promise<Buffer> {
  const { number, issueDate, dueDate } = requireIssued(invoice);
  const lang = documentLanguage(invoice.customer.language);
  const t = LABELS[lang];
  const credit = invoice.kind === 'credit_note';
  const title = credit ? t.creditNoteTitle : t.invoiceTitle;
  const fixed = documentDate(issueDate);
  const r = new Renderer(invoice, firm, lang, t, number, options.fonts ?? defaultFonts(), {
    Title: `${title} ${number}`,
    Author: firm.name,
    Subject: `${title} ${number} — ${invoice.billTo.name}`,
    Creator: 'factuur',
    Producer: 'factuur (pdfkit)',
    CreationDate: fixed,
    ModDate: fixed,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    r.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    r.doc.on('end', () => resolve(Buffer.concat(chunks)));
    r.doc.on('error', reject);
  });
  const money = (amount: number): string => formatMoney(amount, invoice.currency, lang);
  const names = options.contractLines ?? {};
  const threshold = options.appendixThreshold ?? DEFAULT_APPENDIX_THRESHOLD;
  const useAppendix = invoice.details.length > threshold;

  r.newPage();
  header(r, invoice, firm, {
    title,
    number,
    issueDate,
    dueDate,
    credit,
    creditFor: options.creditFor,
    ...(options.projectName !== undefined ? { projectName: options.projectName } : {}),
  });

  // Group details by line (contract line, type) in the invoice's line order.
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

  if (useAppendix) summaryTable(r, invoice, names, money);
  else detailTables(r, invoice, byLine, names, money);

  // The payment reference and the EPC QR code, left of the totals (functions/documents/payment-block.ts).
  const paymentEnd =
    options.paymentReference && !credit && invoice.totals.total > 0
      ? paymentBlock(
          r,
          firm,
          { reference: options.paymentReference, amountMinor: invoice.totals.total, currency: invoice.currency },
          lang,
          LEFT,
          REGULAR,
          BOLD,
        )
      : 0;
  totalsBlock(r, invoice, money);
  r.y = Math.max(r.y, paymentEnd);
  closingBlock(r, invoice, firm, {
    number,
    dueDate,
    credit,
    creditFor: options.creditFor,
    money,
    ...(options.paymentReference ? { reference: options.paymentReference } : {}),
  });
  if (useAppendix) {
    r.ensure(20);
    r.text(t.seeAppendix(invoice.details.length), LEFT, r.y, { size: 9 });
    r.y += 14;
    r.newPage();
    r.text(t.appendixTitle(number), LEFT, r.y, { bold: true, size: 13 });
    r.y += 24;
    detailTables(r, invoice, byLine, names, money);
  }
  r.finish();
  return done;
}

interface HeaderInfo {
  readonly projectName?: string;
  readonly title: string;
  readonly number: string;
  readonly issueDate: IsoDate;
  readonly dueDate: IsoDate;
  readonly credit: boolean;
  readonly creditFor: InvoicePdfOptions['creditFor'];
}

function header(r: Renderer, invoice: Invoice, firm: FirmProfile, h: HeaderInfo): void {
  const { t, lang } = r;
  // Supplier (left) and its registration (right).
  r.text(firm.name, LEFT, TOP, { bold: true, size: 16 });
  let y = TOP + 22;
  for (const line of firmAddressLines(firm, lang)) {
    r.text(line, LEFT, y, { size: 9 });
    y += 12;
  }
  const contact = [firm.email, firm.phone, firm.website].filter((v): v is string => v !== undefined && v !== '');
  for (const line of contact) {
    r.text(line, LEFT, y, { size: 9, color: GREY });
    y += 12;
  }
  const registration: [string, string][] = [
    [t.kvk, firm.chamberOfCommerce],
    [lang === 'nl' ? 'Btw-nummer' : 'VAT number', firm.vatNumber],
    [t.iban, firm.iban],
    ...(firm.bic !== undefined && firm.bic !== '' ? [[t.bic, firm.bic] as [string, string]] : []),
  ];
  let ry = TOP + 22;
  for (const [label, value] of registration) {
    r.textRight(`${label}: ${value}`, RIGHT, ry, { size: 9 });
    ry += 12;
  }
  y = Math.max(y, ry) + 18;

  r.text(h.title, LEFT, y, { bold: true, size: 20 });
  y += 34;

  // Customer (left) and document data (right).
  const top = y;
  const customerLine = (value: string, style: TextStyle, step: number): void => {
    for (const line of r.wrap(value, 228, style, 2)) {
      r.text(line, LEFT, y, style);
      y += step;
    }
  };
  customerLine(invoice.billTo.name, { bold: true, size: 10 }, 13);
  for (const line of customerAddressLines(invoice, firm, lang)) customerLine(line, { size: 10 }, 13);
  if (invoice.billTo.name !== invoice.customer.name) customerLine(invoice.customer.name, { size: 9, color: GREY }, 12);
  if (invoice.customer.taxId !== null && invoice.customer.taxId !== '')
    customerLine(`${t.customerVat}: ${invoice.customer.taxId}`, { size: 10 }, 13);

  const meta: [string, string][] = [
    [h.credit ? t.creditNoteNumber : t.invoiceNumber, h.number],
    [h.credit ? t.creditNoteDate : t.issueDate, formatDateLong(h.issueDate, lang)],
  ];
  if (!h.credit) meta.push([t.dueDate, formatDateLong(h.dueDate, lang)]);
  if (h.credit) {
    const corrected = h.creditFor?.number ?? invoice.creditFor ?? '';
    const date = h.creditFor?.issueDate;
    meta.push([
      t.correctsInvoice,
      date !== undefined && date !== null ? `${corrected} ${t.of} ${formatDateShort(date, lang)}` : corrected,
    ]);
  }
  const period = supplyPeriod(invoice.details);
  if (period !== null) {
    meta.push(
      period.from === period.to
        ? [t.supplyDate, formatDateLong(period.from, lang)]
        : [t.period, `${formatDateShort(period.from, lang)} ${t.through} ${formatDateShort(period.to, lang)}`],
    );
  }
  if (invoice.buyerReference !== null && invoice.buyerReference !== undefined && invoice.buyerReference !== '')
    meta.push([t.buyerReference, invoice.buyerReference]);
  if (invoice.poNumber !== null && invoice.poNumber !== '') meta.push([t.yourReference, invoice.poNumber]);
  if (h.projectName !== undefined) meta.push([t.project, h.projectName]);
  let my = top;
  for (const [label, value] of meta) {
    r.text(`${label}:`, META_LABEL, my, { size: 9, color: GREY });
    for (const line of r.wrap(value, RIGHT - META_VALUE, { size: 9 }, 3)) {
      r.text(line, META_VALUE, my, { size: 9 });
      my += 12;
    }
    my += 1;
  }
  r.y = Math.max(y, my) + 22;
}

function detailTableHeader(r: Renderer): void {
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

function detailTables(
  r: Renderer,
  invoice: Invoice,
  byLine: ReadonlyMap<string, readonly InvoiceDetail[]>,
  names: Readonly<Record<string, string>>,
  money: (amount: number) => string,
): void {
  const { t, lang } = r;
  const lines = new Map(invoice.lines.map((l) => [l.key, l]));
  for (const [key, details] of byLine) {
    if (details.length === 0) continue;
    const first = details[0]!;
    const line = lines.get(key);
    r.ensure(50);
    r.text(lineTitle(line ?? first, t, names), LEFT, r.y, { bold: true, size: 10 });
    r.y += 15;
    r.onPageBreak = () => detailTableHeader(r);
    detailTableHeader(r);
    for (const d of details) {
      // Wrapped in full: nothing of a description is cut (the API limits its length, so it fits a page).
      const description = r.wrap(d.printedDescription, COL.descriptionWidth, { size: 8.5 }, 200);
      const extra = d.billingType === 'complimentary' ? [t.complimentary(money(d.waived))] : [];
      const mention = t.rateMention(d.tax.category);
      const rateLines = mention === null ? [formatRate(d.tax.rate, lang)] : r.wrap(mention, 46, { size: 7 }, 2);
      const rows = Math.max(description.length + extra.length, rateLines.length);
      r.ensure(rows * 11 + 2);
      const y = r.y;
      const unit = unitLabel(d.unit, t);
      r.text(formatDateShort(d.date, lang), COL.date, y, { size: 8.5 });
      description.forEach((text, i) => {
        r.text(text, COL.description, y + i * 11, { size: 8.5 });
      });
      extra.forEach((text, i) => {
        r.text(text, COL.description, y + (description.length + i) * 11, { size: 8, color: GREY });
      });
      r.textRight(`${formatQuantity(d.quantity, lang)}${unit === '' ? '' : ` ${unit}`}`, COL.quantityRight, y, {
        size: 8.5,
      });
      r.textRight(formatUnitPrice(d.unitPrice, invoice.currency, lang), COL.priceRight, y, { size: 8.5 });
      rateLines.forEach((text, i) => {
        r.textRight(text, COL.rateRight, y + i * 11, { size: mention === null ? 8.5 : 7 });
      });
      r.textRight(money(d.net), COL.amountRight, y, { size: 8.5 });
      r.y = y + rows * 11 + 2;
    }
    r.onPageBreak = null;
    if (line !== undefined) {
      r.ensure(16);
      r.rule(r.y);
      r.y += 4;
      r.textRight(`${t.subtotalOf} ${lineTitle(line, t, names)}`, COL.rateRight, r.y, { size: 8.5, color: GREY });
      r.textRight(money(line.net), COL.amountRight, r.y, { bold: true, size: 8.5 });
      r.y += 20;
    }
  }
}

function summaryTable(
  r: Renderer,
  invoice: Invoice,
  names: Readonly<Record<string, string>>,
  money: (amount: number) => string,
): void {
  const { t } = r;
  const style = { bold: true, size: 8.5 } as const;
  const head = (): void => {
    r.text(t.description, LEFT, r.y, style);
    r.textRight(`${t.quantity} ${t.details}`, 420, r.y, style);
    r.textRight(t.amount, RIGHT, r.y, style);
    r.y += 12;
    r.rule(r.y - 2);
    r.y += 2;
  };
  r.ensure(40);
  head();
  r.onPageBreak = head;
  for (const line of invoice.lines) {
    const extra = line.waived !== 0 ? [t.complimentary(money(line.waived))] : [];
    r.ensure(12 + extra.length * 11);
    r.text(lineTitle(line, t, names), LEFT, r.y, { size: 9 });
    r.textRight(String(line.detailCount), 420, r.y, { size: 9 });
    r.textRight(money(line.net), RIGHT, r.y, { size: 9 });
    r.y += 12;
    for (const text of extra) {
      r.text(text, LEFT + 10, r.y, { size: 8, color: GREY });
      r.y += 11;
    }
  }
  r.onPageBreak = null;
  r.y += 8;
}

function totalsBlock(r: Renderer, invoice: Invoice, money: (amount: number) => string): void {
  const { t, lang } = r;
  const totals = invoice.totals;
  const rows = 3 + totals.taxes.length;
  r.ensure(rows * 14 + 30);
  r.rule(r.y, 300);
  r.y += 6;
  const row = (label: string, value: string, bold = false): void => {
    r.textRight(label, 440, r.y, { size: 9.5, bold });
    r.textRight(value, RIGHT, r.y, { size: 9.5, bold });
    r.y += 14;
  };
  row(t.subtotal, money(totals.net));
  for (const g of totals.taxes) row(t.vatOver(formatRate(g.rate, lang), g.category, money(g.net)), money(g.tax));
  r.rule(r.y, 300);
  r.y += 4;
  row(t.total, money(totals.total), true);
  if (totals.waived !== 0) {
    r.textRight(t.waivedTotal(money(totals.waived)), RIGHT, r.y, { size: 8, color: GREY });
    r.y += 12;
  }
  r.y += 12;
}

interface ClosingInfo {
  readonly number: string;
  readonly dueDate: IsoDate;
  readonly credit: boolean;
  readonly creditFor: InvoicePdfOptions['creditFor'];
  readonly money: (amount: number) => string;
  /** The payment reference to quote (else the number). */
  readonly reference?: string;
}

function closingBlock(r: Renderer, invoice: Invoice, firm: FirmProfile, c: ClosingInfo): void {
  const { t, lang } = r;
  const paragraph = (text: string, style: TextStyle = { size: 9.5 }): void => {
    const lines = r.wrap(text, RIGHT - LEFT, style, 10);
    r.ensure(lines.length * 13 + 4);
    for (const line of lines) {
      r.text(line, LEFT, r.y, style);
      r.y += 13;
    }
    r.y += 6;
  };
  if (isReverseCharge(invoice)) {
    paragraph(t.reverseCharge, { bold: true, size: 11 });
    const vat =
      invoice.customer.taxId !== null && invoice.customer.taxId !== ''
        ? ` ${t.customerVat}: ${invoice.customer.taxId}.`
        : '';
    paragraph(`${t.reverseChargeExplanation}${vat}`);
  }
  for (const category of ['K', 'G', 'E', 'O'] as const)
    if (invoice.totals.taxes.some((g) => g.category === category)) paragraph(t.legalMention[category]);
  if (c.credit) paragraph(t.creditSettlement(c.creditFor?.number ?? invoice.creditFor ?? ''));
  else if (invoice.totals.total > 0) {
    const iban =
      firm.bic !== undefined && firm.bic !== '' ? `IBAN ${firm.iban} (BIC ${firm.bic})` : `IBAN ${firm.iban}`;
    paragraph(
      t.payment(
        c.money(invoice.totals.total),
        formatDateLong(c.dueDate, lang),
        iban,
        firm.name,
        c.reference ?? c.number,
      ),
    );
  } else paragraph(t.nothingToPay);
  if (invoice.notes !== null && invoice.notes !== '') paragraph(invoice.notes, { size: 9, color: GREY });
}
