import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts the DynamoDB request units of everything sent through a client, from the bench process and without
 * touching the handlers: a middleware on the client's stack (the handlers' module-scope client of
 * functions/adapters/dynamodb/client.ts, whose DocumentClient shares the stack) asks for ReturnConsumedCapacity
 * INDEXES on every operation that takes it and adds up what comes back. DynamoDB Local answers ConsumedCapacity
 * as DynamoDB does (4 KB read units, 1 KB write units, transactional x2, strongly consistent 1 / eventually 0.5);
 * when an answer has none, the unit is estimated from the item sizes in the request (write) or response (read).
 */
export interface DynamoCounts {
  readUnits: number;
  writeUnits: number;
  requests: Record<string, number>;
  /** Units taken from DynamoDB's answer vs. estimated from item sizes. */
  reported: number;
  estimated: number;
}

export function emptyCounts(): DynamoCounts {
  return { readUnits: 0, writeUnits: 0, requests: {}, reported: 0, estimated: 0 };
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
/** The low-level command each lib-dynamodb command sends. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  GetCommand: 'GetItemCommand',
  PutCommand: 'PutItemCommand',
  UpdateCommand: 'UpdateItemCommand',
  DeleteCommand: 'DeleteItemCommand',
  BatchGetCommand: 'BatchGetItemCommand',
  BatchWriteCommand: 'BatchWriteItemCommand',
  TransactGetCommand: 'TransactGetItemsCommand',
  TransactWriteCommand: 'TransactWriteItemsCommand',
};

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export class DynamoCounter {
  counts: DynamoCounts = emptyCounts();
  enabled = false;

  reset(): DynamoCounts {
    const counts = this.counts;
    this.counts = emptyCounts();
    return counts;
  }

  attach(client: Pick<DynamoDBClient, 'middlewareStack'>, name = 'factuurBenchCounter'): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = DOCUMENT_COMMANDS[context.commandName ?? ''] ?? context.commandName ?? '';
        const counted = this.enabled && (READS.has(command) || WRITES.has(command));
        const input = args.input as Record<string, unknown>;
        if (counted) input.ReturnConsumedCapacity = 'INDEXES';
        const result = await next(args);
        if (counted) this.add(command, input, result.output as unknown as Record<string, unknown>);
        return result;
      },
      { step: 'initialize', priority: 'low', name, override: true },
    );
  }

  private add(command: string, input: Record<string, unknown>, output: Record<string, unknown>): void {
    this.counts.requests[command] = (this.counts.requests[command] ?? 0) + 1;
    const consumed = output.ConsumedCapacity as Capacity | Capacity[] | undefined;
    const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    const isRead = READS.has(command);
    const units = list.reduce((sum, capacity) => sum + (capacity.CapacityUnits ?? (isRead ? capacity.ReadCapacityUnits : capacity.WriteCapacityUnits) ?? 0), 0);
    if (list.length > 0 && units > 0) {
      this.counts.reported += 1;
      if (isRead) this.counts.readUnits += units;
      else this.counts.writeUnits += units;
      return;
    }
    this.counts.estimated += 1;
    if (isRead) this.counts.readUnits += estimateReadUnits(command, input, output);
    else this.counts.writeUnits += estimateWriteUnits(command, input);
  }
}

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null));
}

function estimateReadUnits(command: string, input: Record<string, unknown>, output: Record<string, unknown>): number {
  const factor = command === 'TransactGetItemsCommand' ? 2 : input.ConsistentRead ? 1 : 0.5;
  if (command === 'QueryCommand' || command === 'ScanCommand') {
    const total = ((output.Items as unknown[]) ?? []).reduce<number>((sum, item) => sum + bytes(item), 0);
    return Math.max(1, Math.ceil(total / 4096)) * factor;
  }
  const items = command === 'GetItemCommand' ? [output.Item] : Object.values((output.Responses as Record<string, unknown[]>) ?? {}).flat();
  return items.reduce<number>((sum, item) => sum + Math.max(1, Math.ceil(bytes(item) / 4096)) * factor, 0);
}

function estimateWriteUnits(command: string, input: Record<string, unknown>): number {
  const unit = (item: unknown) => Math.max(1, Math.ceil(bytes(item) / 1024));
  if (command === 'TransactWriteItemsCommand') {
    // Transactional writes cost 2 units per KB; each global secondary index an item enters, changes or leaves costs
    // its own write (a Put with its index keys, an Update that sets or removes them).
    return ((input.TransactItems as Record<string, { Item?: Record<string, unknown>; Key?: unknown; UpdateExpression?: string }>[]) ?? []).reduce((sum, entry) => {
      const operation = Object.values(entry)[0];
      const indexes = operation?.Item
        ? ['gsi1pk', 'gsi2pk'].filter((name) => name in (operation.Item as object)).length
        : ['gsi1pk', 'gsi2pk'].filter((name) => operation?.UpdateExpression?.includes(name)).length;
      return sum + 2 * (unit(operation?.Item ?? operation?.Key) + indexes);
    }, 0);
  }
  if (command === 'BatchWriteItemCommand') {
    return Object.values((input.RequestItems as Record<string, { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]>) ?? {})
      .flat()
      .reduce((sum, request) => sum + unit(request.PutRequest?.Item ?? request.DeleteRequest?.Key), 0);
  }
  return unit(input.Item ?? input.Key);
}
