/**
 * Credit note (issued, partially_paid, paid). Full: copies every detail negated and cancels the invoice; invoice plus
 * credit note sum to exactly 0 (rounding is symmetric). Partial: chosen details with a credited quantity or amount.
 * Credited quantity comes back as a new on-hold transaction `<original id>~<credit note id>` linked to the original;
 * milestones are credited whole and become ready again.
 * Adopted: the credit note is issued at once (number given, issue date today) and settled against the invoice, so its
 * own balance is 0; a full credit after a partial one is refused (credit the rest partially).
 */
import { assertIsoDate, type IsoDate } from '../dates.ts';
import { InvalidTransition, ValidationFailed } from '../errors.ts';
import type { CommandContext, CreditApplied, Invoice, InvoiceDetail } from '../invoice.ts';
import type { TransactionType } from '../project.ts';
import {
  addDecimal,
  assertDecimal,
  assertMinorUnits,
  compareDecimal,
  type Decimal,
  detailNet,
  type MinorUnits,
  negateDecimal,
  subtractDecimal,
  toMajor,
} from '../money.ts';
import { linesFromSummary, summarizeDetails, totalsFromSummary } from '../totals.ts';
import { commit, derived, findDetail, requireStatus, settledStatus } from './common.ts';
import { type CreditResult, NO_EFFECTS, type NewTransaction } from './effects.ts';

export interface CreditDetailChoice {
  readonly detailId: string;
  /** Credited quantity (positive, <= quantity not yet credited). Returns to the backlog on hold. */
  readonly quantity?: Decimal;
  /** Or a credited amount in minor units (positive, <= net not yet credited). Nothing returns to the backlog. */
  readonly amount?: MinorUnits;
}

export type CreditNoteCommand =
  | { readonly creditNoteId: string; readonly number: string; readonly full: true }
  | {
      readonly creditNoteId: string;
      readonly number: string;
      readonly full?: false;
      readonly details: readonly CreditDetailChoice[];
    };

/** What the chosen details credit: the credit note's details, the per-detail record, what returns to the backlog. */
interface Credited {
  readonly creditDetails: InvoiceDetail[];
  readonly applied: { detailId: string; quantity: Decimal; net: MinorUnits }[];
  readonly createdTransactions: NewTransaction[];
  readonly readyMilestoneIds: string[];
}

function creditedSoFar(invoice: Invoice, detailId: string): { quantity: Decimal; net: MinorUnits } {
  let quantity: Decimal = '0';
  let net = 0;
  for (const c of invoice.credits) {
    for (const d of c.details) {
      if (d.detailId === detailId) {
        quantity = addDecimal(quantity, d.quantity);
        net += d.net;
      }
    }
  }
  return { quantity, net };
}

function negated(d: InvoiceDetail, quantity: Decimal, net: MinorUnits, waived: MinorUnits): InvoiceDetail {
  return {
    ...d,
    quantity: negateDecimal(quantity),
    net: -net || 0,
    waived: -waived || 0,
    originalQuantity: null,
    originalUnitPrice: null,
    corrects: d.id,
  };
}

/** Credited quantity goes back to the backlog on hold; a credited milestone becomes ready again. */
function returnQuantity(out: Credited, d: InvoiceDetail, quantity: Decimal, creditNoteId: string): void {
  if (d.source.kind === 'milestone') {
    out.readyMilestoneIds.push(d.source.milestoneId);
    return;
  }
  if (compareDecimal(quantity, '0') <= 0) return;
  out.createdTransactions.push({
    // Adopted: deterministic id `<original>~<credit note>`, so a retried credit creates the same transaction.
    id: `${d.source.transactionId}~${creditNoteId}`,
    linkedTransactionId: d.source.transactionId,
    type: d.type as TransactionType,
    date: d.date,
    contractLineId: d.contractLineId,
    description: d.description,
    resource: d.resource,
    orgUnit: d.orgUnit,
    quantity,
    unit: d.unit,
    unitPrice: d.unitPrice,
    tax: d.tax,
    billingType: d.billingType,
    onHold: true,
    billedBy: null,
  });
}

function creditFull(invoice: Invoice, creditNoteId: string, out: Credited): void {
  if (invoice.credits.length > 0)
    throw new InvalidTransition(invoice.status, 'fully credit', 'already partially credited');
  for (const d of invoice.details) {
    out.creditDetails.push(negated(d, d.quantity, d.net, d.waived));
    out.applied.push({ detailId: d.id, quantity: d.quantity, net: d.net });
    returnQuantity(out, d, d.quantity, creditNoteId);
  }
}

/** Milestones are credited whole. */
function checkMilestoneChoice(
  d: InvoiceDetail,
  choice: CreditDetailChoice,
  field: string,
  so: { quantity: Decimal; net: MinorUnits },
): void {
  if (so.net !== 0 || so.quantity !== '0')
    throw new ValidationFailed(`${field}.detailId`, 'milestone already credited');
  if (
    (choice.quantity !== undefined && compareDecimal(choice.quantity, d.quantity) !== 0) ||
    (choice.amount !== undefined && choice.amount !== d.net)
  ) {
    throw new ValidationFailed(field, 'milestones are credited whole');
  }
}

/** Adopted: an amount credit is printed as quantity -1 x the amount, and returns nothing to the backlog. */
function creditAmount(
  invoice: Invoice,
  d: InvoiceDetail,
  amountIn: MinorUnits,
  remainingNet: MinorUnits,
  field: string,
  creditNoteId: string,
  out: Credited,
): void {
  const amount = assertMinorUnits(amountIn, `${field}.amount`);
  if (amount <= 0 || amount > remainingNet)
    throw new ValidationFailed(`${field}.amount`, `must be 1 to ${remainingNet}`);
  const quantity = d.type === 'milestone' ? d.quantity : '0';
  out.creditDetails.push({
    ...negated(d, '1', amount, 0),
    unit: d.type === 'milestone' ? d.unit : 'amount',
    unitPrice: toMajor(amount, invoice.currency),
  });
  out.applied.push({ detailId: d.id, quantity, net: amount });
  if (d.type === 'milestone') returnQuantity(out, d, d.quantity, creditNoteId);
}

function creditQuantity(
  invoice: Invoice,
  d: InvoiceDetail,
  choice: CreditDetailChoice,
  remaining: { quantity: Decimal; net: MinorUnits },
  field: string,
  creditNoteId: string,
  out: Credited,
): void {
  const quantity =
    choice.quantity === undefined ? remaining.quantity : assertDecimal(choice.quantity, `${field}.quantity`);
  if (compareDecimal(quantity, '0') <= 0 || compareDecimal(quantity, remaining.quantity) > 0) {
    throw new ValidationFailed(`${field}.quantity`, `must be above 0 and at most ${remaining.quantity}`);
  }
  // Adopted: crediting the whole remaining quantity credits the whole remaining net, so the pieces of a detail
  // never add up to a cent more or less than the detail.
  const whole = compareDecimal(quantity, remaining.quantity) === 0;
  const value = detailNet(quantity, d.unitPrice, invoice.currency);
  const net = d.billingType === 'complimentary' ? 0 : whole ? remaining.net : value;
  if (d.net >= 0 && net > remaining.net) {
    throw new ValidationFailed(
      `${field}.quantity`,
      `credits more than the ${remaining.net} not yet credited on this detail`,
    );
  }
  out.creditDetails.push(negated(d, quantity, net, d.billingType === 'complimentary' ? value : 0));
  out.applied.push({ detailId: d.id, quantity, net });
  returnQuantity(out, d, quantity, creditNoteId);
}

function creditPartial(
  invoice: Invoice,
  choices: readonly CreditDetailChoice[],
  creditNoteId: string,
  out: Credited,
): void {
  if (choices.length === 0) throw new ValidationFailed('details', 'choose at least one detail');
  const chosen = new Set<string>();
  choices.forEach((choice, i) => {
    const field = `details[${i}]`;
    const d = findDetail(invoice, choice.detailId, `${field}.detailId`);
    if (chosen.has(d.id)) throw new ValidationFailed(`${field}.detailId`, 'chosen twice');
    chosen.add(d.id);
    const so = creditedSoFar(invoice, d.id);
    const remaining = { quantity: subtractDecimal(d.quantity, so.quantity), net: d.net - so.net };
    if (choice.quantity !== undefined && choice.amount !== undefined)
      throw new ValidationFailed(field, 'give a quantity or an amount, not both');
    if (d.type === 'milestone') checkMilestoneChoice(d, choice, field, so);
    if (choice.amount !== undefined) creditAmount(invoice, d, choice.amount, remaining.net, field, creditNoteId, out);
    else creditQuantity(invoice, d, choice, remaining, field, creditNoteId, out);
  });
}

/** The credit note document: issued at once, settled against the invoice (balance 0). */
function creditNoteDocument(
  invoice: Invoice,
  command: CreditNoteCommand,
  creditDetails: readonly InvoiceDetail[],
  today: IsoDate,
  ctx: CommandContext,
): Invoice {
  const summary = summarizeDetails(creditDetails);
  const cnTotals = totalsFromSummary(summary);
  const { summary: _invoiceSums, ...base } = invoice;
  return {
    ...base,
    id: command.creditNoteId,
    kind: 'credit_note',
    number: command.number,
    origin: { kind: 'credit', invoiceId: invoice.id },
    issueDate: today,
    dueDate: today,
    paymentTermsDays: 0,
    status: 'issued',
    details: creditDetails,
    lines: linesFromSummary(summary),
    totals: { ...cnTotals, credited: cnTotals.total, balance: 0 },
    limits: [],
    excluded: [],
    payments: [],
    credits: [],
    creditFor: invoice.id,
    version: 1,
    audit: [
      {
        action: 'creditNote',
        actor: ctx.actor,
        at: ctx.now,
        fromVersion: 0,
        toVersion: 1,
        before: {},
        after: { creditFor: invoice.id, total: cnTotals.total },
      },
    ],
  };
}

export function creditNote(invoice: Invoice, command: CreditNoteCommand, ctx: CommandContext): CreditResult {
  requireStatus(invoice, ['issued', 'partially_paid', 'paid'], 'credit');
  if (typeof command.number !== 'string' || command.number.trim() === '')
    throw new ValidationFailed('number', 'required');
  const today = assertIsoDate(ctx.today, 'today');
  const out: Credited = { creditDetails: [], applied: [], createdTransactions: [], readyMilestoneIds: [] };
  if (command.full === true) creditFull(invoice, command.creditNoteId, out);
  else creditPartial(invoice, command.details, command.creditNoteId, out);
  const credit = creditNoteDocument(invoice, command, out.creditDetails, today, ctx);
  const entry: CreditApplied = {
    creditNoteId: command.creditNoteId,
    full: command.full === true,
    amount: -credit.totals.total || 0,
    details: out.applied,
  };
  const withCredit = derived({ ...invoice, credits: [...invoice.credits, entry] }, invoice.details);
  const after: Invoice = { ...withCredit, status: command.full === true ? 'cancelled' : settledStatus(withCredit) };
  return {
    invoice: commit(
      invoice,
      after,
      command.full === true ? 'creditNoteFull' : 'creditNotePartial',
      ctx,
      { balance: invoice.totals.balance },
      { balance: after.totals.balance, creditNoteId: credit.id },
    ),
    creditNote: credit,
    effects: { ...NO_EFFECTS, createdTransactions: out.createdTransactions, readyMilestoneIds: out.readyMilestoneIds },
  };
}
