import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, documents, isConditionFailure, tableName } from './client.ts';
import { index, keys } from './keys.ts';
import { withoutKeys } from './items.ts';
import { queryAll } from './projects-store.ts';

/**
 * Invoice runs as records: one per (project, run date) under the run key P#D, with an item per attempt.
 * Statuses (rules, section 2): pending, running, invoiced, nothing_to_invoice, failed.
 */
export type RunStatus = 'pending' | 'running' | 'invoiced' | 'nothing_to_invoice' | 'failed';

export interface RunFailure {
  readonly error: string;
  readonly cause: string;
  /** The workflow state that failed. */
  readonly state: string;
  readonly executionId: string;
  readonly at: string;
}

export interface InvoiceRunRecord {
  readonly projectId: string;
  readonly runDate: string;
  readonly cutOff: string;
  readonly status: RunStatus;
  readonly invoiceId: string | null;
  readonly attempts: number;
  /** The execution of the latest attempt. */
  readonly executionId: string;
  /** The execution that finished the run (invoiced or nothing to invoice). */
  readonly completedBy: string | null;
  readonly failure: RunFailure | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface RunAttemptRecord {
  readonly executionId: string;
  readonly startedAt: string;
  readonly outcome: RunStatus | null;
  readonly failure: RunFailure | null;
}

const terminal: readonly RunStatus[] = ['invoiced', 'nothing_to_invoice'];

export function isFinished(run: Pick<InvoiceRunRecord, 'status'>): boolean {
  return terminal.includes(run.status);
}

function executionName(executionId: string): string {
  return executionId.split(':').at(-1) ?? executionId;
}

export async function getRun(projectId: string, runDate: string): Promise<InvoiceRunRecord | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.run(projectId, runDate), ConsistentRead: true }),
  );
  return Item ? withoutKeys<InvoiceRunRecord>(Item) : undefined;
}

/**
 * Claims run (P, D) for an attempt: creates the record (conditional put on the run key), or takes over one that is
 * pending, running or failed (a retry, a restart, a duplicate start). A finished run is returned as it is.
 */
export async function claimRun(
  projectId: string,
  runDate: string,
  cutOff: string,
  executionId: string,
  now: string,
): Promise<InvoiceRunRecord> {
  const fresh: InvoiceRunRecord = {
    projectId,
    runDate,
    cutOff,
    status: 'running',
    invoiceId: null,
    attempts: 1,
    executionId,
    completedBy: null,
    failure: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.run(projectId, runDate),
          entity: 'InvoiceRun',
          ...fresh,
          gsi1pk: index.runDate(runDate),
          gsi1sk: projectId,
          gsi2pk: index.runningRuns(),
          gsi2sk: `${runDate}#${projectId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await recordAttempt(projectId, runDate, executionId, now);
    return fresh;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  try {
    const { Attributes } = await documents.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.run(projectId, runDate),
        UpdateExpression:
          'SET #status = :running, attempts = attempts + :one, executionId = :execution, updatedAt = :now, gsi2pk = :runningIndex, gsi2sk = :position',
        ConditionExpression: 'NOT #status IN (:invoiced, :nothing)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':running': 'running',
          ':runningIndex': index.runningRuns(),
          ':position': `${runDate}#${projectId}`,
          ':one': 1,
          ':execution': executionId,
          ':now': now,
          ':invoiced': 'invoiced',
          ':nothing': 'nothing_to_invoice',
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    await recordAttempt(projectId, runDate, executionId, now);
    return withoutKeys<InvoiceRunRecord>(Attributes ?? {});
  } catch (error) {
    const old = (error as { Item?: Record<string, unknown> }).Item;
    if (isConditionFailure(error) && old) return withoutKeys<InvoiceRunRecord>(old);
    throw error;
  }
}

async function recordAttempt(projectId: string, runDate: string, executionId: string, now: string): Promise<void> {
  const attempt: RunAttemptRecord = { executionId, startedAt: now, outcome: null, failure: null };
  await documents.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.runAttempt(projectId, runDate, now, executionName(executionId)),
        entity: 'InvoiceRunAttempt',
        ...attempt,
      },
    }),
  );
}

/**
 * Finishes a run; a run already finished keeps its outcome (the first finisher wins, both name the same invoice).
 * "Nothing to invoice" is only recorded while the run's invoice does not exist, checked in the same transaction:
 * an attempt that looked before a concurrent attempt created the draft must not close the run over it.
 * Returns false when that invoice exists after all.
 */
export async function finishRun(
  projectId: string,
  runDate: string,
  outcome: { status: 'invoiced'; invoiceId: string } | { status: 'nothing_to_invoice'; invoiceId: string },
  executionId: string,
  now: string,
): Promise<boolean> {
  const update = {
    TableName: tableName(),
    Key: keys.run(projectId, runDate),
    UpdateExpression:
      'SET #status = :status, invoiceId = :invoice, completedBy = :execution, failure = :none, updatedAt = :now REMOVE gsi2pk, gsi2sk',
    ConditionExpression: 'attribute_exists(pk) AND NOT #status IN (:invoiced, :nothing)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':status': outcome.status,
      ':invoice': outcome.status === 'invoiced' ? outcome.invoiceId : null,
      ':execution': executionId,
      ':none': null,
      ':now': now,
      ':invoiced': 'invoiced',
      ':nothing': 'nothing_to_invoice',
    },
  };
  try {
    if (outcome.status === 'invoiced') {
      await documents.send(new UpdateCommand(update));
    } else {
      await documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: tableName(),
                Key: keys.invoiceHeader(outcome.invoiceId),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Update: update },
          ],
        }),
      );
    }
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return true;
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') return false;
    if (codes?.[1] === 'ConditionalCheckFailed') return true;
    throw error;
  }
}

/** Marks a run failed for operators, unless it finished meanwhile (a concurrent attempt may have succeeded). */
export async function failRun(
  projectId: string,
  runDate: string,
  cutOff: string,
  failure: RunFailure,
): Promise<InvoiceRunRecord | undefined> {
  try {
    const { Attributes } = await documents.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.run(projectId, runDate),
        UpdateExpression:
          'SET #status = :failed, failure = :failure, executionId = :execution, updatedAt = :now, gsi2pk = :failedIndex, gsi2sk = :position, ' +
          'projectId = :project, runDate = :runDate, cutOff = if_not_exists(cutOff, :cutOff), attempts = if_not_exists(attempts, :one), ' +
          'invoiceId = if_not_exists(invoiceId, :none), completedBy = :none, createdAt = if_not_exists(createdAt, :now), ' +
          'entity = :entity, gsi1pk = :dateIndex, gsi1sk = :project',
        ConditionExpression: 'attribute_not_exists(pk) OR NOT #status IN (:invoiced, :nothing)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':failure': failure,
          ':execution': failure.executionId,
          ':now': failure.at,
          ':failedIndex': index.failedRuns(),
          ':position': `${runDate}#${projectId}`,
          ':project': projectId,
          ':runDate': runDate,
          ':cutOff': cutOff,
          ':one': 1,
          ':none': null,
          ':entity': 'InvoiceRun',
          ':dateIndex': index.runDate(runDate),
          ':invoiced': 'invoiced',
          ':nothing': 'nothing_to_invoice',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys<InvoiceRunRecord>(Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * A run left `running` by an execution that is no longer running (failed, timed out, aborted, missing) becomes
 * failed with the execution's outcome as its failure: only while it is still running under that same execution
 * (a restart that claimed it meanwhile wins). Returns the failed record, or undefined when nothing changed.
 */
export async function failStaleRun(run: InvoiceRunRecord, failure: RunFailure): Promise<InvoiceRunRecord | undefined> {
  try {
    const { Attributes } = await documents.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.run(run.projectId, run.runDate),
        UpdateExpression:
          'SET #status = :failed, failure = :failure, updatedAt = :now, gsi2pk = :failedIndex, gsi2sk = :position',
        ConditionExpression: '#status = :running AND executionId = :execution',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':running': 'running',
          ':failure': failure,
          ':execution': run.executionId,
          ':now': failure.at,
          ':failedIndex': index.failedRuns(),
          ':position': `${run.runDate}#${run.projectId}`,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys<InvoiceRunRecord>(Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** A37: runs that are running (claimed by an execution, not finished or failed), oldest run date first, paged. */
export async function runningRuns(
  limit: number,
  startAfter?: Record<string, unknown>,
): Promise<{ runs: InvoiceRunRecord[]; next?: Record<string, unknown> }> {
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
  startAfter?: Record<string, unknown>,
  runDate?: string,
): Promise<{ runs: InvoiceRunRecord[]; next?: Record<string, unknown> }> {
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
