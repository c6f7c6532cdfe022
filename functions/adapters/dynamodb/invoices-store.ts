import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExcludedItem, InvoiceDetail } from '../../domain/index.ts';
import { cancellationCodes, batchWrite, documents, isConditionFailure, tableName } from './client.ts';
import { index, keys } from './keys.ts';
import { queryAll } from './projects-store.ts';
import { release, reservation } from './transactions-store.ts';

/**
 * Invoices: a small header item and one item per line detail (and per excluded item), all in the invoice's
 * partition, so no item grows with the invoice. A run's draft is `building` while its details are being reserved;
 * only then does it become a draft (rules, section 8). Here: the building and the reservation of a draft's details;
 * the header item and its reads are in invoice-headers-store.ts.
 */
export type { InvoiceHeader, ReminderPause } from '../../invoices/ports.ts';
import type { InvoiceHeader } from '../../invoices/ports.ts';
import { headerItem } from './invoice-headers-store.ts';

export { headerItem, invoiceDetails, invoiceHeader, projectInvoices } from './invoice-headers-store.ts';

/** Creates the header of a draft being built; false when it exists already (another attempt made it). */
export async function createBuildingHeader(header: InvoiceHeader): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName(),
        Item: headerItem(header),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** A transaction or milestone and the detail that bills it. */
export interface Reservation {
  readonly detail: InvoiceDetail;
  /** Transactions: the version the draft was built from. */
  readonly transactionVersion?: number;
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

export class DraftNotBuilding extends Error {
  override readonly name = 'DraftNotBuilding';
}

/** Most details one TransactWriteItems reserves: 2 items each plus the header check stays within 100. */
export const RESERVATION_CHUNK = 40;

/** What a reservation attempt found: details whose item another invoice holds, and details this one holds already. */
export interface ReservationOutcome {
  readonly taken: string[];
  readonly alreadyHeld: string[];
}

/**
 * Reserves the transactions and milestones of up to RESERVATION_CHUNK details for the invoice and writes the
 * details, atomically, while the draft is still building, counting them on the header. A transaction is taken only
 * while unbilled at the version the draft was built from, or when this invoice holds it already (a repeated attempt).
 * When any item was taken by another invoice, or a detail is held already (another attempt wrote it), nothing is
 * written and the outcome names them; the caller reserves the rest again.
 */
export async function reserveDetails(
  invoiceId: string,
  projectId: string,
  reservations: readonly Reservation[],
): Promise<ReservationOutcome> {
  if (reservations.length === 0) return { taken: [], alreadyHeld: [] };
  if (reservations.length > RESERVATION_CHUNK) throw new Error(`at most ${RESERVATION_CHUNK} reservations at once`);
  const table = tableName();
  const items: TransactItems = [
    {
      Update: {
        TableName: table,
        Key: keys.invoiceHeader(invoiceId),
        UpdateExpression: 'SET heldCount = heldCount + :count',
        ConditionExpression: '#status = :building',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':building': 'building', ':count': reservations.length },
      },
    },
  ];
  for (const { detail, transactionVersion } of reservations) {
    const source = detail.source;
    if (source.kind === 'transaction') {
      const place = { projectId, date: detail.date, id: source.transactionId };
      items.push({ Update: reservation(invoiceId, place, transactionVersion ?? source.transactionVersion) });
    } else if (source.kind === 'milestone') {
      items.push({
        Update: {
          TableName: table,
          Key: keys.milestone(projectId, source.milestoneId),
          UpdateExpression: 'SET invoicedBy = :invoice REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_type(invoicedBy, :null) OR invoicedBy = :invoice',
          ExpressionAttributeValues: { ':invoice': invoiceId, ':null': 'NULL' },
        },
      });
    } else {
      throw new Error(`a run never reserves a ${source.kind} detail`);
    }
    items.push({
      Put: {
        TableName: table,
        Item: { ...keys.invoiceDetail(invoiceId, detail.id), entity: 'InvoiceDetail', ...detail },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
    return { taken: [], alreadyHeld: [] };
  } catch (error) {
    const reasons = cancellationCodes(error);
    if (!reasons) throw error;
    if (reasons[0] === 'ConditionalCheckFailed')
      throw new DraftNotBuilding(`invoice ${invoiceId} is no longer building`);
    // Items 1.. come in pairs (reservation, detail).
    const failedAt = (offset: number) =>
      reservations
        .filter((_, position) => reasons[1 + position * 2 + offset] === 'ConditionalCheckFailed')
        .map(({ detail }) => detail.id);
    const outcome = { taken: failedAt(0), alreadyHeld: failedAt(1) };
    if (outcome.taken.length === 0 && outcome.alreadyHeld.length === 0) throw error; // a conflict or throttle: retried by the caller
    return outcome;
  }
}

/** Takes details off a building draft and returns their transactions to the backlog (milestones to ready). */
export async function releaseDetails(
  invoiceId: string,
  projectId: string,
  details: readonly InvoiceDetail[],
): Promise<void> {
  const table = tableName();
  for (let start = 0; start < details.length; start += RESERVATION_CHUNK) {
    const chunk = details.slice(start, start + RESERVATION_CHUNK);
    const items: TransactItems = [
      {
        Update: {
          TableName: table,
          Key: keys.invoiceHeader(invoiceId),
          UpdateExpression: 'SET heldCount = heldCount - :count',
          ConditionExpression: '#status = :building',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':building': 'building', ':count': chunk.length },
        },
      },
    ];
    for (const detail of chunk) {
      items.push({
        Delete: {
          TableName: table,
          Key: keys.invoiceDetail(invoiceId, detail.id),
          ConditionExpression: 'attribute_exists(pk)',
        },
      });
      if (detail.source.kind === 'transaction') {
        const place = { projectId, date: detail.date, id: detail.source.transactionId };
        items.push({ Update: release(invoiceId, place) });
      } else if (detail.source.kind === 'milestone') {
        items.push({
          Update: {
            TableName: table,
            Key: keys.milestone(projectId, detail.source.milestoneId),
            UpdateExpression: 'SET invoicedBy = :null, gsi1pk = :ready, gsi1sk = :position',
            ConditionExpression: 'invoicedBy = :invoice',
            ExpressionAttributeValues: {
              ':null': null,
              ':invoice': invoiceId,
              ':ready': index.readyMilestones(projectId),
              ':position': `${detail.date}#${detail.source.milestoneId}`,
            },
          },
        });
      }
    }
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
  }
}

/** Lists the items a draft left out (over its not-to-exceed limit), replacing what an earlier attempt listed. */
export async function replaceExcluded(invoiceId: string, excluded: readonly ExcludedItem[]): Promise<void> {
  const existing = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :excluded)',
    ExpressionAttributeValues: { ':pk': keys.invoiceHeader(invoiceId).pk, ':excluded': 'EXCLUDED#' },
    ProjectionExpression: 'pk, sk',
  });
  const wanted = new Map(excluded.map((item) => [keys.invoiceExcluded(invoiceId, item.kind, item.id).sk, item]));
  const requests = [
    ...existing
      .filter((item) => !wanted.has(String(item.sk)))
      .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
    ...[...wanted].map(([sk, item]) => ({
      PutRequest: { Item: { pk: keys.invoiceHeader(invoiceId).pk, sk, entity: 'InvoiceExcludedItem', ...item } },
    })),
  ];
  await batchWrite(requests);
}

/**
 * The draft is complete: its header gets the totals of its details and leaves `building`. Manual Finish: only while
 * it holds them all (`heldCount`); the run: only while it has this build's key (`buildKey`, removed).
 */
export async function completeDraft(header: InvoiceHeader, buildKey?: string): Promise<boolean> {
  try {
    await documents.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.invoiceHeader(header.id),
        UpdateExpression: `SET #status = :draft, totals = :totals, #lines = :lines, limits = :limits, detailCount = :detailCount, excludedCount = :excludedCount, summary = :summary, heldCount = :detailCount${buildKey === undefined ? '' : ' REMOVE buildKey'}`,
        ConditionExpression:
          buildKey === undefined
            ? '#status = :building AND heldCount = :detailCount'
            : '#status = :building AND buildKey = :key',
        ExpressionAttributeNames: { '#status': 'status', '#lines': 'lines' },
        ExpressionAttributeValues: {
          ':draft': 'draft',
          ':building': 'building',
          ':totals': header.totals,
          ':lines': header.lines,
          ':limits': header.limits,
          ':detailCount': header.detailCount,
          ':excludedCount': header.excludedCount,
          ':summary': header.summary ?? null,
          ...(buildKey === undefined ? {} : { ':key': buildKey }),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Removes the header of a building draft that holds no detail (it ended with nothing to invoice); false if it holds some. */
export async function deleteBuildingHeader(invoiceId: string): Promise<boolean> {
  try {
    await documents.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.invoiceHeader(invoiceId),
        ConditionExpression: '#status = :building AND heldCount = :none',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':building': 'building', ':none': 0 },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
