import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type BatchWriteCommandInput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inParallel } from '../../shared/in-parallel.ts';

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

/** A conditional write (or one item of a transaction's) found its condition false. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * The reason code of each item of a cancelled TransactWriteItems, in request order (`undefined` for the items that
 * did not fail); `undefined` for any other error.
 */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.map((reason) => (reason.Code === 'None' ? undefined : reason.Code));
}

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/**
 * Puts and deletes (each idempotent) in BatchWriteItem requests of 25, `inFlight` requests at a time; what DynamoDB
 * leaves unprocessed is sent again with backoff until none is left.
 */
export async function batchWrite(requests: readonly WriteRequest[], inFlight = 1): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let start = 0; start < requests.length; start += 25) batches.push(requests.slice(start, start + 25));
  await inParallel(batches, inFlight, async (batch) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const result = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = result.UnprocessedItems?.[tableName()] ?? [];
    }
  });
}
