import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { dynamodb, tableName } from './client.ts';

/** The table's name and status as DynamoDB reports them (the health check). */
export async function tableStatus(): Promise<{ name: string | undefined; status: string | undefined }> {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName() }));
  return { name: Table?.TableName, status: Table?.TableStatus };
}
