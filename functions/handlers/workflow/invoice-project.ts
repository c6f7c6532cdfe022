import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dynamoBillingData } from '../../adapters/dynamodb/run-sources.ts';
import { dynamoRunDrafts } from '../../adapters/dynamodb/run-write-path.ts';
import { dynamoRunRecords } from '../../adapters/dynamodb/runs-store.ts';
import {
  invoiceProject,
  type InvoiceProjectInput,
  type InvoiceProjectPorts,
} from '../../invoice-runs/invoice-project.ts';
import { invoiceProjects, type InvoiceProjectsInput } from '../../invoice-runs/invoice-projects.ts';
import { metrics } from '../../shared/metrics.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

const ports: InvoiceProjectPorts = { runs: dynamoRunRecords, billing: dynamoBillingData, drafts: dynamoRunDrafts };

/** One project (`projectId`: the resumable run P, D) or a batch of them (`projectIds`, the invoice-run workflow). */
export const handler = workflowTask(async (input: InvoiceProjectInput & InvoiceProjectsInput, context) => {
  const budget = {
    remainingMillis: () => context.getRemainingTimeInMillis(),
    now: () => new Date().toISOString(),
  };
  if (input.projectIds !== undefined) {
    const result = await invoiceProjects(ports, input, budget);
    if (result.invoiced > 0) metrics.addMetric('RunInvoiced', MetricUnit.Count, result.invoiced);
    return result;
  }
  const result = await invoiceProject(ports, input, budget);
  if (result.status === 'invoiced') metrics.addMetric('RunInvoiced', MetricUnit.Count, 1);
  return result;
});
