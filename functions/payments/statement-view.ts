import { NotFound } from '../shared/errors.ts';
import type { IgnoredReason, LineState, PaymentPorts, StatementLine, StatementRecord } from './ports.ts';

/** What became of an imported document's entries (GET /bank-statements/{id}, and the import's answer). */
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

export async function outcomesOf(ports: PaymentPorts, lines: readonly StatementLine[]): Promise<EntryOutcome[]> {
  const numbers = await ports.statements.invoiceNumbers(
    lines.flatMap((line) => (line.invoiceId ? [line.invoiceId] : [])),
  );
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

export async function statementView(
  ports: PaymentPorts,
  statementId: string,
  duplicate = false,
): Promise<StatementView> {
  const record = await ports.statements.record(statementId);
  if (!record) throw new NotFound(`bank statement ${statementId}`);
  const entries = await outcomesOf(ports, await ports.statements.lines(statementId));
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
