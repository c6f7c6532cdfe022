import type { ManualParameters } from '../../manual-invoicing/manual-invoicing.ts';
import { finishManualInvoice, previewManualInvoice } from '../wiring/manual-invoicing.ts';
import { httpApi } from '../../shared/http-api.ts';
import { publicHeader } from '../../invoices/public-header.ts';
import { manualInvoicingOperations, manualInvoicingSchemas } from '../../api/openapi/manual-invoicing.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = { operations: manualInvoicingOperations, schemas: manualInvoicingSchemas };

/** Manual invoicing (one Lambda): Next (preview, writes nothing) and Finish (creates the draft). */
export const handler = httpApi(contract, {
  'POST /projects/{projectId}/invoice-preview': async (request) => ({
    status: 200,
    body: await previewManualInvoice(
      request.path.projectId as string,
      request.body as ManualParameters,
      { username: request.caller.username, userId: request.caller.userId },
      request.now,
    ),
  }),
  'POST /projects/{projectId}/invoices': async (request) => {
    const invoice = await finishManualInvoice(
      request.path.projectId as string,
      (request.body as { token: string }).token,
      request.headers['idempotency-key'] as string,
      { username: request.caller.username, userId: request.caller.userId },
      request.now,
    );
    return {
      status: 201,
      body: publicHeader(invoice),
      version: invoice.version,
      headers: { location: `/invoices/${invoice.id}` },
    };
  },
});
