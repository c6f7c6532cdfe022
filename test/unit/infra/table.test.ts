import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { tableDesign } from '../../../infra/definitions/table.ts';
import { productionStack } from './synth.ts';

// Synthesizing a stack takes seconds on a shared 2-core machine (the first one in a file longer).
vi.setConfig({ testTimeout: 60_000 });

describe('DynamoDB table from tableDesign', () => {
  const { template } = productionStack();

  it('is the only table', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
  });

  it('has the design keys, on-demand billing, PITR, deletion protection, AWS-managed encryption and the TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: tableDesign.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: tableDesign.sortKey.name, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: tableDesign.timeToLiveAttribute, Enabled: true },
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
  });

  it('has every GSI of the design with its keys, projecting all attributes', () => {
    const [table] = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    const indexes = (table!.Properties as { GlobalSecondaryIndexes: unknown[] }).GlobalSecondaryIndexes;
    expect(indexes).toEqual(
      tableDesign.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('is retained when the stack is deleted', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});
