import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { recordRunFailure, type RunFailureInput } from '../../invoice-runs/record-run-failure.ts';
import { metrics } from '../../shared/metrics.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask(async (input: RunFailureInput) => {
  const result = await recordRunFailure(input, new Date().toISOString());
  if (result.status === 'failed') metrics.addMetric('RunFailed', MetricUnit.Count, 1);
  return result;
});
