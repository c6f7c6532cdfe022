import { ValidationFailed } from '../domain/index.ts';
import { faultPoint } from '../shared/faults.ts';
import { inParallel } from '../shared/in-parallel.ts';
import { parseCamt053, statementIdOf, type StatementEntry } from './camt053.ts';
import type { Actor, IgnoredReason, PaymentPorts, StatementLine } from './ports.ts';
import { settlePendingLine } from './settle-line.ts';
import { statementView, type StatementView } from './statement-view.ts';

/**
 * Bank statement import (issue 13, point 3): POST /bank-statements with a CAMT.053 document.
 *
 * Exactly once: every entry's identity is claimed by the first line that brings it (a conditional put, together
 * with the line `pending`); the line then moves to its outcome conditional on being `pending`, in the same
 * transaction as the payment on the invoice (header conditional on its version, the entry id as payment id) and the
 * unapplied rest (./settle-line.ts). So an entry becomes at most one payment, whatever runs at the same time: the
 * same document twice at once, the same entry in two documents, a retry after a crash (the retry finds its own
 * pending lines and finishes them). The document is marked imported when every line has its outcome.
 * Adopted: only EUR entries are money for invoices (the firm's account is a EUR account); at most 2,000 lines.
 */
export const MAX_LINES = 2000;
const CONCURRENCY = 8;

const normalizeIban = (iban: string | null | undefined) => (iban ?? '').replace(/\s/g, '').toUpperCase();

function ignoredReason(entry: StatementEntry, account: string | null, firmIban: string): IgnoredReason | undefined {
  if (normalizeIban(account) !== firmIban) return 'account';
  if (entry.direction === 'debit') return 'debit';
  if (entry.reversal) return 'reversal';
  if (entry.status !== 'BOOK') return 'not_booked';
  if (entry.currency !== 'EUR' || entry.minor === null || entry.minor <= 0) return 'currency';
  return undefined;
}

export async function importBankStatement(
  ports: PaymentPorts,
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
  const existing = await ports.statements.record(statementId);
  if (existing?.status === 'imported') return { created: false, view: await statementView(ports, statementId, true) };
  if (!existing) {
    await ports.statements.create({
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
  const firmIban = normalizeIban(await ports.firmIban());
  // The same entry twice in one document: the first line owns it, whatever order the workers reach them in.
  const first = new Map<string, number>();
  for (const { entry } of all) if (!first.has(entry.entryId)) first.set(entry.entryId, entry.position);
  // A retry of an import that died (a Lambda timeout, a crash) goes on where it stopped: lines with their outcome
  // are left alone, so every attempt gets further than the one before.
  const settled = existing
    ? new Set((await ports.statements.lines(statementId)).filter((l) => l.state !== 'pending').map((l) => l.position))
    : new Set<number>();
  const queue = all.filter(({ entry }) => !settled.has(entry.position));
  // The first failure stops taking more lines, and the import fails only once the started ones have settled:
  // nothing of this attempt goes on writing after it has answered (a retry goes on from what was written).
  await inParallel(queue, CONCURRENCY, async ({ entry, account }) => {
    const owner = first.get(entry.entryId) as number;
    if (owner !== entry.position && ignoredReason(entry, account, firmIban) === undefined)
      await ports.statements.putReported({
        ...lineOf(statementId, entry, account),
        state: 'duplicate',
        duplicateOf: { statementId, position: owner },
      });
    else
      await importLine(ports, lineOf(statementId, entry, account), ignoredReason(entry, account, firmIban), actor, now);
  });
  await faultPoint('bank-statement:before-imported');
  await ports.statements.markImported(statementId);
  return { created: true, view: await statementView(ports, statementId, false) };
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

/** One line of the document: reported (ignored), or claimed and settled (a duplicate when another line holds it). */
async function importLine(
  ports: PaymentPorts,
  line: StatementLine,
  reason: IgnoredReason | undefined,
  actor: Actor,
  now: Date,
): Promise<void> {
  if (reason) {
    await ports.statements.putReported({ ...line, state: 'ignored', reason });
    return;
  }
  await faultPoint(`bank-statement:claim:${line.position}`);
  const claim = await ports.statements.claim(line);
  if (claim.statementId !== line.statementId || claim.position !== line.position) {
    await ports.statements.putReported({
      ...line,
      state: 'duplicate',
      duplicateOf: { statementId: claim.statementId, position: claim.position },
    });
    // The first import died before this entry had its outcome: finish it here, so nothing waits on a retry.
    const first = await ports.statements.line(claim.statementId, claim.position);
    if (first?.state === 'pending') await settlePendingLine(ports, first, actor, now);
    return;
  }
  await faultPoint(`bank-statement:claimed:${line.position}`);
  const current = await ports.statements.line(line.statementId, line.position);
  if (current?.state !== 'pending') return; // an earlier attempt (or a concurrent import) settled it
  await settlePendingLine(ports, current, actor, now);
}
