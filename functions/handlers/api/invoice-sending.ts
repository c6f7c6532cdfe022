import { todayInZone } from '../../domain/index.ts';
import { invoiceHeader } from '../../adapters/dynamodb/invoices-store.ts';
import { deliveriesOf } from '../../adapters/dynamodb/deliveries-store.ts';
import { issuedDocuments } from '../../sending/deliver-invoice.ts';
import { resendInvoice, sendToCustomer } from '../../sending/send-to-customer.ts';
import { creditInvoice, type CreditInput } from '../../invoices/credit-notes.ts';
import { publicHeader } from '../../invoices/public-header.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { httpApi, notFound, StaleVersion, type ApiRequest } from '../../shared/http-api.ts';

/**
 * The invoice routes that issue, render and e-mail documents (one Lambda, apart from api/invoices because it carries
 * the PDF and e-invoice libraries and the fonts): Send to customer, credit notes, resend, the delivery log, PDF, UBL.
 */
const actor = (request: ApiRequest) => ({ username: request.caller.username, userId: request.caller.userId });

/**
 * A version conflict found by the issue transaction's condition carries no version (the transaction does not return
 * the item): read it, so that the 412 names the current version and its ETag.
 */
async function withCurrentVersion<T>(invoiceId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StaleVersion && error.currentVersion === null)
      throw new StaleVersion((await invoiceHeader(invoiceId))?.version ?? null, 'invoice');
    throw error;
  }
}

export const handler = httpApi({
  'POST /invoices/{invoiceId}/send': async (request) => {
    const outcome = await withCurrentVersion(request.path.invoiceId as string, () =>
      sendToCustomer(
        request.path.invoiceId as string,
        request.ifMatch(),
        actor(request),
        request.now,
        todayInZone(request.now, firmTimeZone()),
      ),
    );
    if (!outcome.invoice) throw notFound(`invoice ${request.path.invoiceId}`);
    return {
      status: 200,
      body: { invoice: publicHeader(outcome.invoice), delivery: outcome.delivery ?? null },
      version: outcome.invoice.version,
    };
  },
  'POST /invoices/{invoiceId}/credit-notes': async (request) => {
    const outcome = await creditInvoice(
      request.path.invoiceId as string,
      request.ifMatch(),
      request.body as CreditInput,
      request.headers['idempotency-key'] as string,
      actor(request),
      request.now,
      todayInZone(request.now, firmTimeZone()),
    );
    return {
      status: 201,
      body: {
        invoice: publicHeader(outcome.invoice),
        creditNote: publicHeader(outcome.creditNote),
        delivery: outcome.delivery ?? null,
      },
      version: outcome.invoice.version,
    };
  },
  'GET /invoices/{invoiceId}/deliveries': async (request) => {
    const header = await invoiceHeader(request.path.invoiceId as string);
    if (!header) throw notFound(`invoice ${request.path.invoiceId}`);
    return { status: 200, body: { items: await deliveriesOf(header.id) } };
  },
  'POST /invoices/{invoiceId}/deliveries': async (request) => {
    const delivery = await resendInvoice(
      request.path.invoiceId as string,
      (request.body as { to?: string } | undefined)?.to,
      actor(request),
      request.now,
    );
    return { status: 202, body: delivery };
  },
  'GET /invoices/{invoiceId}/pdf': async (request) => {
    const issued = await issuedDocuments(request.path.invoiceId as string);
    if (!issued) throw notFound(`an issued invoice ${request.path.invoiceId}`);
    return {
      status: 200,
      document: { contentType: 'application/pdf', content: issued.pdf, fileName: `${issued.invoice.number}.pdf` },
    };
  },
  'GET /invoices/{invoiceId}/ubl': async (request) => {
    const issued = await issuedDocuments(request.path.invoiceId as string);
    if (!issued) throw notFound(`an issued invoice ${request.path.invoiceId}`);
    if (issued.ubl === null) throw notFound(`an e-invoice for ${issued.invoice.number}: ${issued.noEInvoiceReason}`);
    return {
      status: 200,
      document: { contentType: 'application/xml', content: issued.ubl, fileName: `${issued.invoice.number}.xml` },
    };
  },
});
