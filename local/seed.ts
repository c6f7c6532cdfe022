import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documents, tableName } from '../functions/adapters/dynamodb/client.ts';

/**
 * Demo data for `npm start`: written once, on an empty store. The marker item is written last with a condition,
 * so seeding twice changes nothing and an interrupted seed is completed by the next start (every demo item
 * is itself written with attribute_not_exists).
 */
const marker = { pk: 'SEED', sk: 'DEMO' };

export async function seedDemoData(): Promise<boolean> {
  const items = await import('./demo-data.ts').then((module) => module.demoItems());
  let written = 0;
  for (const item of items) written += (await putIfAbsent(item)) ? 1 : 0;
  const markerWritten = await putIfAbsent({ ...marker, seededAt: new Date().toISOString(), items: items.length });
  return markerWritten || written > 0;
}

async function putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
