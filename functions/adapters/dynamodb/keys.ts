/** Keys of the factuur table, in one place (see table-design.md for the items and access patterns). */
export const keys = {
  firmProfile: () => ({ pk: 'FIRM', sk: 'PROFILE' }),
  customer: (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'CUSTOMER' }),
  project: (projectId: string) => ({ pk: `PROJECT#${projectId}`, sk: 'PROJECT' }),
  milestone: (projectId: string, milestoneId: string) => ({
    pk: `PROJECT#${projectId}`,
    sk: `MILESTONE#${milestoneId}`,
  }),
  frequencyGroup: (groupKey: string) => ({ pk: 'FREQUENCIES', sk: groupKey }),
  /** A transaction, in its project's partition, sorted by date then id (A5, A6, A18). */
  projectTransaction: (projectId: string, date: string, transactionId: string) => ({
    pk: `PROJECT#${projectId}`,
    sk: `TX#${date}#${transactionId}`,
  }),
  /** A transaction's key item: its id's identity and where the transaction is (`projectId`, `date`). */
  transaction: (transactionId: string) => ({ pk: `TX#${transactionId}`, sk: 'TX' }),
  invoiceHeader: (invoiceId: string) => ({ pk: `INVOICE#${invoiceId}`, sk: 'HEADER' }),
  invoiceDetail: (invoiceId: string, detailId: string) => ({ pk: `INVOICE#${invoiceId}`, sk: `DETAIL#${detailId}` }),
  invoiceExcluded: (invoiceId: string, kind: string, id: string) => ({
    pk: `INVOICE#${invoiceId}`,
    sk: `EXCLUDED#${kind}#${id}`,
  }),
  /** What a credit note was made from, kept until its details are all written (so a retry or the sweep can finish it). */
  creditPlan: (creditNoteId: string) => ({ pk: `INVOICE#${creditNoteId}`, sk: 'CREDIT_PLAN' }),
  run: (projectId: string, runDate: string) => ({ pk: `RUN#${projectId}#${runDate}`, sk: 'RUN' }),
  runAttempt: (projectId: string, runDate: string, startedAt: string, executionName: string) => ({
    pk: `RUN#${projectId}#${runDate}`,
    sk: `ATTEMPT#${startedAt}#${executionName}`,
  }),
  runCalendar: () => ({ pk: 'RUNCALENDAR', sk: 'CALENDAR' }),
  /** An issued invoice's payment reference (canonical form), written in the issue transaction: A26. */
  paymentReference: (canonical: string) => ({ pk: `PAYREF#${canonical}`, sk: 'PAYREF' }),
  /** An imported bank statement (header) and its lines `LINE#<position>`: A27. */
  bankStatement: (statementId: string) => ({ pk: `BANKSTATEMENT#${statementId}`, sk: 'STATEMENT' }),
  bankStatementLine: (statementId: string, position: number) => ({
    pk: `BANKSTATEMENT#${statementId}`,
    sk: `LINE#${String(position).padStart(5, '0')}`,
  }),
  /** The claim of a bank entry's identity (first statement and line that brought it): A28. */
  bankEntry: (entryId: string) => ({ pk: `BANKENTRY#${entryId}`, sk: 'ENTRY' }),
  /** Money received from a customer and not applied to an invoice (an over-payment's excess): A30. */
  unappliedMoney: (customerId: string, entryId: string) => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `UNAPPLIED#${entryId}`,
  }),
  reminder: (invoiceId: string, level: number) => ({ pk: `INVOICE#${invoiceId}`, sk: `REMINDER#${level}` }),
  reminderPause: (invoiceId: string, toVersion: number) => ({
    pk: `INVOICE#${invoiceId}`,
    sk: `REMINDERPAUSE#${String(toVersion).padStart(8, '0')}`,
  }),
  reminderFailure: (invoiceId: string, date: string) => ({ pk: `INVOICE#${invoiceId}`, sk: `REMINDERFAILED#${date}` }),
} as const;

export const index = {
  readyMilestones: (projectId: string) => `MILESTONES#${projectId}`,
  frequency: (groupKey: string) => `FREQUENCY#${groupKey}`,
  invoices: () => 'INVOICES',
  projectInvoices: (projectId: string) => `PROJECTINVOICES#${projectId}`,
  runDate: (runDate: string) => `RUNDATE#${runDate}`,
  failedRuns: () => 'RUNSTATUS#failed',
  runningRuns: () => 'RUNSTATUS#running',
  pendingCreditNotes: () => 'CREDITNOTES#pending',
  /** gsi3: open invoices (issued, partially paid) of a customer by currency and balance (A29). */
  openInvoices: (customerId: string) => `OPENINVOICES#${customerId}`,
  bankStatements: () => 'BANKSTATEMENTS',
  /** gsi4: issued invoices with money still owed, by due date (the reminder run's index). */
  openByDueDate: () => 'OPENDUE',
} as const;

/** gsi3 sort key of an open invoice: `<currency>#<balance, 16 digits>#<invoice id>`. */
export const openInvoiceSortKey = (currency: string, balance: number, invoiceId: string): string =>
  `${currency}#${String(balance).padStart(16, '0')}#${invoiceId}`;

/** Sort keys of a project's transactions begin with this (`TX#<date>#<t>`). */
export const TRANSACTIONS = 'TX#';

/** Sorts after every string that starts with the same prefix (for `<= C#\uffff` range ends). */
export const HIGH = '\uffff';
