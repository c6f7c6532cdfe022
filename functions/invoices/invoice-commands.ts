import {
  addManualDetail,
  approveReview,
  discard,
  editDetail,
  editHeader,
  returnToDraft,
  submitForReview,
  EMPTY_SUMMARY,
  linesFromSummary,
  mergeSummaries,
  recalculate,
  recordPayment,
  removeDetail,
  reversePayment,
  sendProblems,
  summarizeDetails,
  todayInZone,
  totalsFromSummary,
  type AddManualDetailCommand,
  ValidationFailed,
  type CommandContext,
  type EditHeaderCommand,
  type CommandResult,
  type DetailSummary,
  type EditDetailCommand,
  type Invoice,
  type InvoiceDetail,
  type RecordPaymentCommand,
  type ReversePaymentCommand,
  type ValidationProblem,
} from '../domain/index.ts';
import { billingContext } from '../adapters/dynamodb/projects-store.ts';
import { invoiceDetails, invoiceHeader, type InvoiceHeader } from '../adapters/dynamodb/invoices-store.ts';
import {
  asInvoice,
  commitInvoiceChange,
  invoiceDetail,
  ItemConflict,
  loadInvoice,
  releaseDiscardedDetail,
  VersionConflict,
  type InvoiceChange,
  type StoredAuditEntry,
  type TransactItem,
} from '../adapters/dynamodb/invoice-changes-store.ts';
import { backlogIndex } from '../adapters/dynamodb/transactions-store.ts';
import { keys } from '../adapters/dynamodb/keys.ts';
import { tableName } from '../adapters/dynamodb/client.ts';
import { firmTimeZone } from '../shared/firm.ts';
import { conflict, notFound, StaleVersion } from '../shared/http-api.ts';

/**
 * Invoice commands of the portal API: read the header (and only the details a command needs), check the version
 * the caller read (If-Match), apply the domain command, write header + details + audit entry in one transaction.
 *
 * Costs: editing or removing a detail reads and writes O(1) items whatever the size of the invoice (totals are
 * updated from the header's per-rate-group and per-line sums, `summary`). Recalculate, payments, reversals and discard
 * use domain commands that derive totals from every detail, so they read all details (O(n), ~1 RCU per 8 details).
 */
export interface Actor {
  readonly username: string;
  readonly userId: string;
}

export interface ChangeOutcome {
  readonly invoice: InvoiceHeader;
  readonly problems: readonly ValidationProblem[];
}

export function commandContext(actor: Actor, now: Date): CommandContext {
  return { actor: actor.username, now: now.toISOString(), today: todayInZone(now, firmTimeZone()) };
}

async function headerOrThrow(invoiceId: string): Promise<InvoiceHeader> {
  const header = await invoiceHeader(invoiceId);
  if (!header) throw notFound(`invoice ${invoiceId}`);
  return header;
}

function requireVersion(header: InvoiceHeader, expected: number): void {
  if (header.version !== expected) throw new StaleVersion(header.version, 'invoice');
}

/** The header's sums; older headers without them get them computed from their details once. */
async function summaryOf(header: InvoiceHeader): Promise<DetailSummary> {
  return header.summary ?? summarizeDetails(await invoiceDetails(header.id));
}

/** Removes `removed` and adds `added` to a summary; groups and lines left with no detail disappear. */
export function adjustSummary(
  summary: DetailSummary,
  removed: readonly InvoiceDetail[],
  added: readonly InvoiceDetail[],
): DetailSummary {
  const minus = summarizeDetails(removed);
  const negated: DetailSummary = {
    net: -minus.net,
    waived: -minus.waived,
    count: -minus.count,
    groups: Object.fromEntries(
      Object.entries(minus.groups).map(([k, g]) => [k, { ...g, net: -g.net, count: -g.count }]),
    ),
    lines: Object.fromEntries(
      Object.entries(minus.lines).map(([k, l]) => [k, { ...l, net: -l.net, waived: -l.waived, count: -l.count }]),
    ),
  };
  const merged = mergeSummaries(mergeSummaries(summary, negated), summarizeDetails(added));
  return {
    ...merged,
    net: merged.net || 0,
    waived: merged.waived || 0,
    groups: Object.fromEntries(Object.entries(merged.groups).filter(([, g]) => g.count > 0)),
    lines: Object.fromEntries(Object.entries(merged.lines).filter(([, l]) => l.count > 0)),
  };
}

function auditOf(
  result: Invoice,
  actor: Actor,
  fix: { beforeTotal: number; afterTotal: number } | undefined,
): StoredAuditEntry {
  const entry = result.audit.at(-1);
  if (!entry) throw new Error('the domain command recorded no audit entry');
  const before = fix ? { ...entry.before, total: fix.beforeTotal } : entry.before;
  const after = fix ? { ...entry.after, total: fix.afterTotal } : entry.after;
  return { ...entry, before, after, actorId: actor.userId };
}

function headerFrom(before: InvoiceHeader, invoice: Invoice, summary: DetailSummary): InvoiceHeader {
  const { details: _d, audit: _a, excluded: _e, ...rest } = invoice;
  return { ...before, ...rest, status: invoice.status, summary, detailCount: summary.count };
}

async function commit(change: InvoiceChange): Promise<void> {
  try {
    await commitInvoiceChange(change);
  } catch (error) {
    if (error instanceof VersionConflict) throw new StaleVersion(error.currentVersion, 'invoice');
    if (error instanceof ItemConflict) throw conflict(error.message);
    throw error;
  }
}

/** Problems from the header's sums (a billable detail exists when the chargeable net is not 0). */
function problemsOf(invoice: Invoice, summary: DetailSummary, touched: readonly InvoiceDetail[]): ValidationProblem[] {
  const problems = sendProblems({ ...invoice, details: touched });
  return problems.filter((problem) => problem.field !== 'details' || summary.net === 0);
}

// ---------------------------------------------------------------------------------------------------------------

export type EditDetailInput = Omit<EditDetailCommand, 'detailId' | 'billingType'> & {
  readonly billingType?: 'chargeable' | 'complimentary' | 'non_chargeable';
};

/**
 * Edits one detail: reads the header and that detail only. `non_chargeable` removes the detail and marks its
 * transaction non-chargeable in the same transaction (the domain keeps a detail chargeable or complimentary).
 */
export async function editInvoiceDetail(
  invoiceId: string,
  detailId: string,
  expectedVersion: number,
  input: EditDetailInput,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  if (input.billingType === 'non_chargeable')
    return removeInvoiceDetail(invoiceId, detailId, expectedVersion, actor, now, { nonChargeable: true, input });
  const header = await headerOrThrow(invoiceId);
  requireVersion(header, expectedVersion);
  const detail = await invoiceDetail(invoiceId, detailId);
  if (!detail) throw notFound(`detail ${detailId} of invoice ${invoiceId}`);
  const summary = await summaryOf(header);
  const { billingType, ...rest } = input;
  const result: CommandResult = editDetail(
    asInvoice(header, [detail]),
    { detailId, ...rest, ...(billingType ? { billingType } : {}) },
    commandContext(actor, now),
  );
  const edited = result.invoice.details[0] as InvoiceDetail;
  const nextSummary = adjustSummary(summary, [detail], [edited]);
  const totals = totalsFromSummary(nextSummary, header.payments, header.credits);
  const invoice: Invoice = { ...result.invoice, lines: linesFromSummary(nextSummary), totals };
  const next = headerFrom(header, invoice, nextSummary);
  await commit({
    expectedVersion,
    header: next,
    audit: auditOf(result.invoice, actor, { beforeTotal: header.totals.total, afterTotal: totals.total }),
    putDetails: [edited],
  });
  return { invoice: next, problems: problemsOf(invoice, nextSummary, [edited]) };
}

/** Removes one detail; its transaction (or milestone) becomes invoiceable again in the same transaction. */
export async function removeInvoiceDetail(
  invoiceId: string,
  detailId: string,
  expectedVersion: number,
  actor: Actor,
  now: Date,
  options: { nonChargeable?: boolean; input?: EditDetailInput } = {},
): Promise<ChangeOutcome> {
  const header = await headerOrThrow(invoiceId);
  requireVersion(header, expectedVersion);
  const detail = await invoiceDetail(invoiceId, detailId);
  if (!detail) throw notFound(`detail ${detailId} of invoice ${invoiceId}`);
  const summary = await summaryOf(header);
  const result = removeDetail(asInvoice(header, [detail]), { detailId }, commandContext(actor, now));
  const nextSummary = adjustSummary(summary, [detail], []);
  const totals = totalsFromSummary(nextSummary, header.payments, header.credits);
  const invoice: Invoice = { ...result.invoice, lines: linesFromSummary(nextSummary), totals };
  const next = headerFrom(header, invoice, nextSummary);
  const audit = auditOf(result.invoice, actor, { beforeTotal: header.totals.total, afterTotal: totals.total });
  const change: InvoiceChange = { expectedVersion, header: next, audit, deleteDetailIds: [detailId] };
  if (options.nonChargeable && detail.source.kind === 'transaction') {
    const transactionId = detail.source.transactionId;
    const backlog = backlogIndex({ projectId: header.projectId, date: detail.date, id: transactionId });
    const makeNonChargeable: TransactItem = {
      Update: {
        TableName: tableName(),
        Key: keys.transaction(transactionId),
        UpdateExpression:
          'SET billingState = :unbilled, reservedBy = :null, billingType = :nonChargeable, version = version + :one, gsi1pk = :backlog, gsi1sk = :position',
        ConditionExpression: 'reservedBy = :invoice AND billingState = :reserved',
        ExpressionAttributeValues: {
          ':unbilled': 'unbilled',
          ':null': null,
          ':nonChargeable': 'non_chargeable',
          ':one': 1,
          ':backlog': backlog.gsi1pk,
          ':position': backlog.gsi1sk,
          ':invoice': invoiceId,
          ':reserved': 'reserved',
        },
      },
    };
    await commit({ ...change, audit: { ...audit, action: 'makeNonChargeable' }, extra: [makeNonChargeable] });
  } else {
    if (options.nonChargeable) throw conflict('only a detail billing a transaction can be made non-chargeable');
    await commit({
      ...change,
      releaseTransactions:
        detail.source.kind === 'transaction' ? [{ transactionId: detail.source.transactionId, date: detail.date }] : [],
      releaseMilestones:
        detail.source.kind === 'milestone' ? [{ milestoneId: detail.source.milestoneId, date: detail.date }] : [],
    });
  }
  return { invoice: next, problems: problemsOf(invoice, nextSummary, []) };
}

/** Recalculate (reads every detail; writes the header and only the details whose values changed). */
export async function recalculateInvoice(
  invoiceId: string,
  expectedVersion: number,
  rereadCustomer: boolean,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const loaded = await loadInvoice(invoiceId);
  if (!loaded) throw notFound(`invoice ${invoiceId}`);
  requireVersion(loaded.header, expectedVersion);
  const customer = rereadCustomer ? (await billingContext(loaded.header.projectId))?.project.customer : undefined;
  const result = recalculate(loaded.invoice, customer ? { customer } : {}, commandContext(actor, now));
  // The domain compares JSON; items read back from DynamoDB have another key order, so compare canonically too.
  if (result.invoice === loaded.invoice || canonical(result.invoice) === canonical(loaded.invoice))
    return { invoice: loaded.header, problems: result.effects.problems };
  const before = new Map(loaded.invoice.details.map((detail) => [detail.id, detail]));
  const changed = result.invoice.details.filter((detail) => before.get(detail.id) !== detail);
  const summary = summarizeDetails(result.invoice.details);
  const next = headerFrom(loaded.header, result.invoice, summary);
  if (changed.length > 90)
    throw conflict('recalculating would rewrite more than 90 details at once; not supported yet');
  await commit({
    expectedVersion,
    header: next,
    audit: auditOf(result.invoice, actor, undefined),
    putDetails: changed,
  });
  return { invoice: next, problems: result.effects.problems };
}

async function headerOnlyCommand(
  invoiceId: string,
  expectedVersion: number,
  apply: (invoice: Invoice, header: InvoiceHeader) => CommandResult,
  actor: Actor,
): Promise<ChangeOutcome> {
  const loaded = await loadInvoice(invoiceId);
  if (!loaded) throw notFound(`invoice ${invoiceId}`);
  requireVersion(loaded.header, expectedVersion);
  const result = apply(loaded.invoice, loaded.header);
  const next = headerFrom(
    loaded.header,
    result.invoice,
    loaded.header.summary ?? summarizeDetails(loaded.invoice.details),
  );
  await commit({ expectedVersion, header: next, audit: auditOf(result.invoice, actor, undefined) });
  return { invoice: next, problems: result.effects.problems };
}

export function recordInvoicePayment(
  invoiceId: string,
  expectedVersion: number,
  command: RecordPaymentCommand,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const context = commandContext(actor, now);
  return headerOnlyCommand(
    invoiceId,
    expectedVersion,
    (invoice, header) => {
      assertPaymentDate(command.date, header.createdAt, context.today);
      return recordPayment(invoice, command, context);
    },
    actor,
  );
}

/** A payment is dated between the invoice's creation (in the firm's zone) and today in the firm's zone. */
function assertPaymentDate(date: string, createdAt: string | undefined, today: string): void {
  if (date > today) throw new ValidationFailed('date', `${date} is after today (${today})`);
  const created = createdAt ? todayInZone(new Date(createdAt), firmTimeZone()) : undefined;
  if (created !== undefined && date < created)
    throw new ValidationFailed('date', `${date} is before the invoice was created (${created})`);
}

export function reverseInvoicePayment(
  invoiceId: string,
  expectedVersion: number,
  command: ReversePaymentCommand,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  return headerOnlyCommand(
    invoiceId,
    expectedVersion,
    (invoice) => reversePayment(invoice, command, commandContext(actor, now)),
    actor,
  );
}

/** A payment the bank reported (a statement entry): its id is the entry's identity, so it is recorded once. */
export interface BankPayment {
  readonly entryId: string;
  /** The entry's amount in minor units. */
  readonly amount: number;
  readonly currency: string;
  readonly date: string;
  readonly reference: string | null;
}

export type BankPaymentOutcome =
  | { readonly kind: 'applied'; readonly invoice: InvoiceHeader; readonly applied: number; readonly unapplied: number }
  /** The invoice takes no payment (paid, cancelled, a draft, another currency): nothing was written. */
  | { readonly kind: 'not_open'; readonly invoice: InvoiceHeader | undefined }
  /** A condition of `alsoWrite` failed: someone else settled the entry first; nothing was written. */
  | { readonly kind: 'settled_elsewhere' };

/**
 * Records a bank entry as a payment through the same domain command as POST /invoices/{id}/payments (recordPayment:
 * balance and status rules in one place), in one transaction with `alsoWrite` (the statement line's outcome, the
 * unapplied rest): the entry becomes a payment exactly once. The payment is what the invoice still needs; the rest
 * of the entry (an over-payment) is returned as `unapplied` for the caller to keep on the customer.
 * A concurrent change of the invoice (412 for a person) is read again and retried.
 */
export async function recordBankPayment(
  invoiceId: string,
  payment: BankPayment,
  actor: Actor,
  now: Date,
  alsoWrite: (applied: number, unapplied: number, header: InvoiceHeader) => TransactItem[],
): Promise<BankPaymentOutcome> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const loaded = await loadInvoice(invoiceId);
    const header = loaded?.header;
    if (
      !loaded ||
      !header ||
      header.kind !== 'invoice' ||
      (header.status !== 'issued' && header.status !== 'partially_paid') ||
      header.totals.balance <= 0 ||
      header.currency !== payment.currency
    )
      return { kind: 'not_open', invoice: header };
    if (header.payments.some((p) => p.id === payment.entryId)) return { kind: 'settled_elsewhere' };
    const applied = Math.min(payment.amount, header.totals.balance);
    const unapplied = payment.amount - applied;
    const result = recordPayment(
      loaded.invoice,
      {
        paymentId: payment.entryId,
        amount: applied,
        currency: payment.currency,
        date: payment.date,
        method: 'bank',
        reference: payment.reference,
      },
      commandContext(actor, now),
    );
    const next = headerFrom(header, result.invoice, header.summary ?? summarizeDetails(loaded.invoice.details));
    try {
      await commitInvoiceChange({
        expectedVersion: header.version,
        header: next,
        audit: auditOf(result.invoice, actor, undefined),
        extra: alsoWrite(applied, unapplied, next),
      });
      return { kind: 'applied', invoice: next, applied, unapplied };
    } catch (error) {
      if (error instanceof VersionConflict) continue;
      if (error instanceof ItemConflict) return { kind: 'settled_elsewhere' };
      throw error;
    }
  }
  throw new Error(`invoice ${invoiceId} kept changing; the bank entry ${payment.entryId} stays pending`);
}

/**
 * Discard: first the header becomes `discarded` (version + 1, audit entry), conditional on the version; then every
 * detail is deleted and its transaction or milestone released. A retry (or a crash in between) finishes the release:
 * DELETE on a discarded invoice continues it. The header stays as a tombstone: the origin key stays used.
 */
export async function discardInvoice(
  invoiceId: string,
  expectedVersion: number,
  actor: Actor,
  now: Date,
): Promise<void> {
  const loaded = await loadInvoice(invoiceId);
  if (!loaded) throw notFound(`invoice ${invoiceId}`);
  if (loaded.header.status !== 'discarded') {
    requireVersion(loaded.header, expectedVersion);
    const result = discard(loaded.invoice, {}, commandContext(actor, now));
    const next: InvoiceHeader = { ...loaded.header, status: 'discarded', version: loaded.header.version + 1 };
    await commit({
      expectedVersion,
      header: next,
      audit: { ...result.audit, after: { status: 'discarded' }, actorId: actor.userId },
    });
  }
  const header = { ...loaded.header, status: 'discarded' as const };
  for (let start = 0; start < loaded.invoice.details.length; start += 8) {
    await Promise.all(
      loaded.invoice.details.slice(start, start + 8).map((detail) => releaseDiscardedDetail(header, detail)),
    );
  }
}

/**
 * A command that changes the header only (header edit, review): reads the header, never the details; the problems
 * come from the header's sums. One transaction: header conditional on the version + audit entry.
 */
async function headerCommand(
  invoiceId: string,
  expectedVersion: number,
  apply: (invoice: Invoice, ctx: CommandContext) => CommandResult,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const header = await headerOrThrow(invoiceId);
  requireVersion(header, expectedVersion);
  const summary = await summaryOf(header);
  const result = apply(asInvoice(header, []), commandContext(actor, now));
  const next = headerFrom(header, result.invoice, summary);
  await commit({ expectedVersion, header: next, audit: auditOf(result.invoice, actor, undefined) });
  return { invoice: next, problems: problemsOf(result.invoice, summary, []) };
}

export type EditHeaderInput = Pick<EditHeaderCommand, 'buyerReference' | 'poNumber' | 'notes' | 'paymentTermsDays'>;

/** PATCH /invoices/{id}: buyer reference, purchase-order number, notes, payment terms of a draft (or one in review). */
export function editInvoiceHeader(
  invoiceId: string,
  expectedVersion: number,
  input: EditHeaderInput,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const command: EditHeaderCommand = {
    ...(input.buyerReference !== undefined ? { buyerReference: blankToNull(input.buyerReference) } : {}),
    ...(input.poNumber !== undefined ? { poNumber: blankToNull(input.poNumber) } : {}),
    ...(input.notes !== undefined ? { notes: blankToNull(input.notes) } : {}),
    ...(input.paymentTermsDays !== undefined ? { paymentTermsDays: input.paymentTermsDays } : {}),
  };
  return headerCommand(invoiceId, expectedVersion, (invoice, ctx) => editHeader(invoice, command, ctx), actor, now);
}

const blankToNull = (text: string | null): string | null => (text === null || text.trim() === '' ? null : text.trim());

export type ReviewStep = 'submit' | 'approve' | 'return';

/** Review before sending: submit (draft -> in review), approve (another billing user), return (with a comment). */
export function reviewInvoice(
  invoiceId: string,
  expectedVersion: number,
  step: ReviewStep,
  comment: string | undefined,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const apply = (invoice: Invoice, ctx: CommandContext): CommandResult => {
    if (step === 'submit') return submitForReview(invoice, {}, ctx);
    if (step === 'approve') return approveReview(invoice, {}, ctx);
    return returnToDraft(invoice, { comment: comment ?? '' }, ctx);
  };
  return headerCommand(invoiceId, expectedVersion, apply, actor, now);
}

/**
 * Adds a manual detail (work not recorded as a transaction) to a draft: reads the header only, writes the header,
 * the new detail and the audit entry. Send creates its transaction, billed by this invoice.
 */
export async function addInvoiceDetail(
  invoiceId: string,
  expectedVersion: number,
  command: AddManualDetailCommand,
  actor: Actor,
  now: Date,
): Promise<ChangeOutcome> {
  const header = await headerOrThrow(invoiceId);
  requireVersion(header, expectedVersion);
  const existing = await invoiceDetail(invoiceId, `x:${command.transactionId}`);
  const summary = await summaryOf(header);
  const result = addManualDetail(asInvoice(header, existing ? [existing] : []), command, commandContext(actor, now));
  const added = result.invoice.details.find((detail) => detail.id === `x:${command.transactionId}`) as InvoiceDetail;
  const nextSummary = adjustSummary(summary, [], [added]);
  const totals = totalsFromSummary(nextSummary, header.payments, header.credits);
  const invoice: Invoice = { ...result.invoice, lines: linesFromSummary(nextSummary), totals };
  const next = headerFrom(header, invoice, nextSummary);
  await commit({
    expectedVersion,
    header: next,
    audit: auditOf(result.invoice, actor, { beforeTotal: header.totals.total, afterTotal: totals.total }),
    putDetails: [added],
  });
  return { invoice: next, problems: problemsOf(invoice, nextSummary, [added]) };
}

export { EMPTY_SUMMARY };

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    );
  return value;
}

function canonical(invoice: Invoice): string {
  return JSON.stringify(sortedKeys([invoice.customer, invoice.details, invoice.lines, invoice.totals]));
}
