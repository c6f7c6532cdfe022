/**
 * The binding of the invoice use cases (functions/invoices/) to DynamoDB (adapters/dynamodb/apply-effects.ts),
 * shared by the invoice routes and the bank-statement import (bank payments); the credit notes' is credit-notes.ts.
 *
 * Costs: editing, adding or removing a detail reads and writes O(1) items whatever the size of the invoice (the
 * domain updates the totals from the header's per-rate-group and per-line sums, `summary`). Recalculate, payments,
 * reversals and discard read every detail (O(n), ~1 RCU per 8 details).
 */
import { dynamoInvoiceChanges } from '../../adapters/dynamodb/apply-effects.ts';
import { excludedOf } from '../../adapters/dynamodb/invoice-pages-store.ts';
import { billingContext } from '../../adapters/dynamodb/projects-store.ts';
import { unbilledUpTo } from '../../adapters/dynamodb/transactions-store.ts';
import type { ExcludedWorkPorts } from '../../invoices/excluded-work.ts';
import * as excluded from '../../invoices/excluded-work.ts';
import type { InvoicePorts } from '../../invoices/ports.ts';
import * as details from '../../invoices/use-cases/edit-details.ts';
import * as header from '../../invoices/use-cases/edit-header.ts';
import * as discarding from '../../invoices/use-cases/discard.ts';
import * as payments from '../../invoices/use-cases/payments.ts';
import * as recalculating from '../../invoices/use-cases/recalculate.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { bound } from './bound.ts';

/** The invoice use cases' ports on DynamoDB (built per call: the table and the time zone come from the environment). */
export const dynamoInvoicePorts = (): InvoicePorts => ({
  invoices: dynamoInvoiceChanges,
  customers: { currentCustomer: async (projectId) => (await billingContext(projectId))?.project.customer },
  timeZone: firmTimeZone(),
});

export const editInvoiceDetail = bound(dynamoInvoicePorts, details.editInvoiceDetail);
export const removeInvoiceDetail = bound(dynamoInvoicePorts, details.removeInvoiceDetail);
export const addInvoiceDetail = bound(dynamoInvoicePorts, details.addInvoiceDetail);
export const editInvoiceHeader = bound(dynamoInvoicePorts, header.editInvoiceHeader);
export const reviewInvoice = bound(dynamoInvoicePorts, header.reviewInvoice);
export const recalculateInvoice = bound(dynamoInvoicePorts, recalculating.recalculateInvoice);
export const recordInvoicePayment = bound(dynamoInvoicePorts, payments.recordInvoicePayment);
export const reverseInvoicePayment = bound(dynamoInvoicePorts, payments.reverseInvoicePayment);
export const recordBankPayment = bound(dynamoInvoicePorts, payments.recordBankPayment);
export const discardInvoice = bound(dynamoInvoicePorts, discarding.discardInvoice);

const excludedPorts: ExcludedWorkPorts = { excludedOf, unbilledUpTo };
export const excludedWork = (invoice: Parameters<typeof excluded.excludedWork>[1]) =>
  excluded.excludedWork(excludedPorts, invoice);
