import { invoiceProject, type InvoiceProjectInput } from '../../invoice-runs/invoice-project.ts';
import { metrics } from '../../shared/metrics.ts';
import { workflowTask } from '../../shared/workflow-task.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';

export const handler = workflowTask(async (input: InvoiceProjectInput, context) => {
  const result = await invoiceProject(input, {
    remainingMillis: () => context.getRemainingTimeInMillis(),
    now: () => new Date().toISOString(),
  });
  if (result.status === 'invoiced') metrics.addMetric('RunInvoiced', MetricUnit.Count, 1);
  return result;
});
