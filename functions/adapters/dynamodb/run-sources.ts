import type { BillingData, ProjectSchedule } from '../../invoice-runs/ports.ts';
import { projectInvoices } from './invoices-store.ts';
import { billingContext, frequencyGroups, projectsInGroup } from './projects-store.ts';
import { transactionsById, unbilledUpTo } from './transactions-store.ts';

/**
 * What the run steps read to find due projects and build drafts (ProjectSchedule, BillingData in
 * invoice-runs/ports.ts), from the project, transaction and invoice items: A3, A4, A5, A9 (project), A40.
 */
export const dynamoProjectSchedule: ProjectSchedule = { frequencyGroups, projectsInGroup };

export const dynamoBillingData: BillingData = {
  billingOf: async (projectId) => {
    const context = await billingContext(projectId);
    if (!context) return undefined;
    return { project: context.project, milestones: context.milestones, customerId: context.record.customerId };
  },
  unbilledUpTo,
  transactionsById,
  projectInvoices,
};
