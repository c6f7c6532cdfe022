import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ClaimedRun,
  firstAttempt,
  type InvoiceRunRecord,
  type RunAttemptRecord,
  type RunFailure,
  type RunOutcome,
} from '../../invoice-runs/ports.ts';
import { cancellationCodes, documents, isConditionFailure, tableName } from './client.ts';
import { index, keys } from './keys.ts';
import { withoutKeys } from './items.ts';

/**
 * The state changes of run records (RunRecords in invoice-runs/ports.ts), each one conditional write on the run key
 * P#D (table-design.md: claim, finish, fail a run). The reads of run records are in runs-store.ts.
 */

function executionName(executionId: string): string {
  return executionId.split(':').at(-1) ?? executionId;
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
): Promise<ClaimedRun> {
  const fresh = firstAttempt(projectId, runDate, cutOff, executionId, now);
  if (await createRun(fresh)) {
    await recordAttempt(projectId, runDate, executionId, now);
    return { record: fresh, created: true };
  }
  const { run, claimed } = await takeOverRun(projectId, runDate, executionId, now);
  if (claimed) await recordAttempt(projectId, runDate, executionId, now);
  return { record: run, created: false };
}

/** The first attempt: the record created, listed under its run date (A11) and as running (A37); false if it exists. */
async function createRun(run: InvoiceRunRecord): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.run(run.projectId, run.runDate),
          entity: 'InvoiceRun',
          ...run,
          gsi1pk: index.runDate(run.runDate),
          gsi1sk: run.projectId,
          gsi2pk: index.runningRuns(),
          gsi2sk: `${run.runDate}#${run.projectId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** A later attempt takes the record over unless it is finished (then the record as it is, not claimed). */
async function takeOverRun(
  projectId: string,
  runDate: string,
  executionId: string,
  now: string,
): Promise<{ run: InvoiceRunRecord; claimed: boolean }> {
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
    return { run: withoutKeys<InvoiceRunRecord>(Attributes ?? {}), claimed: true };
  } catch (error) {
    const old = (error as { Item?: Record<string, unknown> }).Item;
    if (isConditionFailure(error) && old) return { run: withoutKeys<InvoiceRunRecord>(old), claimed: false };
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
  outcome: RunOutcome,
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
