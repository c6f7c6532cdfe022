/** Helpers every invoice command shares: status guard, pricing, derived totals, the audit entry, Send's problems. */
import { InvalidTransition, ValidationFailed } from '../errors.ts';
import type { CommandContext, Invoice, InvoiceDetail, InvoiceStatus } from '../invoice.ts';
import { detailNet } from '../money.ts';
import { adjustSummary, type DetailSummary, linesFromSummary, summarizeDetails, totalsFromSummary } from '../totals.ts';
import { type CommandResult, type Effects, NO_EFFECTS, type ValidationProblem } from './effects.ts';

export const EDITABLE: readonly InvoiceStatus[] = ['draft', 'in_review'];

export function requireStatus(
  invoice: Invoice,
  allowed: readonly InvoiceStatus[],
  action: string,
  kind: Invoice['kind'] = 'invoice',
): void {
  if (invoice.kind !== kind) throw new InvalidTransition(invoice.kind, action);
  if (!allowed.includes(invoice.status)) throw new InvalidTransition(invoice.status, action);
}

/** Recomputes a detail's net and waived value from quantity x unit price. */
export function priced(detail: InvoiceDetail, currency: string): InvoiceDetail {
  const value = detailNet(detail.quantity, detail.unitPrice, currency);
  const net = detail.billingType === 'complimentary' ? 0 : value;
  const waived = detail.billingType === 'complimentary' ? value : 0;
  return net === detail.net && waived === detail.waived ? detail : { ...detail, net, waived };
}

function withSummary(invoice: Invoice, details: readonly InvoiceDetail[], summary: DetailSummary): Invoice {
  return {
    ...invoice,
    details,
    lines: linesFromSummary(summary),
    totals: totalsFromSummary(summary, invoice.payments, invoice.credits),
    ...(invoice.summary === undefined ? {} : { summary }),
  };
}

/**
 * Lines and totals from the details, payments and credits. With the same details and the sums present, from the
 * sums (payments and credits change no detail).
 */
export function derived(invoice: Invoice, details: readonly InvoiceDetail[]): Invoice {
  const same = details === invoice.details && invoice.summary !== undefined;
  return withSummary(invoice, details, same && invoice.summary ? invoice.summary : summarizeDetails(details));
}

/**
 * Lines and totals after `removed` left and `added` joined the details. With the sums present the invoice may hold
 * only the details the command touches: the sums are adjusted, the other details are never needed.
 */
export function derivedChange(
  invoice: Invoice,
  details: readonly InvoiceDetail[],
  removed: readonly InvoiceDetail[],
  added: readonly InvoiceDetail[],
): Invoice {
  const summary =
    invoice.summary === undefined ? summarizeDetails(details) : adjustSummary(invoice.summary, removed, added);
  return withSummary(invoice, details, summary);
}

export function commit(
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

export function findDetail(invoice: Invoice, detailId: string, field = 'detailId'): InvoiceDetail {
  const detail = invoice.details.find((d) => d.id === detailId);
  if (detail === undefined) throw new ValidationFailed(field, `no detail ${detailId} on invoice ${invoice.id}`);
  return detail;
}

/** Status of an issued invoice from its balance. Adopted: "paid" means settled (payments and/or credits). */
export function settledStatus(invoice: Invoice): InvoiceStatus {
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
  // With the sums present the details may be only those a command touched: a non-zero chargeable net means a
  // billable detail exists (complimentary details add nothing to the net).
  if (!invoice.details.some(isBillable) && (invoice.summary?.net ?? 0) === 0)
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

/** A detail edit: `removed` leave the details, `added` join them (one detail replaced: both). */
export function edited(
  before: Invoice,
  details: readonly InvoiceDetail[],
  change: { readonly removed: readonly InvoiceDetail[]; readonly added: readonly InvoiceDetail[] },
  action: string,
  ctx: CommandContext,
  b: Record<string, unknown>,
  a: Record<string, unknown>,
  effects: Partial<Effects> = {},
): CommandResult {
  const after = derivedChange(before, details, change.removed, change.added);
  return {
    invoice: commit(before, after, action, ctx, b, a),
    effects: {
      ...NO_EFFECTS,
      putDetails: change.added,
      deletedDetails: change.removed.filter((d) => !change.added.some((a) => a.id === d.id)),
      ...effects,
      problems: sendProblems(after),
    },
  };
}

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

/** JSON with object keys sorted: equal for equal data whatever order its keys were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}
