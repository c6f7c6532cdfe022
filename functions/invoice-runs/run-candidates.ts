import { createHash } from 'node:crypto';
import type { InvoiceDetail, Milestone, Transaction } from '../domain/index.ts';
import type { BillingData, TransactionRef } from './ports.ts';

/** What a run's attempt builds from (A5, A40), and the key of what it built (run-write-path.ts). */

/** A stored detail and whether this invoice holds its transaction or milestone already. */
export interface StoredDetail {
  readonly detail: InvoiceDetail;
  readonly reserved: boolean;
}

/**
 * The backlog up to the cut-off, plus the transactions of the details this invoice stored in an earlier attempt
 * (reserved by it, or not yet reserved: a crash between writing a detail and reserving its transaction); those
 * another invoice took meanwhile are left out, so their details go.
 */
export async function candidates(
  billing: Pick<BillingData, 'unbilledUpTo' | 'transactionsById'>,
  invoiceId: string,
  projectId: string,
  cutOff: string,
  details: readonly InvoiceDetail[],
  milestones: readonly Milestone[],
): Promise<{ transactions: Transaction[]; stored: StoredDetail[] }> {
  const [backlog, held] = await Promise.all([
    billing.unbilledUpTo(projectId, cutOff),
    billing.transactionsById(projectId, transactionsOf(details)),
  ]);
  const byId = new Map<string, Transaction>();
  for (const transaction of [...backlog, ...held])
    if (transaction.reservedBy === null || transaction.reservedBy === invoiceId) byId.set(transaction.id, transaction);
  const reserved = new Set([
    ...held.filter((transaction) => transaction.reservedBy === invoiceId).map((transaction) => `t:${transaction.id}`),
    ...milestones.filter((milestone) => milestone.invoicedBy === invoiceId).map((milestone) => `m:${milestone.id}`),
  ]);
  const sourceKey = (detail: InvoiceDetail) =>
    detail.source.kind === 'transaction'
      ? `t:${detail.source.transactionId}`
      : detail.source.kind === 'milestone'
        ? `m:${detail.source.milestoneId}`
        : '';
  return {
    transactions: [...byId.values()],
    stored: details.map((detail) => ({ detail, reserved: reserved.has(sourceKey(detail)) })),
  };
}

/** The transactions that details bill, by id and date (a transaction detail's date is its transaction's). */
export function transactionsOf(details: readonly InvoiceDetail[]): TransactionRef[] {
  return details.flatMap((detail) =>
    detail.source.kind === 'transaction' ? [{ id: detail.source.transactionId, date: detail.date }] : [],
  );
}

/** The details the attempt builds, as one key: the draft completes only while its header has the key of its build. */
export function buildKeyOf(details: readonly InvoiceDetail[]): string {
  const hash = createHash('sha256');
  for (const detail of [...details].sort((a, b) => (a.id < b.id ? -1 : 1))) hash.update(canonical(detail));
  return hash.digest('base64url').slice(0, 22);
}

/** JSON with sorted keys: a detail read back from the table compares equal to the same detail built again. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
