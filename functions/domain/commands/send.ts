/** Discard a draft, and Send to customer: the commands that end a draft. */
import { addDays, assertIsoDate } from '../dates.ts';
import { InvalidTransition, ValidationFailed } from '../errors.ts';
import type { CommandContext, Invoice } from '../invoice.ts';
import type { TransactionType } from '../project.ts';
import { compareDecimal, subtractDecimal } from '../money.ts';
import { commit, EDITABLE, requireStatus, sendProblems, settledStatus } from './common.ts';
import {
  type BilledTransaction,
  type CommandResult,
  type DiscardResult,
  NO_EFFECTS,
  type NewTransaction,
  type WriteDown,
} from './effects.ts';

/** Deletes a draft (draft, in_review): every transaction and milestone is released; the origin key stays used. */
export function discard(invoice: Invoice, _command: Record<string, never>, ctx: CommandContext): DiscardResult {
  requireStatus(invoice, EDITABLE, 'discard');
  const releasedTransactionIds: string[] = [];
  const releasedMilestoneIds: string[] = [];
  for (const d of invoice.details) {
    if (d.source.kind === 'transaction') releasedTransactionIds.push(d.source.transactionId);
    else if (d.source.kind === 'milestone') releasedMilestoneIds.push(d.source.milestoneId);
  }
  const originKey =
    invoice.origin.kind === 'run'
      ? invoice.origin.key
      : invoice.origin.kind === 'manual'
        ? invoice.origin.requestId
        : invoice.origin.invoiceId;
  return {
    invoiceId: invoice.id,
    originKey,
    audit: {
      action: 'discard',
      actor: ctx.actor,
      at: ctx.now,
      fromVersion: invoice.version,
      toVersion: invoice.version + 1,
      before: { status: invoice.status },
      after: { status: 'deleted' },
    },
    effects: { ...NO_EFFECTS, releasedTransactionIds, releasedMilestoneIds },
  };
}

export interface SendCommand {
  /** The number from the counter, e.g. formatInvoiceNumber('invoice', 2027, 1). */
  readonly number: string;
  /** The firm's `reviewBeforeSend`: only an invoice in review that another billing user approved may be sent. */
  readonly requireApproval?: boolean;
}

/**
 * Send to customer: requires total >= 0, a customer email, at least one billable detail and the limit respected.
 * Sets number, issue date (today), due date (issue date + payment terms), status issued, and lists the transactions
 * to mark billed, the write-downs, the manual transactions to create and the milestones invoiced.
 * Adopted: an invoice issued with total 0 is settled at once (status paid).
 */
export function send(invoice: Invoice, command: SendCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, EDITABLE, 'send');
  if (command.requireApproval === true && !(invoice.status === 'in_review' && invoice.review?.approvedBy))
    throw new InvalidTransition(
      invoice.status,
      'send',
      'review before sending is on: another billing user must approve it first',
    );
  if (typeof command.number !== 'string' || command.number.trim() === '')
    throw new ValidationFailed('number', 'required');
  const today = assertIsoDate(ctx.today, 'today');
  const problem = sendProblems(invoice)[0];
  if (problem !== undefined) throw new ValidationFailed(problem.field, problem.message);
  const billedTransactions: BilledTransaction[] = [];
  const writeDowns: WriteDown[] = [];
  const createdTransactions: NewTransaction[] = [];
  const invoicedMilestoneIds: string[] = [];
  for (const d of invoice.details) {
    if (d.source.kind === 'milestone') {
      invoicedMilestoneIds.push(d.source.milestoneId);
      continue;
    }
    billedTransactions.push({ transactionId: d.source.transactionId, quantity: d.quantity });
    if (d.source.kind === 'manual') {
      createdTransactions.push({
        id: d.source.transactionId,
        linkedTransactionId: null,
        type: d.type as TransactionType,
        date: d.date,
        contractLineId: d.contractLineId,
        description: d.description,
        resource: d.resource,
        orgUnit: d.orgUnit,
        quantity: d.quantity,
        unit: d.unit,
        unitPrice: d.unitPrice,
        tax: d.tax,
        billingType: d.billingType,
        onHold: false,
        billedBy: invoice.id,
      });
    } else if (d.originalQuantity !== null && compareDecimal(d.quantity, d.originalQuantity) < 0) {
      writeDowns.push({
        transactionId: d.source.transactionId,
        originalQuantity: d.originalQuantity,
        billedQuantity: d.quantity,
        writtenDownQuantity: subtractDecimal(d.originalQuantity, d.quantity),
      });
    }
  }
  const issued: Invoice = {
    ...invoice,
    number: command.number,
    issueDate: today,
    dueDate: addDays(today, invoice.paymentTermsDays),
    status: 'issued',
  };
  const after: Invoice = { ...issued, status: settledStatus(issued) };
  return {
    invoice: commit(
      invoice,
      after,
      'send',
      ctx,
      { number: null },
      { number: after.number, issueDate: after.issueDate, dueDate: after.dueDate },
    ),
    effects: { ...NO_EFFECTS, billedTransactions, writeDowns, createdTransactions, invoicedMilestoneIds },
  };
}
