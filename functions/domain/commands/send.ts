/** Discard a draft, and Send to customer: the commands that end a draft. */
import { addDays, assertIsoDate } from '../dates.ts';
import { InvalidTransition, ValidationFailed } from '../errors.ts';
import type { CommandContext, Invoice } from '../invoice.ts';
import type { CustomerSnapshot, TransactionType } from '../project.ts';
import { compareDecimal, subtractDecimal } from '../money.ts';
import { formatInvoiceNumber, issueYear } from '../numbering.ts';
import {
  canonicalReference,
  formatBelgianReference,
  type PaymentReferenceFormat,
  paymentReferenceFor,
  referenceFormatFor,
} from '../payment-reference.ts';
import { commit, EDITABLE, requireStatus, sendProblems, settledStatus } from './common.ts';
import {
  type BilledTransaction,
  type CommandResult,
  type DiscardResult,
  type Effects,
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
    effects: { ...NO_EFFECTS, ...billingOf(invoice) },
  };
}

/** What Send bills: every detail's work, as the domain decides it (also what a crash left to write after the issue). */
export type BillingEffects = Pick<
  Effects,
  'billedTransactions' | 'writeDowns' | 'createdTransactions' | 'invoicedMilestoneIds'
>;

/**
 * The billing of an invoice at Send (and of the same invoice as issued: a delivery attempt finishing what a crash
 * left): its transactions billed at the invoiced quantity, lowered quantities written down, manual details as new
 * transactions billed by it, milestones invoiced.
 */
export function billingOf(invoice: Invoice): BillingEffects {
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
        // Adopted: a manual milestone line becomes a fee transaction (transactions have no milestone type).
        type: d.type === 'milestone' ? 'fee' : (d.type as TransactionType),
        date: d.date,
        contractLineId: d.contractLineId,
        description: d.description,
        printedDescription: d.printedDescription,
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
  return { billedTransactions, writeDowns, createdTransactions, invoicedMilestoneIds };
}

export interface IssueCommand {
  /** The last number of the invoice series of the issue year, as read from its counter (0: none yet). */
  readonly lastInSeries: number;
  readonly requireApproval?: boolean;
  /** The firm's payment reference format per customer country (default ISO 11649). */
  readonly referenceFormats?: Readonly<Record<string, PaymentReferenceFormat>>;
  /** The e-mail queued with the issue (the outbox). */
  readonly delivery: { readonly deliveryId: string; readonly to: string };
}

/** What issuing writes besides the invoice and its billing: the counter, the payment reference, the e-mail. */
export interface IssueEffects {
  /** The series counter moves from `last` to `next`, only if nobody moved it meanwhile (else: the next number). */
  readonly series: { readonly kind: 'invoice'; readonly year: number; readonly last: number; readonly next: number };
  /** Printed as the customer types it; canonical as a bank statement brings it back (A26). */
  readonly paymentReference: { readonly printed: string; readonly canonical: string };
  readonly queuedDelivery: {
    readonly invoiceId: string;
    readonly deliveryId: string;
    readonly kind: 'send';
    readonly to: string;
    readonly queuedAt: string;
    readonly queuedBy: string;
  };
}

export interface IssueResult extends CommandResult {
  readonly issue: IssueEffects;
}

/**
 * Send to customer with its number: the next of the series of the issue year, the payment reference of that number
 * and the e-mail queued, besides everything `send` changes. Nothing is written unless all of it is.
 */
export function issue(invoice: Invoice, command: IssueCommand, ctx: CommandContext): IssueResult {
  const year = issueYear(assertIsoDate(ctx.today, 'today'));
  const next = command.lastInSeries + 1;
  const number = formatInvoiceNumber('invoice', year, next);
  const sent = send(invoice, { number, requireApproval: command.requireApproval === true }, ctx);
  return {
    ...sent,
    issue: {
      series: { kind: 'invoice', year, last: command.lastInSeries, next },
      paymentReference: issuedReference(number, invoice.customer, command.referenceFormats),
      queuedDelivery: {
        invoiceId: invoice.id,
        deliveryId: command.delivery.deliveryId,
        kind: 'send',
        to: command.delivery.to,
        queuedAt: ctx.now,
        queuedBy: ctx.actor,
      },
    },
  };
}

/**
 * The customer's country: the structured postal address when the customer has one, else the country prefix of its
 * VAT number. Adopted: a customer with neither is treated as "not listed" (ISO 11649).
 */
export function customerCountry(customer: CustomerSnapshot): string | undefined {
  const structured = (customer as { postalAddress?: { country?: unknown } }).postalAddress?.country;
  if (typeof structured === 'string' && /^[A-Za-z]{2}$/.test(structured)) return structured.toUpperCase();
  const prefix = /^([A-Za-z]{2})/.exec(customer.taxId ?? '')?.[1];
  return prefix ? prefix.toUpperCase().replace(/^EL$/, 'GR') : undefined;
}

/** The payment reference of an invoice issued with this number: printed form and the canonical (looked-up) form. */
export function issuedReference(
  number: string,
  customer: CustomerSnapshot,
  formats: Readonly<Record<string, PaymentReferenceFormat>> | undefined,
): { printed: string; canonical: string } {
  const format = referenceFormatFor(customerCountry(customer), formats);
  const canonical = paymentReferenceFor(number, format);
  const checked = canonicalReference(canonical);
  if (checked !== canonical) throw new Error(`payment reference ${canonical} does not validate`);
  return { canonical, printed: format === 'belgian' ? formatBelgianReference(canonical) : canonical };
}
