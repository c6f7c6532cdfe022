import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts the DynamoDB request units of everything sent through a client, from the bench process and without
 * touching the handlers: a middleware on the client's stack (the handlers' module-scope client of
 * functions/adapters/dynamodb/client.ts, whose DocumentClient shares the stack) asks for ReturnConsumedCapacity
 * INDEXES on every operation that takes it and adds up what comes back (DynamoDB Local answers ConsumedCapacity
 * for single-item operations and queries as DynamoDB does: 4 KB read units, strongly consistent 1 / eventually 0.5,
 * 1 KB write units). TransactWriteItems (Local under-reports them) and answers without ConsumedCapacity are estimated
 * from the item sizes in the request (write) or response (read), as DynamoDB bills them (transactional x2).
 */
export interface DynamoCounts {
  readUnits: number;
  writeUnits: number;
  requests: Record<string, number>;
  /** Units per operation (read or write units). */
  units: Record<string, number>;
  /** Units taken from DynamoDB's answer vs. estimated from item sizes. */
  reported: number;
  estimated: number;
}

export function emptyCounts(): DynamoCounts {
  return { readUnits: 0, writeUnits: 0, requests: {}, units: {}, reported: 0, estimated: 0 };
}

const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
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
    const units = list.reduce(
      (sum, capacity) =>
        sum + (capacity.CapacityUnits ?? (isRead ? capacity.ReadCapacityUnits : capacity.WriteCapacityUnits) ?? 0),
      0,
    );
    // DynamoDB Local reports far fewer units for TransactWriteItems than DynamoDB bills (2 per KB per item, plus the
    // index writes): those are always estimated; what Local reported is kept beside them.
    if (command === 'TransactWriteItemsCommand' && units > 0)
      this.counts.units[`${command} (DynamoDB Local reported)`] =
        (this.counts.units[`${command} (DynamoDB Local reported)`] ?? 0) + units;
    if (list.length > 0 && units > 0 && command !== 'TransactWriteItemsCommand') {
      this.counts.reported += 1;
      this.counts.units[command] = (this.counts.units[command] ?? 0) + units;
      if (isRead) this.counts.readUnits += units;
      else this.counts.writeUnits += units;
      return;
    }
    this.counts.estimated += 1;
    const estimate = isRead ? estimateReadUnits(command, input, output) : estimateWriteUnits(command, input);
    this.counts.units[`${command} (estimated)`] = (this.counts.units[`${command} (estimated)`] ?? 0) + estimate;
    if (isRead) this.counts.readUnits += estimate;
    else this.counts.writeUnits += estimate;
  }
}

/** An item's size as DynamoDB counts it (attribute names + values; numbers ~ 1 byte per 2 digits + 1; maps and lists 3 + 1 per element). */
function bytes(item: unknown): number {
  if (item === null || typeof item !== 'object') return 0;
  return Object.entries(item as Record<string, unknown>).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value),
    0,
  );
}

function valueBytes(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1;
  const [type, inner] = Object.entries(value as Record<string, unknown>)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(inner));
    case 'N':
      return Math.ceil(String(inner).replace(/[-.]/g, '').length / 2) + 1;
    case 'B':
      return (inner as Uint8Array).length ?? 0;
    case 'M':
      return (
        3 +
        Object.entries(inner as Record<string, unknown>).reduce(
          (sum, [name, nested]) => sum + Buffer.byteLength(name) + valueBytes(nested) + 1,
          0,
        )
      );
    case 'L':
      return 3 + (inner as unknown[]).reduce<number>((sum, nested) => sum + valueBytes(nested) + 1, 0);
    case 'SS':
    case 'NS':
      return (inner as string[]).reduce((sum, element) => sum + Buffer.byteLength(element), 0);
    default:
      return 1;
  }
}

function estimateReadUnits(command: string, input: Record<string, unknown>, output: Record<string, unknown>): number {
  const factor = command === 'TransactGetItemsCommand' ? 2 : input.ConsistentRead ? 1 : 0.5;
  if (command === 'QueryCommand' || command === 'ScanCommand') {
    const total = ((output.Items as unknown[]) ?? []).reduce<number>((sum, item) => sum + bytes(item), 0);
    return Math.max(1, Math.ceil(total / 4096)) * factor;
  }
  const items =
    command === 'GetItemCommand'
      ? [output.Item]
      : Object.values((output.Responses as Record<string, unknown[]>) ?? {}).flat();
  return items.reduce<number>((sum, item) => sum + Math.max(1, Math.ceil(bytes(item) / 4096)) * factor, 0);
}

function estimateWriteUnits(command: string, input: Record<string, unknown>): number {
  const unit = (item: unknown) => Math.max(1, Math.ceil(bytes(item) / 1024));
  if (command === 'TransactWriteItemsCommand') {
    // Transactional writes cost 2 units per KB; each global secondary index an item enters, changes or leaves costs
    // one more (a Put with its index keys, an Update that sets or removes them). The item size of an Update is taken
    // as 1 KB (the transaction items are under 1 KB).
    return (
      (input.TransactItems as Record<
        string,
        { Item?: Record<string, unknown>; Key?: unknown; UpdateExpression?: string }
      >[]) ?? []
    ).reduce((sum, entry) => {
      const operation = Object.values(entry)[0];
      const indexes = operation?.Item
        ? ['gsi1pk', 'gsi2pk'].filter((name) => name in (operation.Item as object)).length
        : ['gsi1pk', 'gsi2pk'].filter((name) => operation?.UpdateExpression?.includes(name)).length;
      return sum + 2 * unit(operation?.Item ?? operation?.Key) + indexes;
    }, 0);
  }
  if (command === 'BatchWriteItemCommand') {
    return Object.values(
      (input.RequestItems as Record<string, { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]>) ??
        {},
    )
      .flat()
      .reduce((sum, request) => sum + unit(request.PutRequest?.Item ?? request.DeleteRequest?.Key), 0);
  }
  return unit(input.Item ?? input.Key);
}
