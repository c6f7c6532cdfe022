/**
 * The invoice / credit note PDF (rules section 4, Send): a legally complete Dutch invoice in the customer's language,
 * rendered from the issued snapshot. Deterministic: the same invoice, firm, options and font files give the same
 * bytes (fixed info dates derived from the issue date, so pdfkit's file /ID, an MD5 of the info, is fixed too; no
 * clock, no random). Layout is absolute (own line wrapping and page breaks, pdf-layout.ts), never pdfkit's
 * auto-flow; it runs twice, once measuring (to know the page count for "Pagina 1 van 3") and once drawing.
 *
 * Blocks: pdf-header.ts (supplier, customer, document data), pdf-tables.ts (detail tables or the summary),
 * payment-block.ts (payment reference, EPC QR), pdf-totals.ts (totals, legal mentions, payment request, note).
 */
import PDFDocument from 'pdfkit';
import type { IsoDate } from '../domain/dates.ts';
import type { Invoice } from '../domain/invoice.ts';
import type { FirmProfile } from './firm.ts';
import { defaultFonts, type PdfFonts } from './fonts.ts';
import { documentLanguage, formatMoney } from './format.ts';
import { LABELS } from './labels.ts';
import { paymentBlock } from './payment-block.ts';
import { header } from './pdf-header.ts';
import { BOLD, LEFT, REGULAR, Renderer, type PageFrame } from './pdf-layout.ts';
import { detailsByLine, detailTables, summaryTable, type TableContext } from './pdf-tables.ts';
import { closingBlock, totalsBlock } from './pdf-totals.ts';

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

/** The whole document, drawn (or measured) through `r`; both passes run exactly this. */
function layout(r: Renderer, invoice: Invoice, firm: FirmProfile, options: InvoicePdfOptions, title: string): void {
  const { number, issueDate, dueDate } = requireIssued(invoice);
  const { t, lang } = r;
  const credit = invoice.kind === 'credit_note';
  const money = (amount: number): string => formatMoney(amount, invoice.currency, lang);
  const tables: TableContext = { invoice, names: options.contractLines ?? {}, money };
  const useAppendix = invoice.details.length > (options.appendixThreshold ?? DEFAULT_APPENDIX_THRESHOLD);

  r.newPage();
  header(r, invoice, firm, {
    title,
    number,
    issueDate,
    dueDate,
    credit,
    creditFor: options.creditFor,
    projectName: options.projectName,
  });
  const byLine = detailsByLine(invoice);
  if (useAppendix) summaryTable(r, tables);
  else detailTables(r, tables, byLine);

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
    creditForNumber: options.creditFor?.number,
    money,
    reference: options.paymentReference || undefined,
  });
  if (useAppendix) {
    r.paragraph(t.seeAppendix(invoice.details.length), { size: 9 }, 14);
    r.newPage();
    r.text(t.appendixTitle(number), LEFT, r.y, { bold: true, size: 13 });
    r.y += 24;
    detailTables(r, tables, byLine);
  }
}

/** Renders an issued invoice or credit note as PDF bytes. */
export async function renderInvoicePdf(
  invoice: Invoice,
  firm: FirmProfile,
  options: InvoicePdfOptions = {},
): Promise<Buffer> {
  const { number, issueDate } = requireIssued(invoice);
  const lang = documentLanguage(invoice.customer.language);
  const t = LABELS[lang];
  const title = invoice.kind === 'credit_note' ? t.creditNoteTitle : t.invoiceTitle;
  const fixed = documentDate(issueDate);
  const fonts = options.fonts ?? defaultFonts();
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: false,
    compress: true,
    font: '', // no default font: pdfkit's standard-14 fonts are not embedded
    info: {
      Title: `${title} ${number}`,
      Author: firm.name,
      Subject: `${title} ${number} — ${invoice.billTo.name}`,
      Creator: 'factuur',
      Producer: 'factuur (pdfkit)',
      CreationDate: fixed,
      ModDate: fixed,
    },
    lang: lang === 'nl' ? 'nl-NL' : 'en-GB',
    displayTitle: true,
  });
  doc.registerFont(REGULAR, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const frame: PageFrame = { firm, lang, t, number };
  const measured = new Renderer(doc, frame, false, null);
  layout(measured, invoice, firm, options, title);
  layout(new Renderer(doc, frame, true, measured.pageNumber), invoice, firm, options, title);
  doc.end();
  return done;
}
