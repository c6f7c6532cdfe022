import { Conflict, NotFound } from '../shared/errors.ts';
import { faultPoint } from '../shared/faults.ts';
import { inParallel } from '../shared/in-parallel.ts';
import { ValidationFailed } from '../domain/index.ts';
import { firmProfile } from '../adapters/dynamodb/firm-store.ts';
import { invoiceHeader } from '../adapters/dynamodb/invoices-store.ts';
import { getCustomer } from '../adapters/dynamodb/setup-store.ts';
import {
  claimEntry,
  createStatementRecord,
  customerOfAccount,
  customersNamed,
  debtorAccountItem,
  entryClaim,
  invoiceNumbers,
  invoiceOfReference,
  markStatementImported,
  openInvoicesWithBalance,
  putReportedLine,
  settleLine,
  settleLineItem,
  statementLine,
  statementLines,
  statementRecord,
  unappliedMoneyItem,
  type IgnoredReason,
  type LineState,
  type StatementLine,
  type StatementRecord,
} from '../adapters/dynamodb/bank-statements-store.ts';
import type { Actor } from '../invoices/invoice-commands.ts';
// Bound to DynamoDB in the wiring until the bank-statement import stands behind its own ports (area payments).
import { recordBankPayment } from '../handlers/wiring/invoices.ts';
import type { TransactItem } from '../adapters/dynamodb/invoice-changes-store.ts';
import { parseCamt053, statementIdOf, type StatementEntry } from './camt053.ts';
import { matchEntry, type MatchingPorts } from './matching.ts';

/**
 * Bank statement import (issue 13, point 3): POST /bank-statements with a CAMT.053 document.
 *
 * Exactly once: every entry's identity is claimed by the first line that brings it (a conditional put, together
 * with the line `pending`); the line then moves to its outcome conditional on being `pending`, in the same
 * transaction as the payment on the invoice (header conditional on its version, the entry id as payment id) and the
 * unapplied rest. So an entry becomes at most one payment, whatever runs at the same time: the same document twice
 * at once, the same entry in two documents, a retry after a crash (the retry finds its own pending lines and
 * finishes them). The document is marked imported when every line has its outcome.
 * Adopted: only EUR entries are money for invoices (the firm's account is a EUR account); at most 2,000 lines.
 */
export const MAX_LINES = 2000;
const CONCURRENCY = 8;

export interface EntryOutcome {
  readonly position: number;
  readonly entryId: string;
  readonly outcome: LineState;
  readonly amount: string;
  readonly currency: string;
  readonly direction: 'credit' | 'debit';
  readonly bookingDate: string | null;
  readonly debtorName: string | null;
  readonly debtorIban: string | null;
  readonly references: readonly string[];
  readonly unstructured: string;
  readonly reason: IgnoredReason | null;
  readonly invoiceId: string | null;
  readonly invoiceNumber: string | null;
  readonly customerId: string | null;
  readonly matchedBy: string | null;
  readonly applied: number | null;
  readonly unapplied: number | null;
  readonly duplicateOf: { readonly statementId: string; readonly position: number } | null;
}

export interface StatementView {
  readonly id: string;
  readonly status: StatementRecord['status'];
  readonly messageId: string | null;
  readonly statements: StatementRecord['statements'];
  readonly importedAt: string;
  readonly importedBy: string;
  /** True when this exact document had been imported before: nothing changed. */
  readonly duplicate: boolean;
  readonly counts: Readonly<Record<LineState, number>>;
  readonly entries: readonly EntryOutcome[];
}

const normalizeIban = (iban: string | null | undefined) => (iban ?? '').replace(/\s/g, '').toUpperCase();

const ports: MatchingPorts = {
  invoiceOfReference,
  async isOpen(invoiceId, currency) {
    const header = await invoiceHeader(invoiceId);
    return (
      header !== undefined &&
      header.kind === 'invoice' &&
      (header.status === 'issued' || header.status === 'partially_paid') &&
      header.totals.balance > 0 &&
      header.currency === currency
    );
  },
  async customersOfDebtor(name, iban) {
    const named = name ? await customersNamed(name.replace(/\s+/g, ' ').trim()) : [];
    const known = iban ? await customerOfAccount(iban) : undefined;
    return known ? [known, ...named.filter((id) => id !== known)] : named;
  },
  openInvoicesWithBalance: (customerId, currency, balance) => openInvoicesWithBalance(customerId, currency, balance),
};

function ignoredReason(entry: StatementEntry, account: string | null, firmIban: string): IgnoredReason | undefined {
  if (normalizeIban(account) !== firmIban) return 'account';
  if (entry.direction === 'debit') return 'debit';
  if (entry.reversal) return 'reversal';
  if (entry.status !== 'BOOK') return 'not_booked';
  if (entry.currency !== 'EUR' || entry.minor === null || entry.minor <= 0) return 'currency';
  return undefined;
}

export async function importBankStatement(
  xml: string,
  actor: Actor,
  now: Date,
): Promise<{ created: boolean; view: StatementView }> {
  const parsed = parseCamt053(xml);
  const all = parsed.statements.flatMap((statement) =>
    statement.entries.map((entry) => ({ entry, account: statement.iban })),
  );
  if (all.length > MAX_LINES)
    throw new ValidationFailed('body', `a document may hold at most ${MAX_LINES} entries; split it`);
  const statementId = statementIdOf(parsed);
  const existing = await statementRecord(statementId);
  if (existing?.status === 'imported') return { created: false, view: await statementView(statementId, true) };
  if (!existing) {
    await createStatementRecord({
      id: statementId,
      status: 'importing',
      version: parsed.version,
      messageId: parsed.messageId,
      statements: parsed.statements.map((s) => ({ id: s.id, iban: s.iban, from: s.from, to: s.to })),
      lineCount: all.length,
      importedAt: now.toISOString(),
      importedBy: actor.username,
    });
  }
  const firmIban = normalizeIban((await firmProfile()).iban);
  // The same entry twice in one document: the first line owns it, whatever order the workers reach them in.
  const first = new Map<string, number>();
  for (const { entry } of all) if (!first.has(entry.entryId)) first.set(entry.entryId, entry.position);
  // A retry of an import that died (a Lambda timeout, a crash) goes on where it stopped: lines with their outcome
  // are left alone, so every attempt gets further than the one before.
  const settled = existing
    ? new Set((await statementLines(statementId)).filter((l) => l.state !== 'pending').map((l) => l.position))
    : new Set<number>();
  const queue = all.filter(({ entry }) => !settled.has(entry.position));
  // The first failure stops taking more lines, and the import fails only once the started ones have settled:
  // nothing of this attempt goes on writing after it has answered (a retry goes on from what was written).
  await inParallel(queue, CONCURRENCY, async ({ entry, account }) => {
    const owner = first.get(entry.entryId) as number;
    if (owner !== entry.position && ignoredReason(entry, account, firmIban) === undefined)
      await putReportedLine({
        ...lineOf(statementId, entry, account),
        state: 'duplicate',
        duplicateOf: { statementId, position: owner },
      });
    else await importLine(statementId, entry, account, firmIban, actor, now);
  });
  await faultPoint('bank-statement:before-imported');
  await markStatementImported(statementId);
  return { created: true, view: await statementView(statementId, false) };
}

function lineOf(statementId: string, entry: StatementEntry, account: string | null): StatementLine {
  return {
    statementId,
    position: entry.position,
    entryId: entry.entryId,
    state: 'pending',
    direction: entry.direction,
    amount: entry.amount,
    currency: entry.currency,
    minor: entry.minor,
    bookingDate: entry.bookingDate,
    valueDate: entry.valueDate,
    debtorName: entry.debtorName,
    debtorIban: entry.debtorIban,
    structuredReferences: entry.structuredReferences,
    unstructured: entry.unstructured,
    accountServicerReference: entry.accountServicerReference,
    endToEndId: entry.endToEndId,
    account,
  };
}

async function importLine(
  statementId: string,
  entry: StatementEntry,
  account: string | null,
  firmIban: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  const line = lineOf(statementId, entry, account);
  const reason = ignoredReason(entry, account, firmIban);
  if (reason) {
    await putReportedLine({ ...line, state: 'ignored', reason });
    return;
  }
  await faultPoint(`bank-statement:claim:${entry.position}`);
  const claim = await claimEntry(line);
  if (claim.statementId !== statementId || claim.position !== entry.position) {
    await putReportedLine({
      ...line,
      state: 'duplicate',
      duplicateOf: { statementId: claim.statementId, position: claim.position },
    });
    // The first import died before this entry had its outcome: finish it here, so nothing waits on a retry.
    const first = await statementLine(claim.statementId, claim.position);
    if (first?.state === 'pending') await settlePendingLine(first, actor, now);
    return;
  }
  await faultPoint(`bank-statement:claimed:${entry.position}`);
  const current = await statementLine(statementId, entry.position);
  if (current?.state !== 'pending') return; // an earlier attempt (or a concurrent import) settled it
  await settlePendingLine(current, actor, now);
}

/** Matches a pending line and writes its outcome (with the payment and the unapplied rest) exactly once. */
async function settlePendingLine(line: StatementLine, actor: Actor, now: Date): Promise<void> {
  const minor = line.minor as number;
  const match = await matchEntry(
    {
      minor,
      currency: line.currency,
      structuredReferences: line.structuredReferences,
      unstructured: line.unstructured,
      debtorName: line.debtorName,
      debtorIban: line.debtorIban,
    },
    ports,
  );
  await faultPoint(`bank-statement:matched:${line.position}`);
  if (match.kind === 'payment') {
    const outcome = await applyToInvoice(
      line,
      match.invoiceId,
      ['pending'],
      'payment',
      match.matchedBy,
      actor,
      now,
      match.reference,
    );
    if (outcome !== 'not_open') return;
    // The invoice was settled between the lookup and the payment: keep the money on its customer.
    if (match.customerId) await keepUnapplied(line, ['pending'], 'unapplied', match.customerId, match.invoiceId, now);
    else await settleLine(settleLineItem(line, ['pending'], { state: 'unmatched' }));
    return;
  }
  if (match.kind === 'proposed') {
    await settleLine(
      settleLineItem(line, ['pending'], {
        state: 'proposed',
        invoiceId: match.invoiceId,
        customerId: match.customerId,
        matchedBy: 'amount_and_debtor',
      }),
    );
    return;
  }
  if (match.kind === 'unapplied') {
    await keepUnapplied(line, ['pending'], 'unapplied', match.customerId, match.invoiceId, now);
    return;
  }
  await settleLine(settleLineItem(line, ['pending'], { state: 'unmatched' }));
}

async function applyToInvoice(
  line: StatementLine,
  invoiceId: string,
  from: readonly LineState[],
  state: 'payment' | 'assigned',
  matchedBy: NonNullable<StatementLine['matchedBy']>,
  actor: Actor,
  now: Date,
  reference: string | null,
): Promise<'applied' | 'not_open' | 'settled_elsewhere'> {
  const result = await recordBankPayment(
    invoiceId,
    {
      entryId: line.entryId,
      amount: line.minor as number,
      currency: line.currency,
      date: line.bookingDate ?? line.valueDate ?? now.toISOString().slice(0, 10),
      reference: reference ?? line.accountServicerReference ?? line.endToEndId,
    },
    actor,
    now,
    (applied, unapplied, header) => {
      const items: TransactItem[] = [
        settleLineItem(line, from, {
          state,
          invoiceId,
          customerId: header.customerId ?? null,
          matchedBy,
          applied,
          unapplied,
          ...(state === 'assigned' ? { decidedBy: actor.username, decidedAt: now.toISOString() } : {}),
        }),
      ];
      if (unapplied > 0 && header.customerId)
        items.push(
          unappliedMoneyItem({
            customerId: header.customerId,
            entryId: line.entryId,
            amount: unapplied,
            currency: line.currency,
            invoiceId,
            statementId: line.statementId,
            position: line.position,
            receivedOn: line.bookingDate,
            recordedAt: now.toISOString(),
          }),
        );
      if (line.debtorIban && header.customerId)
        items.push(debtorAccountItem(line.debtorIban, header.customerId, now.toISOString()));
      return items;
    },
  );
  return result.kind;
}

async function keepUnapplied(
  line: StatementLine,
  from: readonly LineState[],
  state: 'unapplied' | 'assigned',
  customerId: string,
  invoiceId: string | null,
  now: Date,
  decidedBy?: string,
): Promise<boolean> {
  return settleLine(
    settleLineItem(line, from, {
      state,
      customerId,
      ...(invoiceId ? { invoiceId } : {}),
      applied: 0,
      unapplied: line.minor as number,
      ...(decidedBy ? { decidedBy, decidedAt: now.toISOString(), matchedBy: 'person' as const } : {}),
    }),
    [
      unappliedMoneyItem({
        customerId,
        entryId: line.entryId,
        amount: line.minor as number,
        currency: line.currency,
        invoiceId,
        statementId: line.statementId,
        position: line.position,
        receivedOn: line.bookingDate,
        recordedAt: now.toISOString(),
      }),
    ],
  );
}

/**
 * A person's decision on an entry (POST /bank-entries/{entryId}/assignment): confirm a proposal or assign an
 * unmatched entry to an open invoice (`invoiceId`; an over-payment's rest is kept on the customer), or keep the
 * whole amount as unapplied money on a customer (`customerId`). Only proposed and unmatched entries; once.
 */
export async function assignBankEntry(
  entryId: string,
  target: { readonly invoiceId?: string; readonly customerId?: string },
  actor: Actor,
  now: Date,
): Promise<EntryOutcome> {
  const claim = await entryClaim(entryId);
  if (!claim) throw new NotFound(`bank entry ${entryId}`);
  const line = await statementLine(claim.statementId, claim.position);
  if (!line) throw new NotFound(`bank entry ${entryId}`);
  if (line.state !== 'proposed' && line.state !== 'unmatched')
    throw new Conflict(`bank entry ${entryId} is ${line.state}; only proposed and unmatched entries can be assigned`, {
      state: line.state,
    });
  const from: LineState[] = [line.state];
  if (target.invoiceId !== undefined) {
    const header = await invoiceHeader(target.invoiceId);
    if (!header) throw new ValidationFailed('invoiceId', `invoice ${target.invoiceId} does not exist`);
    const outcome = await applyToInvoice(line, target.invoiceId, from, 'assigned', 'person', actor, now, null);
    if (outcome === 'not_open')
      throw new ValidationFailed(
        'invoiceId',
        `invoice ${target.invoiceId} takes no ${line.currency} payment (it is ${header.status})`,
      );
    if (outcome === 'settled_elsewhere')
      throw new Conflict(`bank entry ${entryId} was decided by someone else meanwhile`);
  } else if (target.customerId !== undefined) {
    if (!(await getCustomer(target.customerId)))
      throw new ValidationFailed('customerId', `customer ${target.customerId} does not exist`);
    if (!(await keepUnapplied(line, from, 'assigned', target.customerId, null, now, actor.username)))
      throw new Conflict(`bank entry ${entryId} was decided by someone else meanwhile`);
  } else {
    throw new ValidationFailed('invoiceId', 'give invoiceId (or customerId to keep the money on a customer)');
  }
  const after = await statementLine(claim.statementId, claim.position);
  return (await outcomesOf([after as StatementLine]))[0] as EntryOutcome;
}

async function outcomesOf(lines: readonly StatementLine[]): Promise<EntryOutcome[]> {
  const numbers = await invoiceNumbers(lines.flatMap((line) => (line.invoiceId ? [line.invoiceId] : [])));
  return lines.map((line) => ({
    position: line.position,
    entryId: line.entryId,
    outcome: line.state,
    amount: line.amount,
    currency: line.currency,
    direction: line.direction,
    bookingDate: line.bookingDate,
    debtorName: line.debtorName,
    debtorIban: line.debtorIban,
    references: line.structuredReferences,
    unstructured: line.unstructured,
    reason: line.reason ?? null,
    invoiceId: line.invoiceId ?? null,
    invoiceNumber: line.invoiceId ? (numbers.get(line.invoiceId) ?? null) : null,
    customerId: line.customerId ?? null,
    matchedBy: line.matchedBy ?? null,
    applied: line.applied ?? null,
    unapplied: line.unapplied ?? null,
    duplicateOf: line.duplicateOf ?? null,
  }));
}

export async function statementView(statementId: string, duplicate = false): Promise<StatementView> {
  const record = await statementRecord(statementId);
  if (!record) throw new NotFound(`bank statement ${statementId}`);
  const entries = await outcomesOf(await statementLines(statementId));
  const counts: Record<LineState, number> = {
    pending: 0,
    payment: 0,
    proposed: 0,
    unmatched: 0,
    unapplied: 0,
    assigned: 0,
    duplicate: 0,
    ignored: 0,
  };
  for (const entry of entries) counts[entry.outcome] += 1;
  return {
    id: record.id,
    status: record.status,
    messageId: record.messageId,
    statements: record.statements,
    importedAt: record.importedAt,
    importedBy: record.importedBy,
    duplicate,
    counts,
    entries,
  };
}
