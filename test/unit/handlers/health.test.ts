import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lambdaContext } from '../../../local/lambda-runtime.ts';

process.env.TABLE_NAME = 'factuur-test';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { handler } = await import('../../../functions/handlers/api/health.ts');
const dynamodb = mockClient(DynamoDBClient);

describe('GET /health', () => {
  beforeEach(() => dynamodb.reset());

  it('answers 200 with the table status when DynamoDB answers', async () => {
    dynamodb
      .on(DescribeTableCommand, { TableName: 'factuur-test' })
      .resolves({ Table: { TableName: 'factuur-test', TableStatus: 'ACTIVE' } });
    const result = (await handler({}, lambdaContext('health'))) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ status: 'ok', table: { name: 'factuur-test', status: 'ACTIVE' } });
  });

  it('answers 503 problem+json naming the failure when DynamoDB is down', async () => {
    dynamodb
      .on(DescribeTableCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { name: 'TimeoutError' }));
    const result = (await handler({}, lambdaContext('health'))) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body ?? '')).toMatchObject({
      status: 503,
      title: 'DynamoDB is not reachable',
      detail: 'TimeoutError: connect ECONNREFUSED 127.0.0.1:8000',
    });
  });
});
