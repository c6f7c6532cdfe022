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
} as const;

export const index = {
  unbilled: (projectId: string) => `UNBILLED#${projectId}`,
  projectTransactions: (projectId: string) => `PROJECTTX#${projectId}`,
  readyMilestones: (projectId: string) => `MILESTONES#${projectId}`,
  frequency: (groupKey: string) => `FREQUENCY#${groupKey}`,
  invoices: () => 'INVOICES',
  projectInvoices: (projectId: string) => `PROJECTINVOICES#${projectId}`,
  runDate: (runDate: string) => `RUNDATE#${runDate}`,
  failedRuns: () => 'RUNSTATUS#failed',
  runningRuns: () => 'RUNSTATUS#running',
  pendingCreditNotes: () => 'CREDITNOTES#pending',
} as const;

/** Sorts after every string that starts with the same prefix (for `<= C#\uffff` range ends). */
export const HIGH = '\uffff';
