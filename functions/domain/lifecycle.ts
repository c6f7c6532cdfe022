/**
 * The invoice lifecycle (rules section 4) as pure commands: (invoice, command, context) -> new invoice with
 * version + 1 and an audit entry, plus the effects adapters must apply (transactions to release, bill, create ...).
 * Anything the status does not allow throws InvalidTransition (API: 409) and changes nothing.
 * Version checks (If-Match, 412) are the adapters' job; commands only bump `version`.
 */
import { addDays, assertIsoDate, type IsoDate } from './dates.ts';
import { CurrencyMismatch, DuplicatePayment, InvalidTransition, Overpayment, ValidationFailed } from './errors.ts';
import { compareByDateThenId } from './build-invoice.ts';
import {
  TRANSACTION_TYPES,
  type BillTo,
  type CommandContext,
  type CreditApplied,
  type CustomerSnapshot,
  type DetailBillingType,
  type Invoice,
  type InvoiceDetail,
  type InvoiceStatus,
  type Review,
  type TransactionType,
} from './invoice.ts';
import {
  assertDecimal,
  assertMinorUnits,
  compareDecimal,
  detailNet,
  negateDecimal,
  subtractDecimal,
  addDecimal,
  toMajor,
  type Decimal,
  type MinorUnits,
} from './money.ts';
import { REVERSE_CHARGE, validateTaxRate, type TaxRate } from './tax.ts';
import { linesFromSummary, summarizeDetails, totalsFromSummary } from './totals.ts';

// ---------------------------------------------------------------------------------------------------------------
// Results and effects

export interface BilledTransaction {
  readonly transactionId: string;
  readonly quantity: Decimal;
}

/** A lowered quantity is written down at Send: the remainder is closed as non-chargeable, not billed later. */
export interface WriteDown {
  readonly transactionId: string;
  readonly originalQuantity: Decimal;
  readonly billedQuantity: Decimal;
  readonly writtenDownQuantity: Decimal;
}

/** A transaction the adapter must create: manual details at Send (billed), credited quantity (on hold). */
export interface NewTransaction {
  readonly id: string;
  /** Credit: the original transaction this quantity came from. */
  readonly linkedTransactionId: string | null;
  readonly type: TransactionType;
  readonly date: IsoDate;
  readonly contractLineId: string;
  readonly description: string;
  readonly resource: string | null;
  readonly orgUnit: string | null;
  readonly quantity: Decimal;
  readonly unit: string;
  readonly unitPrice: Decimal;
  readonly tax: TaxRate;
  readonly billingType: DetailBillingType;
  readonly onHold: boolean;
  /** Invoice that billed it (manual details at Send), or null (credited quantity back in the backlog). */
  readonly billedBy: string | null;
}

export interface ValidationProblem {
  readonly field: string;
  readonly message: string;
}

export interface Effects {
  /** Back to unbilled (removeDetail, discard). */
  readonly releasedTransactionIds: readonly string[];
  readonly releasedMilestoneIds: readonly string[];
  /** Send: reserved -> billed(invoice, quantity). */
  readonly billedTransactions: readonly BilledTransaction[];
  readonly writeDowns: readonly WriteDown[];
  readonly invoicedMilestoneIds: readonly string[];
  /** Send (manual details, billed) and credit notes (credited quantity, on hold). */
  readonly createdTransactions: readonly NewTransaction[];
  /** Credit notes: milestones credited whole become ready for invoicing again. */
  readonly readyMilestoneIds: readonly string[];
  /** Refresh transactions: newly added to the draft, to reserve (conditional on version / no invoice). */
  readonly reservedTransactions: readonly { readonly id: string; readonly version: number }[];
  readonly reservedMilestoneIds: readonly string[];
  /** Recalculate (and every edit): what would block Send. */
  readonly problems: readonly ValidationProblem[];
}

export interface CommandResult {
  readonly invoice: Invoice;
  readonly effects: Effects;
}

export interface DiscardResult {
  readonly invoiceId: string;
  /** The origin key stays used: a discarded run does not free its run key. */
  readonly originKey: string;
  readonly audit: Invoice['audit'][number];
  readonly effects: Effects;
}

export interface CreditResult {
  /** The credited invoice: cancelled (full) or with a lower balance (partial). */
  readonly invoice: Invoice;
  readonly creditNote: Invoice;
  readonly effects: Effects;
}

const NO_EFFECTS: Effects = {
  releasedTransactionIds: [],
  releasedMilestoneIds: [],
  billedTransactions: [],
  writeDowns: [],
  invoicedMilestoneIds: [],
  createdTransactions: [],
  readyMilestoneIds: [],
  reservedTransactions: [],
  reservedMilestoneIds: [],
  problems: [],
};

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const EDITABLE: readonly InvoiceStatus[] = ['draft', 'in_review'];

function requireStatus(
  invoice: Invoice,
  allowed: readonly InvoiceStatus[],
  action: string,
  kind: Invoice['kind'] = 'invoice',
): void {
  if (invoice.kind !== kind) throw new InvalidTransition(invoice.kind, action);
  if (!allowed.includes(invoice.status)) throw new InvalidTransition(invoice.status, action);
}

/** Recomputes a detail's net and waived value from quantity x unit price. */
function priced(detail: InvoiceDetail, currency: string): InvoiceDetail {
  const value = detailNet(detail.quantity, detail.unitPrice, currency);
  const net = detail.billingType === 'complimentary' ? 0 : value;
  const waived = detail.billingType === 'complimentary' ? value : 0;
  return net === detail.net && waived === detail.waived ? detail : { ...detail, net, waived };
}

/** Lines and totals from the details, payments and credits. */
function derived(invoice: Invoice, details: readonly InvoiceDetail[]): Invoice {
  const summary = summarizeDetails(details);
  return {
    ...invoice,
    details,
    lines: linesFromSummary(summary),
    totals: totalsFromSummary(summary, invoice.payments, invoice.credits),
  };
}

function commit(
  before: Invoice,
  after: Invoice,
  action: string,
  ctx: CommandContext,
  changedBefore: Record<string, unknown> = {},
  changedAfter: Record<string, unknown> = {},
): Invoice {
  const entry = {
    action,
    actor: ctx.actor,
    at: ctx.now,
    fromVersion: before.version,
    toVersion: before.version + 1,
    before: { status: before.status, total: before.totals.total, ...changedBefore },
    after: { status: after.status, total: after.totals.total, ...changedAfter },
  };
  const withdrawn =
    after.review?.approvedBy && action !== 'approveReview' && EDITABLE.includes(after.status)
      ? { review: { ...after.review, approvedBy: null, approvedAt: null } }
      : {};
  return { ...after, ...withdrawn, version: before.version + 1, audit: [...before.audit, entry] };
}

function findDetail(invoice: Invoice, detailId: string, field = 'detailId'): InvoiceDetail {
  const detail = invoice.details.find((d) => d.id === detailId);
  if (detail === undefined) throw new ValidationFailed(field, `no detail ${detailId} on invoice ${invoice.id}`);
  return detail;
}

/** Status of an issued invoice from its balance. Adopted: "paid" means settled (payments and/or credits). */
function settledStatus(invoice: Invoice): InvoiceStatus {
  if (invoice.totals.balance <= 0) return 'paid';
  return invoice.totals.paid > 0 ? 'partially_paid' : 'issued';
}

/** Adopted: a billable detail is a chargeable one (complimentary details alone make no invoice to send). */
function isBillable(detail: InvoiceDetail): boolean {
  return detail.billingType === 'chargeable';
}

/** What would block Send. Pure; also reported by recalculate and every edit. */
export function sendProblems(invoice: Invoice): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (invoice.totals.total < 0) problems.push({ field: 'total', message: 'total must not be negative' });
  if (invoice.billTo.email === null || invoice.billTo.email.trim() === '') {
    problems.push({ field: 'billTo.email', message: 'a customer email is required' });
  }
  if (!invoice.details.some(isBillable))
    problems.push({ field: 'details', message: 'at least one billable detail is required' });
  for (const limit of invoice.limits) {
    const onLine = invoice.lines
      .filter((l) => l.contractLineId === limit.contractLineId && l.type !== 'milestone')
      .reduce((s, l) => s + l.net, 0);
    // Adopted: a line already over its limit (e.g. the limit was lowered) only blocks invoices that add to it.
    if (onLine > 0 && limit.consumedBefore + onLine > limit.notToExceed) {
      problems.push({
        field: 'notToExceed',
        message: `contract line ${limit.contractLineId} exceeds its not-to-exceed limit`,
      });
    }
  }
  return problems;
}

function edited(
  before: Invoice,
  details: readonly InvoiceDetail[],
  action: string,
  ctx: CommandContext,
  b: Record<string, unknown>,
  a: Record<string, unknown>,
  effects: Partial<Effects> = {},
): CommandResult {
  const after = derived(before, details);
  return {
    invoice: commit(before, after, action, ctx, b, a),
    effects: { ...NO_EFFECTS, ...effects, problems: sendProblems(after) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Review

/**
 * Review before sending (a firm setting): a billing user submits a draft; ANOTHER billing user approves it (Send is
 * refused until then) or returns it to draft with a comment. Adopted: any edit of an approved invoice withdraws the
 * approval (what was approved is what is sent); the invoice stays in review and needs a new approval.
 */
export function submitForReview(invoice: Invoice, _command: Record<string, never>, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['draft'], 'submit for review');
  const review: Review = {
    submittedBy: ctx.actor,
    submittedAt: ctx.now,
    approvedBy: null,
    approvedAt: null,
    returnedBy: null,
    returnedAt: null,
    comment: null,
  };
  return {
    invoice: commit(invoice, { ...invoice, status: 'in_review', review }, 'submitForReview', ctx),
    effects: NO_EFFECTS,
  };
}

export function approveReview(invoice: Invoice, _command: Record<string, never>, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['in_review'], 'approve');
  const review = invoice.review;
  if (!review) throw new InvalidTransition(invoice.status, 'approve', 'it was never submitted for review');
  if (review.approvedBy !== null) throw new InvalidTransition(invoice.status, 'approve', 'it is already approved');
  if (review.submittedBy === ctx.actor)
    throw new InvalidTransition(invoice.status, 'approve', 'you submitted it: another billing user must approve it');
  const approved: Review = { ...review, approvedBy: ctx.actor, approvedAt: ctx.now };
  return {
    invoice: commit(
      invoice,
      { ...invoice, review: approved },
      'approveReview',
      ctx,
      { approvedBy: null },
      {
        approvedBy: ctx.actor,
      },
    ),
    effects: { ...NO_EFFECTS, problems: sendProblems(invoice) },
  };
}

export interface ReturnToDraftCommand {
  /** Why it goes back: what the submitter should change. */
  readonly comment: string;
}

export function returnToDraft(invoice: Invoice, command: ReturnToDraftCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['in_review'], 'return to draft');
  const comment = typeof command.comment === 'string' ? command.comment.trim() : '';
  if (comment === '' || comment.length > 1000)
    throw new ValidationFailed('comment', 'say why it goes back to draft (1 to 1000 characters)');
  const review: Review = {
    ...(invoice.review ?? { submittedBy: ctx.actor, submittedAt: ctx.now }),
    approvedBy: null,
    approvedAt: null,
    returnedBy: ctx.actor,
    returnedAt: ctx.now,
    comment,
  };
  return {
    invoice: commit(invoice, { ...invoice, status: 'draft', review }, 'returnToDraft', ctx, {}, { comment }),
    effects: NO_EFFECTS,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Editing (draft, in_review)

export interface EditDetailCommand {
  readonly detailId: string;
  readonly quantity?: Decimal;
  readonly unitPrice?: Decimal;
  readonly billingType?: DetailBillingType;
  readonly tax?: TaxRate;
  readonly description?: string;
  readonly printedDescription?: string;
}

export function editDetail(invoice: Invoice, command: EditDetailCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, EDITABLE, 'edit');
  const detail = findDetail(invoice, command.detailId);
  if (detail.type === 'milestone' && (command.quantity !== undefined || command.unitPrice !== undefined)) {
    throw new ValidationFailed(
      command.quantity !== undefined ? 'quantity' : 'unitPrice',
      'milestone amounts are changed on the milestone, then refreshed',
    );
  }
  const quantity = command.quantity === undefined ? detail.quantity : assertDecimal(command.quantity, 'quantity');
  const unitPrice = command.unitPrice === undefined ? detail.unitPrice : assertDecimal(command.unitPrice, 'unitPrice');
  const billingType = command.billingType ?? detail.billingType;
  // Adopted: a detail is chargeable or complimentary; to make work non-chargeable remove it and change the transaction.
  if (billingType !== 'chargeable' && billingType !== 'complimentary') {
    throw new ValidationFailed(
      'billingType',
      'must be chargeable or complimentary; remove the detail to leave it unbilled',
    );
  }
  const quantityChanged = compareDecimal(quantity, detail.quantity) !== 0;
  const priceChanged = compareDecimal(unitPrice, detail.unitPrice) !== 0;
  const next = priced(
    {
      ...detail,
      quantity,
      unitPrice,
      billingType,
      tax: command.tax === undefined ? detail.tax : validateTaxRate(command.tax, 'tax'),
      description: command.description ?? detail.description,
      printedDescription: command.printedDescription ?? detail.printedDescription,
      // Keep the values from before the first edit.
      originalQuantity: detail.originalQuantity ?? (quantityChanged || priceChanged ? detail.quantity : null),
      originalUnitPrice: detail.originalUnitPrice ?? (quantityChanged || priceChanged ? detail.unitPrice : null),
    },
    invoice.currency,
  );
  const details = invoice.details.map((d) => (d === detail ? next : d));
  return edited(invoice, details, 'editDetail', ctx, { detail }, { detail: next });
}

export function removeDetail(
  invoice: Invoice,
  command: { readonly detailId: string },
  ctx: CommandContext,
): CommandResult {
  requireStatus(invoice, EDITABLE, 'remove a detail from');
  const detail = findDetail(invoice, command.detailId);
  const details = invoice.details.filter((d) => d !== detail);
  return edited(
    invoice,
    details,
    'removeDetail',
    ctx,
    { detail },
    { detail: null },
    {
      releasedTransactionIds: detail.source.kind === 'transaction' ? [detail.source.transactionId] : [],
      releasedMilestoneIds: detail.source.kind === 'milestone' ? [detail.source.milestoneId] : [],
    },
  );
}

export interface AddManualDetailCommand {
  /** Id of the transaction created for it at Send (generated by the caller). */
  readonly transactionId: string;
  readonly type: TransactionType;
  readonly contractLineId: string;
  readonly date: IsoDate;
  readonly description: string;
  readonly printedDescription?: string;
  readonly resource?: string | null;
  readonly orgUnit?: string | null;
  readonly quantity: Decimal;
  readonly unit: string;
  readonly unitPrice: Decimal;
  readonly tax: TaxRate;
  readonly billingType?: DetailBillingType;
}

export function addManualDetail(invoice: Invoice, command: AddManualDetailCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, EDITABLE, 'add a detail to');
  if (!TRANSACTION_TYPES.includes(command.type))
    throw new ValidationFailed('type', 'must be time, expense, material or fee');
  const id = `x:${command.transactionId}`;
  if (invoice.details.some((d) => d.id === id))
    throw new ValidationFailed('transactionId', `detail ${id} already exists`);
  const billingType = command.billingType ?? 'chargeable';
  if (billingType !== 'chargeable' && billingType !== 'complimentary')
    throw new ValidationFailed('billingType', 'must be chargeable or complimentary');
  const detail = priced(
    {
      id,
      source: { kind: 'manual', transactionId: command.transactionId },
      contractLineId: command.contractLineId,
      type: command.type,
      date: assertIsoDate(command.date, 'date'),
      description: command.description,
      printedDescription: command.printedDescription ?? command.description,
      resource: command.resource ?? null,
      orgUnit: command.orgUnit ?? null,
      quantity: assertDecimal(command.quantity, 'quantity'),
      unit: command.unit,
      unitPrice: assertDecimal(command.unitPrice, 'unitPrice'),
      billingType,
      net: 0,
      waived: 0,
      tax: invoice.customer.reverseCharge === true ? REVERSE_CHARGE : validateTaxRate(command.tax, 'tax'),
      originalQuantity: null,
      originalUnitPrice: null,
      corrects: null,
    },
    invoice.currency,
  );
  const details = [...invoice.details, detail].sort(compareByDateThenId);
  return edited(invoice, details, 'addManualDetail', ctx, { detail: null }, { detail });
}

export interface EditHeaderCommand {
  /** BT-10 (contract 2), copied from the project to a new draft. */
  readonly buyerReference?: string | null;
  readonly poNumber?: string | null;
  readonly notes?: string | null;
  readonly billTo?: BillTo;
  readonly paymentTermsDays?: number;
}

export function editHeader(invoice: Invoice, command: EditHeaderCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, EDITABLE, 'edit');
  if (
    command.paymentTermsDays !== undefined &&
    (!Number.isInteger(command.paymentTermsDays) || command.paymentTermsDays < 0 || command.paymentTermsDays > 365)
  ) {
    throw new ValidationFailed('paymentTermsDays', 'must be a whole number of days, 0 to 365');
  }
  if (command.billTo !== undefined && (typeof command.billTo.name !== 'string' || command.billTo.name.trim() === '')) {
    throw new ValidationFailed('billTo.name', 'must not be empty');
  }
  const header = (i: Invoice) => ({
    buyerReference: i.buyerReference ?? null,
    poNumber: i.poNumber,
    notes: i.notes,
    billTo: i.billTo,
    paymentTermsDays: i.paymentTermsDays,
  });
  const after: Invoice = {
    ...invoice,
    ...(command.buyerReference === undefined ? {} : { buyerReference: command.buyerReference }),
    poNumber: command.poNumber === undefined ? invoice.poNumber : command.poNumber,
    notes: command.notes === undefined ? invoice.notes : command.notes,
    billTo: command.billTo ?? invoice.billTo,
    paymentTermsDays: command.paymentTermsDays ?? invoice.paymentTermsDays,
  };
  return {
    invoice: commit(invoice, after, 'editHeader', ctx, header(invoice), header(after)),
    effects: { ...NO_EFFECTS, problems: sendProblems(after) },
  };
}

export interface RecalculateCommand {
  /** Current tax codes of the firm by code; details whose code is listed get its category and rate. */
  readonly taxRates?: Readonly<Record<string, TaxRate>>;
  /** Current customer data (re-read); replaces the snapshot until Send freezes it. */
  readonly customer?: CustomerSnapshot;
}

/**
 * Recomputes every detail net (quantity x price), tax per rate, totals and the not-to-exceed check, optionally
 * re-reading tax codes and customer data, and reports problems. Adopted: when nothing changes the invoice is returned
 * as is (same version, no audit entry), so calling it twice changes nothing.
 */
export function recalculate(invoice: Invoice, command: RecalculateCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, EDITABLE, 'recalculate');
  const customer = command.customer ?? invoice.customer;
  const reverseCharge = customer.reverseCharge === true;
  const details = invoice.details.map((d) => {
    const current = command.taxRates?.[d.tax.code];
    const tax = reverseCharge
      ? REVERSE_CHARGE
      : current === undefined
        ? d.tax
        : validateTaxRate(current, `taxRates.${d.tax.code}`);
    const withTax =
      tax === d.tax || (tax.code === d.tax.code && tax.category === d.tax.category && tax.rate === d.tax.rate)
        ? d
        : { ...d, tax };
    return priced(withTax, invoice.currency);
  });
  const after = derived({ ...invoice, customer }, details);
  const problems = sendProblems(after);
  const unchanged =
    JSON.stringify([after.customer, after.details, after.lines, after.totals]) ===
    JSON.stringify([invoice.customer, invoice.details, invoice.lines, invoice.totals]);
  if (unchanged) return { invoice, effects: { ...NO_EFFECTS, problems } };
  return {
    invoice: commit(invoice, after, 'recalculate', ctx, { totals: invoice.totals }, { totals: after.totals }),
    effects: { ...NO_EFFECTS, problems },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Discard and Send

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

// ---------------------------------------------------------------------------------------------------------------
// Payments

export interface RecordPaymentCommand {
  /** Client payment id, unique per invoice. */
  readonly paymentId: string;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly date: IsoDate;
  readonly method: string;
  readonly reference?: string | null;
}

export function recordPayment(invoice: Invoice, command: RecordPaymentCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['issued', 'partially_paid'], 'record a payment on');
  if (command.currency !== invoice.currency) throw new CurrencyMismatch(invoice.currency, command.currency);
  const amount = assertMinorUnits(command.amount, 'amount');
  if (amount <= 0) throw new ValidationFailed('amount', 'must be greater than 0');
  if (typeof command.paymentId !== 'string' || command.paymentId === '')
    throw new ValidationFailed('paymentId', 'required');
  // Adopted: a repeated client payment id is refused with DuplicatePayment; adapters may answer a replay of the same
  // request from their idempotency record instead.
  if (invoice.payments.some((p) => p.id === command.paymentId)) throw new DuplicatePayment(command.paymentId);
  if (amount > invoice.totals.balance) throw new Overpayment(amount, invoice.totals.balance);
  const payment = {
    id: command.paymentId,
    amount,
    date: assertIsoDate(command.date, 'date'),
    method: command.method,
    reference: command.reference ?? null,
    reversal: null,
  };
  const withPayment = derived({ ...invoice, payments: [...invoice.payments, payment] }, invoice.details);
  const after: Invoice = { ...withPayment, status: settledStatus(withPayment) };
  return {
    invoice: commit(
      invoice,
      after,
      'recordPayment',
      ctx,
      { balance: invoice.totals.balance },
      { balance: after.totals.balance, payment },
    ),
    effects: NO_EFFECTS,
  };
}

export interface ReversePaymentCommand {
  /** The client payment id of the payment reversed. */
  readonly paymentId: string;
  readonly reversalId: string;
  readonly date: IsoDate;
  readonly reason?: string | null;
}

/** Reverses a payment (paid, partially_paid); the status is recomputed from the remaining payments. */
export function reversePayment(invoice: Invoice, command: ReversePaymentCommand, ctx: CommandContext): CommandResult {
  requireStatus(invoice, ['paid', 'partially_paid'], 'reverse a payment on');
  const payment = invoice.payments.find((p) => p.id === command.paymentId);
  if (payment === undefined) throw new ValidationFailed('paymentId', `no payment ${command.paymentId}`);
  if (payment.reversal !== null)
    throw new InvalidTransition('reversed', 'reverse a payment', `payment ${payment.id} was already reversed`);
  const reversed = {
    ...payment,
    reversal: { id: command.reversalId, date: assertIsoDate(command.date, 'date'), reason: command.reason ?? null },
  };
  const withReversal = derived(
    { ...invoice, payments: invoice.payments.map((p) => (p === payment ? reversed : p)) },
    invoice.details,
  );
  const after: Invoice = { ...withReversal, status: settledStatus(withReversal) };
  return {
    invoice: commit(
      invoice,
      after,
      'reversePayment',
      ctx,
      { balance: invoice.totals.balance, payment },
      { balance: after.totals.balance, payment: reversed },
    ),
    effects: NO_EFFECTS,
  };
}

/** Overdue is derived, never stored: due date past and balance > 0. */
export function isOverdue(invoice: Invoice, today: IsoDate): boolean {
  return (
    invoice.kind === 'invoice' &&
    (invoice.status === 'issued' || invoice.status === 'partially_paid') &&
    invoice.dueDate !== null &&
    today > invoice.dueDate &&
    invoice.totals.balance > 0
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Credit notes

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

/**
 * Credit note (issued, partially_paid, paid). Full: copies every detail negated and cancels the invoice; invoice plus
 * credit note sum to exactly 0 (rounding is symmetric). Partial: chosen details with a credited quantity or amount.
 * Credited quantity comes back as a new on-hold transaction `<original id>~<credit note id>` linked to the original;
 * milestones are credited whole and become ready again.
 * Adopted: the credit note is issued at once (number given, issue date today) and settled against the invoice, so its
 * own balance is 0; a full credit after a partial one is refused (credit the rest partially).
 */
export function creditNote(invoice: Invoice, command: CreditNoteCommand, ctx: CommandContext): CreditResult {
  requireStatus(invoice, ['issued', 'partially_paid', 'paid'], 'credit');
  if (typeof command.number !== 'string' || command.number.trim() === '')
    throw new ValidationFailed('number', 'required');
  const today = assertIsoDate(ctx.today, 'today');
  const creditDetails: InvoiceDetail[] = [];
  const applied: { detailId: string; quantity: Decimal; net: MinorUnits }[] = [];
  const createdTransactions: NewTransaction[] = [];
  const readyMilestoneIds: string[] = [];
  const returnQuantity = (d: InvoiceDetail, quantity: Decimal): void => {
    if (d.source.kind === 'milestone') readyMilestoneIds.push(d.source.milestoneId);
    else if (compareDecimal(quantity, '0') > 0) {
      createdTransactions.push({
        // Adopted: deterministic id `<original>~<credit note>`, so a retried credit creates the same transaction.
        id: `${d.source.transactionId}~${command.creditNoteId}`,
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
  };
  if (command.full === true) {
    if (invoice.credits.length > 0)
      throw new InvalidTransition(invoice.status, 'fully credit', 'already partially credited');
    for (const d of invoice.details) {
      creditDetails.push(negated(d, d.quantity, d.net, d.waived));
      applied.push({ detailId: d.id, quantity: d.quantity, net: d.net });
      returnQuantity(d, d.quantity);
    }
  } else {
    if (command.details.length === 0) throw new ValidationFailed('details', 'choose at least one detail');
    const chosen = new Set<string>();
    command.details.forEach((choice, i) => {
      const field = `details[${i}]`;
      const d = findDetail(invoice, choice.detailId, `${field}.detailId`);
      if (chosen.has(d.id)) throw new ValidationFailed(`${field}.detailId`, 'chosen twice');
      chosen.add(d.id);
      const so = creditedSoFar(invoice, d.id);
      const remainingQuantity = subtractDecimal(d.quantity, so.quantity);
      const remainingNet = d.net - so.net;
      if (choice.quantity !== undefined && choice.amount !== undefined)
        throw new ValidationFailed(field, 'give a quantity or an amount, not both');
      if (d.type === 'milestone') {
        // Milestones are credited whole.
        if (so.net !== 0 || so.quantity !== '0')
          throw new ValidationFailed(`${field}.detailId`, 'milestone already credited');
        if (
          (choice.quantity !== undefined && compareDecimal(choice.quantity, d.quantity) !== 0) ||
          (choice.amount !== undefined && choice.amount !== d.net)
        ) {
          throw new ValidationFailed(field, 'milestones are credited whole');
        }
      }
      if (choice.amount !== undefined) {
        const amount = assertMinorUnits(choice.amount, `${field}.amount`);
        if (amount <= 0 || amount > remainingNet)
          throw new ValidationFailed(`${field}.amount`, `must be 1 to ${remainingNet}`);
        const quantity = d.type === 'milestone' ? d.quantity : '0';
        // Adopted: an amount credit is printed as quantity -1 x the amount, and returns nothing to the backlog.
        creditDetails.push({
          ...negated(d, '1', amount, 0),
          unit: d.type === 'milestone' ? d.unit : 'amount',
          unitPrice: toMajor(amount, invoice.currency),
        });
        applied.push({ detailId: d.id, quantity, net: amount });
        if (d.type === 'milestone') returnQuantity(d, d.quantity);
      } else {
        const quantity =
          choice.quantity === undefined ? remainingQuantity : assertDecimal(choice.quantity, `${field}.quantity`);
        if (compareDecimal(quantity, '0') <= 0 || compareDecimal(quantity, remainingQuantity) > 0) {
          throw new ValidationFailed(`${field}.quantity`, `must be above 0 and at most ${remainingQuantity}`);
        }
        // Adopted: crediting the whole remaining quantity credits the whole remaining net, so the pieces of a detail
        // never add up to a cent more or less than the detail.
        const whole = compareDecimal(quantity, remainingQuantity) === 0;
        const value = detailNet(quantity, d.unitPrice, invoice.currency);
        const net = d.billingType === 'complimentary' ? 0 : whole ? remainingNet : value;
        if (d.net >= 0 && net > remainingNet) {
          throw new ValidationFailed(
            `${field}.quantity`,
            `credits more than the ${remainingNet} not yet credited on this detail`,
          );
        }
        creditDetails.push(negated(d, quantity, net, d.billingType === 'complimentary' ? value : 0));
        applied.push({ detailId: d.id, quantity, net });
        returnQuantity(d, quantity);
      }
    });
  }
  const summary = summarizeDetails(creditDetails);
  const cnTotals = totalsFromSummary(summary);
  const credit: Invoice = {
    ...invoice,
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
  const entry: CreditApplied = {
    creditNoteId: command.creditNoteId,
    full: command.full === true,
    amount: -cnTotals.total || 0,
    details: applied,
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
    effects: { ...NO_EFFECTS, createdTransactions, readyMilestoneIds },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One entry point for adapters: a tagged command.

export type InvoiceCommand =
  | { readonly command: 'submitForReview' }
  | { readonly command: 'approveReview' }
  | ({ readonly command: 'returnToDraft' } & ReturnToDraftCommand)
  | ({ readonly command: 'editDetail' } & EditDetailCommand)
  | { readonly command: 'removeDetail'; readonly detailId: string }
  | ({ readonly command: 'addManualDetail' } & AddManualDetailCommand)
  | ({ readonly command: 'editHeader' } & EditHeaderCommand)
  | ({ readonly command: 'recalculate' } & RecalculateCommand)
  | ({ readonly command: 'send' } & SendCommand)
  | ({ readonly command: 'recordPayment' } & RecordPaymentCommand)
  | ({ readonly command: 'reversePayment' } & ReversePaymentCommand);

/** Dispatches a tagged command (discard and creditNote have their own result shapes and functions). */
export function applyCommand(invoice: Invoice, command: InvoiceCommand, ctx: CommandContext): CommandResult {
  switch (command.command) {
    case 'submitForReview':
      return submitForReview(invoice, {}, ctx);
    case 'approveReview':
      return approveReview(invoice, {}, ctx);
    case 'returnToDraft':
      return returnToDraft(invoice, command, ctx);
    case 'editDetail':
      return editDetail(invoice, command, ctx);
    case 'removeDetail':
      return removeDetail(invoice, command, ctx);
    case 'addManualDetail':
      return addManualDetail(invoice, command, ctx);
    case 'editHeader':
      return editHeader(invoice, command, ctx);
    case 'recalculate':
      return recalculate(invoice, command, ctx);
    case 'send':
      return send(invoice, command, ctx);
    case 'recordPayment':
      return recordPayment(invoice, command, ctx);
    case 'reversePayment':
      return reversePayment(invoice, command, ctx);
  }
}
