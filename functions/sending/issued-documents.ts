import type { Invoice } from '../domain/index.ts';
import type { FirmProfile } from '../documents/firm.ts';
import { renderInvoicePdf } from '../documents/invoice-pdf.ts';
import { renderInvoiceUbl } from '../documents/invoice-ubl.ts';
import { eInvoiceDecision } from '../documents/pre-issue-check.ts';
import { invoiceHeader } from '../adapters/dynamodb/invoices-store.ts';
import { loadInvoice } from '../adapters/dynamodb/invoice-changes-store.ts';
import { completeBilling } from '../adapters/dynamodb/issue-store.ts';
import { firmProfile } from '../adapters/dynamodb/firm-store.ts';
import { s3DocumentArchive } from '../adapters/s3/document-archive.ts';
import type { DocumentArchive } from './document-archive.ts';
import { storedDocuments, type ArchivedDocuments } from './stored-documents.ts';

/**
 * An issued invoice's documents, rendered once from the invoice as frozen at Send and kept in the archive
 * (issue 12, point 7). Whoever needs them first after the issue (the delivery of its e-mail, normally within
 * seconds) renders and archives them; everyone after reads the archived bytes. A crash between the issue and the
 * archive leaves nothing half-done: the next delivery attempt (the outbox sweep) renders again from the same frozen
 * invoice, and the conditional puts keep whatever was stored first, so in effect the documents are archived once.
 * This module carries the document libraries (pdfkit, fonts): only functions nobody waits for import it.
 */
export interface IssuedInvoice {
  readonly invoice: Invoice;
  readonly supplier: FirmProfile;
  readonly paymentReference?: string;
}

export interface IssuedDocuments extends IssuedInvoice, ArchivedDocuments {}

const issuedStatuses = ['issued', 'partially_paid', 'paid', 'cancelled'];

/** The issued invoice as frozen at Send (undefined for a draft, or a credit note whose details are being written). */
export async function issuedInvoice(
  invoiceId: string,
): Promise<(IssuedInvoice & { readonly render: () => Promise<RenderedDocuments> }) | undefined> {
  const loaded = await loadInvoice(invoiceId);
  if (!loaded || loaded.header.number === null || !issuedStatuses.includes(loaded.header.status)) return undefined;
  const { header } = loaded;
  if (header.detailsPending) return undefined;
  if (header.billingPending) await completeBilling(invoiceId, loaded.invoice);
  const invoice: Invoice = { ...loaded.invoice, details: [...loaded.invoice.details].sort(byDateThenId) };
  const supplier = header.supplier ?? (await firmProfile());
  const creditFor = header.creditFor ? await invoiceHeader(header.creditFor) : undefined;
  const options = {
    ...(creditFor?.number && creditFor.issueDate
      ? { creditFor: { number: creditFor.number, issueDate: creditFor.issueDate } }
      : {}),
    ...(header.paymentReference ? { paymentReference: header.paymentReference } : {}),
  };
  const render = async (): Promise<RenderedDocuments> => {
    // One after the other: a 20,000-detail invoice's PDF and UBL together would crowd a 1,024 MB Lambda.
    const pdf = await renderInvoicePdf(invoice, supplier, {
      ...options,
      ...(header.contractLineNames ? { contractLines: header.contractLineNames } : {}),
      ...(header.projectName ? { projectName: header.projectName } : {}),
    });
    const decision = eInvoiceDecision(invoice);
    return decision.send
      ? { pdf, ubl: Buffer.from(renderInvoiceUbl(invoice, supplier, options), 'utf8'), noEInvoiceReason: null }
      : { pdf, ubl: null, noEInvoiceReason: decision.reason };
  };
  return {
    invoice,
    supplier,
    ...(header.paymentReference ? { paymentReference: header.paymentReference } : {}),
    render,
  };
}

export type RenderedDocuments = ArchivedDocuments;

/**
 * Renders and archives an issued invoice's documents unless they are archived already; answers the archived ones.
 * The e-invoice part (UBL, or the reason there is none) is put first and the PDF last: a stored PDF means the set is
 * complete (see stored-documents.ts).
 */
export async function archiveDocuments(
  issued: IssuedInvoice & { readonly render: () => Promise<RenderedDocuments> },
  archive: DocumentArchive = s3DocumentArchive,
): Promise<ArchivedDocuments> {
  const invoiceId = issued.invoice.id;
  const stored = await storedDocuments(invoiceId, archive);
  if (stored) return stored;
  const rendered = await issued.render();
  const ubl = rendered.ubl ? await archive.put(invoiceId, 'ubl', rendered.ubl) : null;
  const reason =
    rendered.noEInvoiceReason !== null
      ? (await archive.put(invoiceId, 'no-e-invoice', Buffer.from(rendered.noEInvoiceReason, 'utf8'))).toString('utf8')
      : null;
  const pdf = await archive.put(invoiceId, 'pdf', rendered.pdf);
  return { pdf, ubl, noEInvoiceReason: reason };
}

/** The issued invoice with its archived documents (rendered and archived now if nobody did yet). */
export async function issuedDocuments(
  invoiceId: string,
  archive: DocumentArchive = s3DocumentArchive,
): Promise<IssuedDocuments | undefined> {
  const issued = await issuedInvoice(invoiceId);
  if (!issued) return undefined;
  const { render: _render, ...frozen } = issued;
  return { ...frozen, ...(await archiveDocuments(issued, archive)) };
}

function byDateThenId(a: { date: string; id: string }, b: { date: string; id: string }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
