import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { tableDesign } from '../../infra/definitions/table.ts';
import { cloud, documents, dynamodb } from './clients.ts';

describe('DynamoDB Local', () => {
  it('has the table of the shared design, with its keys, indexes and TTL', async () => {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: cloud.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: tableDesign.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: tableDesign.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      tableDesign.globalSecondaryIndexes.map((index) => index.indexName).sort(),
    );
  });

  it('writes and reads an item, and refuses a conditional write that does not hold', async () => {
    const key = { pk: `TEST#${randomUUID()}`, sk: 'ITEM' };
    await documents.send(new PutCommand({ TableName: cloud.tableName, Item: { ...key, amount: 12345 } }));
    const { Item } = await documents.send(new GetCommand({ TableName: cloud.tableName, Key: key }));
    expect(Item).toEqual({ ...key, amount: 12345 });
    await expect(
      documents.send(
        new PutCommand({
          TableName: cloud.tableName,
          Item: { ...key, amount: 1 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('listens on 127.0.0.1 only, not on every interface (ss -ltn)', () => {
    const port = new URL(cloud.dynamodb).port;
    const listening = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((line) => line.trim().split(/\s+/)[3]);
    expect(listening.length).toBeGreaterThan(0);
    for (const local of listening) expect(local).toMatch(/^(\[::ffff:127\.0\.0\.1\]|127\.0\.0\.1):\d+$/);
  });
});
