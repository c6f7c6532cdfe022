import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { invoiceProject, type InvoiceProjectInput } from '../../invoice-runs/invoice-project.ts';
import { invoiceProjects, type InvoiceProjectsInput } from '../../invoice-runs/invoice-projects.ts';
import { metrics } from '../../shared/metrics.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

/** One project (`projectId`: the resumable run P, D) or a batch of them (`projectIds`, the invoice-run workflow). */
export const handler = workflowTask(async (input: InvoiceProjectInput & InvoiceProjectsInput, context) => {
  const budget = {
    remainingMillis: () => context.getRemainingTimeInMillis(),
    now: () => new Date().toISOString(),
  };
  if (input.projectIds !== undefined) {
    const result = await invoiceProjects(input, budget);
    if (result.invoiced > 0) metrics.addMetric('RunInvoiced', MetricUnit.Count, result.invoiced);
    return result;
  }
  const result = await invoiceProject(input, budget);
  if (result.status === 'invoiced') metrics.addMetric('RunInvoiced', MetricUnit.Count, 1);
  return result;
});
