/**
 * The binding of the invoice use cases (functions/invoices/) to DynamoDB (adapters/dynamodb/apply-effects.ts),
 * shared by the invoice routes and the bank-statement import (bank payments); the credit notes' is credit-notes.ts. The ports are built per call: the
 * table and the time zone come from the environment.
 */
import { dynamoInvoicePorts } from '../../adapters/dynamodb/apply-effects.ts';
import { excludedOf } from '../../adapters/dynamodb/invoice-pages-store.ts';
import { unbilledUpTo } from '../../adapters/dynamodb/transactions-store.ts';
import type { ExcludedWorkPorts } from '../../invoices/excluded-work.ts';
import * as excluded from '../../invoices/excluded-work.ts';
import type { InvoicePorts } from '../../invoices/ports.ts';
import * as details from '../../invoices/use-cases/edit-details.ts';
import * as header from '../../invoices/use-cases/edit-header.ts';
import * as discarding from '../../invoices/use-cases/discard.ts';
import * as payments from '../../invoices/use-cases/payments.ts';
import * as recalculating from '../../invoices/use-cases/recalculate.ts';

/** Binds a use case to the DynamoDB ports (read when called: the table and time zone come from the environment). */
function bound<A extends unknown[], R>(useCase: (ports: InvoicePorts, ...args: A) => R): (...args: A) => R {
  return (...args) => useCase(dynamoInvoicePorts(), ...args);
}

export const editInvoiceDetail = bound(details.editInvoiceDetail);
export const removeInvoiceDetail = bound(details.removeInvoiceDetail);
export const addInvoiceDetail = bound(details.addInvoiceDetail);
export const editInvoiceHeader = bound(header.editInvoiceHeader);
export const reviewInvoice = bound(header.reviewInvoice);
export const recalculateInvoice = bound(recalculating.recalculateInvoice);
export const recordInvoicePayment = bound(payments.recordInvoicePayment);
export const reverseInvoicePayment = bound(payments.reverseInvoicePayment);
export const recordBankPayment = bound(payments.recordBankPayment);
export const discardInvoice = bound(discarding.discardInvoice);

const excludedPorts: ExcludedWorkPorts = { excludedOf, unbilledUpTo };
export const excludedWork = (invoice: Parameters<typeof excluded.excludedWork>[1]) =>
  excluded.excludedWork(excludedPorts, invoice);
