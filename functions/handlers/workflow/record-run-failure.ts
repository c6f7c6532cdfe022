import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dynamoRunRecords } from '../../adapters/dynamodb/runs-store.ts';
import { recordRunFailure, type RunFailureInput } from '../../invoice-runs/record-run-failure.ts';
import { metrics } from '../../shared/metrics.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

const ports = { runs: dynamoRunRecords };

export const handler = workflowTask(async (input: RunFailureInput) => {
  const result = await recordRunFailure(ports, input, new Date().toISOString());
  if (result.status === 'failed') metrics.addMetric('RunFailed', MetricUnit.Count, 1);
  return result;
});
