/**
 * The PDF's first block: supplier with its registration, the document title, the customer (bill-to) and the
 * document data (number, dates, the corrected invoice, period of supply, references, project name).
 */
import type { PostalAddress } from '../domain/addresses.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Invoice } from '../domain/invoice.ts';
import { countryName } from './countries.ts';
import { firmPostalAddress, type FirmProfile } from './firm.ts';
import { formatDateLong, formatDateShort, supplyPeriod, type DocumentLanguage } from './format.ts';
import { GREY, LEFT, RIGHT, TOP, type Renderer, type TextStyle } from './pdf-layout.ts';

const META_LABEL = 288; // document data block (right of the customer)
const META_VALUE = 388;
const CUSTOMER_WIDTH = 228;

export interface HeaderInfo {
  readonly title: string;
  readonly number: string;
  readonly issueDate: IsoDate;
  readonly dueDate: IsoDate;
  readonly credit: boolean;
  /** Credit notes: the corrected invoice's number and date (its id is printed when absent). */
  readonly creditFor?: { readonly number: string; readonly issueDate?: IsoDate | null } | undefined;
  /** The project's name (never its internal id). */
  readonly projectName?: string | undefined;
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

/** The customer's address: from the structured fields; an old customer's free text printed as stored. */
function customerAddressLines(invoice: Invoice, firm: FirmProfile, lang: DocumentLanguage): string[] {
  const structured = invoice.customer.postalAddress;
  if (structured) return postalAddressLines(structured, firmPostalAddress(firm).country, lang);
  return addressLines(invoice.billTo.address);
}

function present(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value.trim() !== '';
}

/** The document data printed right of the customer, label -> value. */
function documentData(r: Renderer, invoice: Invoice, h: HeaderInfo): [string, string][] {
  const { t, lang } = r;
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
  if (present(invoice.buyerReference)) meta.push([t.buyerReference, invoice.buyerReference]);
  if (present(invoice.poNumber)) meta.push([t.yourReference, invoice.poNumber]);
  if (present(h.projectName)) meta.push([t.project, h.projectName]);
  return meta;
}

export function header(r: Renderer, invoice: Invoice, firm: FirmProfile, h: HeaderInfo): void {
  const { t, lang } = r;
  // Supplier (left) and its registration (right).
  r.text(firm.name, LEFT, TOP, { bold: true, size: 16 });
  let y = TOP + 22;
  for (const line of postalAddressLines(firmPostalAddress(firm), 'NL', lang)) {
    r.text(line, LEFT, y, { size: 9 });
    y += 12;
  }
  for (const line of [firm.email, firm.phone, firm.website].filter(present)) {
    r.text(line, LEFT, y, { size: 9, color: GREY });
    y += 12;
  }
  const registration: [string, string][] = [
    [t.kvk, firm.chamberOfCommerce],
    [lang === 'nl' ? 'Btw-nummer' : 'VAT number', firm.vatNumber],
    [t.iban, firm.iban],
    ...(present(firm.bic) ? [[t.bic, firm.bic] as [string, string]] : []),
  ];
  let ry = TOP + 22;
  for (const [label, value] of registration) {
    r.textRight(`${label}: ${value}`, RIGHT, ry, { size: 9 });
    ry += 12;
  }
  y = Math.max(y, ry) + 18;

  r.text(h.title, LEFT, y, { bold: true, size: 20 });
  y += 34;

  // Customer (left) and document data (right), every value wrapped in full.
  const top = y;
  const customerLine = (value: string, style: TextStyle, step: number): void => {
    for (const line of r.wrap(value, CUSTOMER_WIDTH, style)) {
      r.text(line, LEFT, y, style);
      y += step;
    }
  };
  customerLine(invoice.billTo.name, { bold: true, size: 10 }, 13);
  for (const line of customerAddressLines(invoice, firm, lang)) customerLine(line, { size: 10 }, 13);
  if (invoice.billTo.name !== invoice.customer.name) customerLine(invoice.customer.name, { size: 9, color: GREY }, 12);
  if (present(invoice.customer.taxId)) customerLine(`${t.customerVat}: ${invoice.customer.taxId}`, { size: 10 }, 13);

  let my = top;
  for (const [label, value] of documentData(r, invoice, h)) {
    r.text(`${label}:`, META_LABEL, my, { size: 9, color: GREY });
    for (const line of r.wrap(value, RIGHT - META_VALUE, { size: 9 })) {
      r.text(line, META_VALUE, my, { size: 9 });
      my += 12;
    }
    my += 1;
  }
  r.y = Math.max(y, my) + 22;
}
