import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  InvoiceRunRecord,
  PageStart,
  RunAttemptRecord,
  RunCalendar,
  RunRecords,
} from '../../invoice-runs/ports.ts';
import { documents, isConditionFailure, tableName } from './client.ts';
import { index, keys } from './keys.ts';
import { withoutKeys } from './items.ts';
import { queryAll } from './projects-store.ts';
import { claimRun, failRun, failStaleRun, finishRun } from './run-claims.ts';

/**
 * Invoice runs as records (types in invoice-runs/ports.ts): one per (project, run date) under the run key P#D, with
 * an item per attempt; here the reads (A10-A13, A37) and the run calendar, the state changes in run-claims.ts.
 */

export async function getRun(projectId: string, runDate: string): Promise<InvoiceRunRecord | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.run(projectId, runDate), ConsistentRead: true }),
  );
  return Item ? withoutKeys<InvoiceRunRecord>(Item) : undefined;
}

/** A37: runs that are running (claimed by an execution, not finished or failed), oldest run date first, paged. */
export async function runningRuns(
  limit: number,
  startAfter?: PageStart,
): Promise<{ runs: InvoiceRunRecord[]; next?: PageStart }> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :running',
      ExpressionAttributeValues: { ':running': index.runningRuns() },
      Limit: limit,
      ...(startAfter ? { ExclusiveStartKey: startAfter } : {}),
    }),
  );
  return {
    runs: (page.Items ?? []).map((item) => withoutKeys<InvoiceRunRecord>(item)),
    ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}),
  };
}

/** A11: the runs of a run date. */
export async function runsOfDate(runDate: string): Promise<InvoiceRunRecord[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :date',
    ExpressionAttributeValues: { ':date': index.runDate(runDate) },
  });
  return items.map((item) => withoutKeys<InvoiceRunRecord>(item));
}

/** A12: failed runs, newest run date first, one page at a time. */
export async function failedRuns(
  limit: number,
  startAfter?: PageStart,
  runDate?: string,
): Promise<{ runs: InvoiceRunRecord[]; next?: PageStart }> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: runDate ? 'gsi2pk = :failed AND begins_with(gsi2sk, :date)' : 'gsi2pk = :failed',
      ExpressionAttributeValues: { ':failed': index.failedRuns(), ...(runDate ? { ':date': `${runDate}#` } : {}) },
      ScanIndexForward: false,
      Limit: limit,
      ...(startAfter ? { ExclusiveStartKey: startAfter } : {}),
    }),
  );
  return {
    runs: (page.Items ?? []).map((item) => withoutKeys<InvoiceRunRecord>(item)),
    ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}),
  };
}

/** A10: a run with its attempts, oldest attempt first. */
export async function runWithAttempts(
  projectId: string,
  runDate: string,
): Promise<{ run: InvoiceRunRecord; attempts: RunAttemptRecord[] } | undefined> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.run(projectId, runDate).pk },
    ConsistentRead: true,
  });
  const run = items.find((item) => item.sk === 'RUN');
  if (!run) return undefined;
  return {
    run: withoutKeys<InvoiceRunRecord>(run),
    attempts: items
      .filter((item) => String(item.sk).startsWith('ATTEMPT#'))
      .map((item) => withoutKeys<RunAttemptRecord>(item)),
  };
}

/** A13: the last run date the schedule ran, or null before the first. */
export async function lastScheduledRunDate(): Promise<string | null> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.runCalendar(), ConsistentRead: true }),
  );
  return typeof Item?.lastRunDate === 'string' ? Item.lastRunDate : null;
}

/** Moves the calendar forward to a run date the schedule has run (never backwards). */
export async function advanceCalendar(runDate: string, now: string): Promise<void> {
  try {
    await documents.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.runCalendar(),
        UpdateExpression: 'SET lastRunDate = :date, updatedAt = :now, entity = :entity',
        ConditionExpression: 'attribute_not_exists(lastRunDate) OR lastRunDate < :date',
        ExpressionAttributeValues: { ':date': runDate, ':now': now, ':entity': 'RunCalendar' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** The run records port of the run steps. */
export const dynamoRunRecords: RunRecords = {
  get: getRun,
  claim: claimRun,
  finish: finishRun,
  fail: failRun,
  failStale: failStaleRun,
  ofDate: runsOfDate,
  running: runningRuns,
  failed: failedRuns,
};

export const dynamoRunCalendar: RunCalendar = { lastScheduledRunDate, advance: advanceCalendar };
