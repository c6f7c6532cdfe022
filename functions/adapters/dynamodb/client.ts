import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * DynamoDB clients at module scope, reused across invocations. The endpoint comes from the SDK's standard
 * configuration: on AWS the regional endpoint, in the local cloud AWS_ENDPOINT_URL_DYNAMODB (DynamoDB Local).
 */
export const dynamodb = new DynamoDBClient({ maxAttempts: 3 });
export const documents = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});

export function tableName(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}
