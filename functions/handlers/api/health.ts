import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { tableStatus } from '../../adapters/dynamodb/table-status.ts';
import { metrics } from '../../shared/metrics.ts';
import { logger } from '../../shared/powertools.ts';
import { jsonResponse, problemResponse } from '../../shared/problem.ts';

/** GET /health: the whole chain (HTTP, handler, DynamoDB) answers, or 503 says which part does not. */
async function health(): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    return jsonResponse(200, { status: 'ok', table: await tableStatus() });
  } catch (error) {
    logger.error('DynamoDB is not reachable', { error });
    metrics.addMetric('HealthCheckFailed', MetricUnit.Count, 1);
    return problemResponse({
      type: 'https://factuur.dev/problems/dependency-unavailable',
      title: 'DynamoDB is not reachable',
      status: 503,
      detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}

export const handler = middy(health).use(injectLambdaContext(logger)).use(logMetrics(metrics));
