import { putAuditEntry } from '../../adapters/dynamodb/invoice-changes-store.ts';
import {
  completeDraft,
  createBuildingHeader,
  deleteBuildingHeader,
  invoiceDetails,
  invoiceHeader,
  projectInvoices,
  RESERVATION_CHUNK,
  releaseDetails,
  replaceExcluded,
  reserveDetails,
} from '../../adapters/dynamodb/invoices-store.ts';
import { billingContext } from '../../adapters/dynamodb/projects-store.ts';
import { openTransactions, transactionsById } from '../../adapters/dynamodb/transactions-store.ts';
import type { Actor } from '../../invoices/use-cases/context.ts';
import { finishManualInvoice as finish } from '../../manual-invoicing/finish-manual-invoice.ts';
import { type ManualParameters, previewManualInvoice as preview } from '../../manual-invoicing/manual-invoicing.ts';
import type { ManualInvoicingPorts } from '../../manual-invoicing/ports.ts';
import { firmTimeZone } from '../../shared/firm.ts';

/** Manual invoicing on DynamoDB: the project's billing data and the building draft (A3, A18, invoices-store). */
export function manualInvoicingPorts(): ManualInvoicingPorts {
  return {
    timeZone: firmTimeZone(),
    billing: {
      async context(projectId) {
        const context = await billingContext(projectId);
        return context && { ...context, customerId: context.record.customerId };
      },
      openTransactions,
      transactionsById,
      projectInvoices,
    },
    drafts: {
      header: invoiceHeader,
      details: invoiceDetails,
      createBuilding: createBuildingHeader,
      reservationChunk: RESERVATION_CHUNK,
      reserve: (invoiceId, projectId, details) =>
        reserveDetails(
          invoiceId,
          projectId,
          details.map((detail) => ({ detail })),
        ),
      release: releaseDetails,
      dropBuilding: deleteBuildingHeader,
      replaceExcluded,
      complete: (draft) => completeDraft(draft),
      audit: putAuditEntry,
    },
  };
}

export const previewManualInvoice = (projectId: string, parameters: ManualParameters, actor: Actor, now: Date) =>
  preview(manualInvoicingPorts(), projectId, parameters, actor, now);

export const finishManualInvoice = (
  projectId: string,
  token: string,
  idempotencyKey: string,
  actor: Actor,
  now: Date,
) => finish(manualInvoicingPorts(), projectId, token, idempotencyKey, actor, now);
