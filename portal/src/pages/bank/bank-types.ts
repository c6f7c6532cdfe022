/** The bank-statement API's answers as the portal reads them (issue 13). */
export interface EntryOutcome {
  readonly position: number;
  readonly entryId: string;
  readonly outcome: string;
  readonly amount: string;
  readonly currency: string;
  readonly direction: 'credit' | 'debit';
  readonly bookingDate: string | null;
  readonly debtorName: string | null;
  readonly references: readonly string[];
  readonly unstructured: string;
  readonly reason: string | null;
  readonly invoiceId: string | null;
  readonly invoiceNumber: string | null;
  readonly customerId: string | null;
  readonly unapplied: number | null;
  readonly duplicateOf: { statementId: string; position: number } | null;
}

export interface StatementView {
  readonly id: string;
  readonly status: string;
  readonly statements: readonly { id: string; iban: string | null }[];
  readonly importedAt: string;
  readonly importedBy: string;
  readonly duplicate: boolean;
  readonly counts: Readonly<Record<string, number>>;
  readonly entries: readonly EntryOutcome[];
}

export interface StatementSummary {
  readonly id: string;
  readonly statements: readonly { id: string; iban: string | null }[];
  readonly lineCount: number;
  readonly importedAt: string;
  readonly importedBy: string;
}
