import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InvoiceDetail } from '../../domain/index.ts';
import type { RunDrafts } from '../../invoice-runs/ports.ts';
import { storedHeader } from '../../invoices/ports.ts';
import { batchWrite, documents, isConditionFailure, tableName } from './client.ts';
import { inParallel } from '../../shared/in-parallel.ts';
import { index, keys } from './keys.ts';
import { release, reservation } from './transactions-store.ts';
import {
  completeDraft,
  createBuildingHeader,
  invoiceDetails,
  invoiceHeader,
  replaceExcluded,
} from './invoices-store.ts';

/**
 * The invoice run's lean write path (table-design.md, "State changes": reserve for a run). No TransactWriteItems:
 *
 * 1. the header of the building draft carries `buildKey`, a hash of the details the attempt built (W1 below);
 * 2. the details are written first, 25 to a BatchWriteItem (idempotent puts of deterministic items);
 * 3. then each transaction is reserved by ONE conditional UpdateItem (`unbilled at the version built from`, or
 *    already `reservedBy` this invoice; it touches no index: one write unit), each milestone likewise;
 * 4. the draft completes only while its header still has the attempt's `buildKey`.
 *
 * Crash windows and the rule that closes each (fault points in invoice-project.ts):
 * - a detail written, its transaction not yet reserved: the next attempt reads the invoice's details (A8) and their
 *   transactions by id, rebuilds, and reserves what is not yet reserved by it (the detail is the plan);
 * - a detail whose transaction another invoice took meanwhile: the rebuild leaves it out and the detail is deleted;
 * - releasing a detail: its transaction is released first, then the detail deleted, so a transaction is never
 *   reserved without a detail of its invoice (a crash between leaves a detail whose transaction is unbilled: the
 *   next attempt either reserves it again or deletes it);
 * - two attempts at once: each stamps its buildKey before it changes details or reservations; completion is
 *   conditional on the key, so the one that built from older data cannot complete over the other's changes.
 */

/** Reservations in flight per project (the floor's best level is 16-32 on this machine). */
const IN_FLIGHT = 16;

/** Stamps the attempt's build on a building header; false when it has left `building` meanwhile. */
export async function stampBuild(invoiceId: string, buildKey: string): Promise<boolean> {
  try {
    await documents.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invoiceHeader(invoiceId),
        UpdateExpression: 'SET buildKey = :key',
        ConditionExpression: '#status = :building',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':key': buildKey, ':building': 'building' },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Puts details (idempotent: the same id always carries the same detail for one build), 25 per request. */
export async function writeDetails(invoiceId: string, details: readonly InvoiceDetail[]): Promise<void> {
  const requests = details.map((detail) => ({
    PutRequest: { Item: { ...keys.invoiceDetail(invoiceId, detail.id), entity: 'InvoiceDetail', ...detail } },
  }));
  await batchWrite(requests, 4);
}

/** What reserving the details' sources found: the details whose transaction or milestone another invoice holds. */
export async function reserveSources(
  invoiceId: string,
  projectId: string,
  details: readonly InvoiceDetail[],
  afterEach?: () => Promise<void>,
): Promise<{ taken: string[] }> {
  const taken: string[] = [];
  await inParallel(details, IN_FLIGHT, async (detail) => {
    if (!(await reserveSource(invoiceId, projectId, detail))) taken.push(detail.id);
    await afterEach?.();
  });
  return { taken };
}

async function reserveSource(invoiceId: string, projectId: string, detail: InvoiceDetail): Promise<boolean> {
  const source = detail.source;
  try {
    if (source.kind === 'transaction') {
      const place = { projectId, date: detail.date, id: source.transactionId };
      await documents.send(new UpdateCommand(reservation(invoiceId, place, source.transactionVersion)));
    } else if (source.kind === 'milestone') {
      await documents.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.milestone(projectId, source.milestoneId),
          UpdateExpression: 'SET invoicedBy = :invoice REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_type(invoicedBy, :null) OR invoicedBy = :invoice',
          ExpressionAttributeValues: { ':invoice': invoiceId, ':null': 'NULL' },
        }),
      );
    } else {
      throw new Error(`a run never reserves a ${source.kind} detail`);
    }
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Takes details off a building draft: the transaction (or milestone) back to the backlog if this invoice holds it,
 * then the detail deleted. Idempotent, and in that order (see the crash windows above).
 */
async function releaseRunDetails(
  invoiceId: string,
  projectId: string,
  details: readonly InvoiceDetail[],
  beforeDelete?: () => Promise<void>,
): Promise<void> {
  await inParallel(details, IN_FLIGHT, async (detail) => {
    await releaseSource(invoiceId, projectId, detail);
    await beforeDelete?.();
    await documents.send(new DeleteCommand({ TableName: tableName(), Key: keys.invoiceDetail(invoiceId, detail.id) }));
  });
}

async function releaseSource(invoiceId: string, projectId: string, detail: InvoiceDetail): Promise<void> {
  const source = detail.source;
  try {
    if (source.kind === 'transaction') {
      await documents.send(
        new UpdateCommand(release(invoiceId, { projectId, date: detail.date, id: source.transactionId })),
      );
    } else if (source.kind === 'milestone') {
      await documents.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.milestone(projectId, source.milestoneId),
          UpdateExpression: 'SET invoicedBy = :null, gsi1pk = :ready, gsi1sk = :position',
          ConditionExpression: 'invoicedBy = :invoice',
          ExpressionAttributeValues: {
            ':null': null,
            ':invoice': invoiceId,
            ':ready': index.readyMilestones(projectId),
            ':position': `${detail.date}#${source.milestoneId}`,
          },
        }),
      );
    }
  } catch (error) {
    // Not held by this invoice (never reserved, or released by an earlier attempt): nothing to give back.
    if (!isConditionFailure(error)) throw error;
  }
}

/** Drops the header of a building draft that ended with nothing to invoice, only while it has this build's key. */
async function dropRunHeader(invoiceId: string, buildKey: string): Promise<boolean> {
  try {
    await documents.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.invoiceHeader(invoiceId),
        ConditionExpression: '#status = :building AND buildKey = :key',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':building': 'building', ':key': buildKey },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * The run's draft as the run steps see it (RunDrafts): the header and details of invoices-store.ts, the writes
 * above. The stored header is the built invoice's (`building` with the build's key; on completion `draft`, with the
 * totals of its details, only while it has that key).
 */
export const dynamoRunDrafts: RunDrafts = {
  header: invoiceHeader,
  details: invoiceDetails,
  createBuilding: (invoice, createdAt, customerId, buildKey) =>
    createBuildingHeader({ ...storedHeader(invoice, 'building', createdAt, customerId), buildKey }),
  stampBuild,
  writeDetails,
  reserveSources,
  releaseDetails: releaseRunDetails,
  replaceExcluded,
  complete: (invoice, createdAt, customerId, buildKey) =>
    completeDraft(storedHeader(invoice, 'draft', createdAt, customerId), buildKey),
  drop: dropRunHeader,
};
