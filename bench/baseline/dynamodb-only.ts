import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/** The import-time baseline of bench/bundles.ts: a handler that imports only @aws-sdk/client-dynamodb. */
const client = new DynamoDBClient({});

export const handler = async (event: { key: string }) =>
  client.send(new GetItemCommand({ TableName: 'factuur', Key: { pk: { S: event.key }, sk: { S: 'X' } } }));
