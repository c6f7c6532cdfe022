import { billingOf, compareByDateThenId, type Invoice } from '../domain/index.ts';
import type { FirmProfile } from '../documents/firm.ts';
import { renderInvoicePdf } from '../documents/invoice-pdf.ts';
import { renderInvoiceUbl } from '../documents/invoice-ubl.ts';
import { eInvoiceDecision } from '../documents/pre-issue-check.ts';
import type { DocumentArchive } from './document-archive.ts';
import type { DeliveryPorts } from './ports.ts';
import { storedDocuments, type ArchivedDocuments } from './stored-documents.ts';

/**
 * An issued invoice's documents, rendered once from the invoice as frozen at Send and kept in the archive
 * (issue 12, point 7). Whoever needs them first after the issue (the delivery of its e-mail, normally within
 * seconds) renders and archives them; everyone after reads the archived bytes. A crash between the issue and the
 * archive leaves nothing half-done: the next delivery attempt (the outbox sweep) renders again from the same frozen
 * invoice, and the conditional puts keep whatever was stored first, so in effect the documents are archived once.
 * This module carries the document libraries (pdfkit, fonts): only functions nobody waits for import it.
 * An issue whose billing did not fit in its transaction (`billingPending`) is finished first, with the billing the
 * domain derives from the invoice as issued (`billingOf`, the same rule Send applied).
 */
export interface IssuedInvoice {
  readonly invoice: Invoice;
  readonly supplier: FirmProfile;
  readonly paymentReference?: string;
}

export interface IssuedDocuments extends IssuedInvoice, ArchivedDocuments {}

const issuedStatuses = ['issued', 'partially_paid', 'paid', 'cancelled'];

/** The issued invoice as frozen at Send (undefined for a draft, or a credit note whose details are being written). */
export type IssuedReaders = Pick<DeliveryPorts, 'issuing' | 'invoices' | 'firm'>;

export async function issuedInvoice(
  ports: IssuedReaders,
  invoiceId: string,
): Promise<(IssuedInvoice & { readonly render: () => Promise<RenderedDocuments> }) | undefined> {
  const loaded = await ports.issuing.load(invoiceId);
  if (!loaded || loaded.header.number === null || !issuedStatuses.includes(loaded.header.status)) return undefined;
  const { header } = loaded;
  if (header.detailsPending) return undefined;
  if (header.billingPending)
    await ports.issuing.completeBilling(invoiceId, header.projectId, billingOf(loaded.invoice));
  const invoice: Invoice = { ...loaded.invoice, details: [...loaded.invoice.details].sort(compareByDateThenId) };
  const supplier = header.supplier ?? (await ports.firm.profile());
  const creditFor = header.creditFor ? await ports.invoices.header(header.creditFor) : undefined;
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
  archive: DocumentArchive,
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
  ports: IssuedReaders & Pick<DeliveryPorts, 'archive'>,
  invoiceId: string,
): Promise<IssuedDocuments | undefined> {
  const issued = await issuedInvoice(ports, invoiceId);
  if (!issued) return undefined;
  const { render: _render, ...frozen } = issued;
  return { ...frozen, ...(await archiveDocuments(issued, ports.archive)) };
}
