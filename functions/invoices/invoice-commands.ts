/**
 * Invoice commands of the portal API, wired to DynamoDB: the use cases live in ./use-cases/ (each depends only on
 * the ports in ./ports.ts); this module binds them to the DynamoDB adapter (adapters/dynamodb/apply-effects.ts) under
 * the names the route handlers import.
 *
 * Costs: editing, adding or removing a detail reads and writes O(1) items whatever the size of the invoice (the
 * domain updates the totals from the header's per-rate-group and per-line sums, `summary`). Recalculate, payments,
 * reversals and discard read every detail (O(n), ~1 RCU per 8 details).
 */
import { dynamoInvoicePorts } from '../adapters/dynamodb/apply-effects.ts';
import type { CommandContext } from '../domain/index.ts';
import { firmTimeZone } from '../shared/firm.ts';
import type { InvoicePorts } from './ports.ts';
import { type Actor, commandContext as contextIn } from './use-cases/context.ts';
import * as details from './use-cases/edit-details.ts';
import * as header from './use-cases/edit-header.ts';
import * as discarding from './use-cases/discard.ts';
import * as payments from './use-cases/payments.ts';
import * as recalculating from './use-cases/recalculate.ts';

export type { Actor, ChangeOutcome } from './use-cases/context.ts';
export type { EditDetailInput } from './use-cases/edit-details.ts';
export type { EditHeaderInput, ReviewStep } from './use-cases/edit-header.ts';
export type { BankPayment, BankPaymentOutcome } from './use-cases/payments.ts';
export { adjustSummary, EMPTY_SUMMARY } from '../domain/index.ts';

export function commandContext(actor: Actor, now: Date): CommandContext {
  return contextIn(actor, now, firmTimeZone());
}

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
