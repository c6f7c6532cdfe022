import { invoiceHeader } from '../../adapters/dynamodb/invoices-store.ts';
import { s3ArchiveReader } from '../../adapters/s3/archive-reader.ts';
import { storedDocuments } from '../../sending/stored-documents.ts';
import {
  HttpProblem,
  httpApiWithoutPosts,
  notFound,
  problemType,
  type ApiRequest,
} from '../../shared/http-api-without-posts.ts';
import { sendingOperations, sendingSchemas } from '../../api/openapi/sending.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/**
 * GET /invoices/{id}/pdf and /ubl: the archived bytes of an issued invoice or credit note (S3; no document library,
 * no rendering here). Rendering happens once, in the deliver-invoices workflow that Send starts; until it has
 * archived them (normally seconds after Send) the answer is 503 problem+json with Retry-After, which the portal
 * waits for and retries.
 * Adopted: 503 + Retry-After over rendering on demand here. Rendering here would put pdfkit and the fonts into a
 * function behind a page (about 2.5 MB, three times the import time) for a moment that lasts seconds, and would make
 * a second renderer of the archived documents; the retry gets exactly the bytes the e-mail carries.
 * A draft has no document: it gets its number, and so its documents, at Send (404).
 */
const RETRY_AFTER_SECONDS = 3;
const issuedStatuses = ['issued', 'partially_paid', 'paid', 'cancelled'];

async function archived(request: ApiRequest) {
  const invoiceId = request.path.invoiceId as string;
  const header = await invoiceHeader(invoiceId);
  if (!header || header.number === null || !issuedStatuses.includes(header.status))
    throw notFound(`an issued invoice ${invoiceId}`);
  const stored = await storedDocuments(invoiceId, s3ArchiveReader);
  if (!stored)
    throw new HttpProblem(
      {
        type: problemType('not-archived-yet'),
        title: 'Service Unavailable',
        status: 503,
        detail: `${header.number} is issued; its documents are being rendered and archived. Retry in a few seconds.`,
      },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  return { number: header.number, stored };
}

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = { operations: sendingOperations, schemas: sendingSchemas };

export const handler = httpApiWithoutPosts(contract, {
  'GET /invoices/{invoiceId}/pdf': async (request) => {
    const { number, stored } = await archived(request);
    return {
      status: 200,
      document: { contentType: 'application/pdf', content: stored.pdf, fileName: `${number}.pdf` },
    };
  },
  'GET /invoices/{invoiceId}/ubl': async (request) => {
    const { number, stored } = await archived(request);
    if (stored.ubl === null) throw notFound(`an e-invoice for ${number}: ${stored.noEInvoiceReason}`);
    return {
      status: 200,
      document: { contentType: 'application/xml', content: stored.ubl, fileName: `${number}.xml` },
    };
  },
});
