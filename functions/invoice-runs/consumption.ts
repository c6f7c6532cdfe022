import type { ContractLine, Project } from '../domain/index.ts';
import type { BillingData } from './ports.ts';

/**
 * Not-to-exceed needs what the other invoices of the project already take of each limited contract line (a run's
 * draft and a manual one alike). The project's invoices are read only when a line has a limit.
 */
export async function withConsumption(
  project: Project,
  invoiceId: string,
  projectInvoices: BillingData['projectInvoices'],
): Promise<Project> {
  if (!project.contractLines.some((line) => line.notToExceed !== undefined && line.notToExceed !== null))
    return project;
  const consumed = new Map<string, number>();
  for (const invoice of await projectInvoices(project.id)) {
    if (invoice.id === invoiceId) continue;
    // Credit notes carry negative nets, so issued minus credits plus open drafts is a plain sum.
    for (const line of invoice.lines)
      consumed.set(line.contractLineId, (consumed.get(line.contractLineId) ?? 0) + line.net);
  }
  return {
    ...project,
    contractLines: project.contractLines.map(
      (line): ContractLine => ({ ...line, consumed: consumed.get(line.id) ?? 0 }),
    ),
  };
}
