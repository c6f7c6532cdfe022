import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, documents, tableName } from './client.ts';
import { HIGH, index, keys } from './keys.ts';
import { withoutKeys } from './items.ts';
import { auditKey, type StoredAuditEntry, type TransactItem } from './invoice-changes-store.ts';
import { headerItem, type InvoiceHeader, type ReminderPause } from './invoices-store.ts';
import { queuedDeliveryItem } from './deliveries-store.ts';
import { queryAll } from './projects-store.ts';
import type {
  ClaimOutcome,
  OverduePage,
  ReminderClaim,
  ReminderFailure,
  ReminderHistory,
  ReminderPauseEvent,
  ReminderRecord,
  Reminders,
} from '../../reminders/ports.ts';

export type {
  ClaimOutcome,
  OverduePage,
  ReminderClaim,
  ReminderFailure,
  ReminderHistory,
  ReminderPauseEvent,
  ReminderRecord,
} from '../../reminders/ports.ts';

/**
 * Reminders (payment reminders, dunning) in the invoice's partition:
 * - `REMINDER#<level>`: the claim of one level for one invoice, written once (attribute_not_exists) in the same
 *   transaction that checks the header (still open, not paused, at the version the decision was made on), bumps its
 *   version with an audit entry and queues the e-mail in the outbox (`DELIVERY#reminder-<level>`). A level can
 *   therefore never be claimed twice, and a payment, credit or pause written first makes the claim fail.
 * - `REMINDERPAUSE#<version>`: each pause and resume with its reason (the header holds the current pause).
 * - `REMINDERFAILED#<date>`: a run's failure for the invoice on a date (the workflow's Catch), for operators.
 * Overdue invoices are found through gsi4 `OPENDUE` / `<due date>#<i>` (A31), kept by headerItem.
 */
/** A31: open issued invoices with a due date on or before `latestDueDate`, oldest due first, paged. */
export async function openInvoicesDueBy(
  latestDueDate: string,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<OverduePage> {
  const result = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi4',
      KeyConditionExpression: 'gsi4pk = :open AND gsi4sk <= :last',
      ExpressionAttributeValues: { ':open': index.openByDueDate(), ':last': `${latestDueDate}#${HIGH}` },
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  return {
    headers: (result.Items ?? []).map((item) => withoutKeys<InvoiceHeader>(item)),
    ...(result.LastEvaluatedKey ? { next: result.LastEvaluatedKey } : {}),
  };
}

/**
 * Claims a reminder level: one transaction of the header (conditional on the version read, still open, not
 * paused), its audit entry, the `REMINDER#<level>` record and the queued e-mail. `header_changed`: someone wrote the
 * header first (a payment, a pause, another level): decide again from the new header. `level_claimed`: this level
 * was claimed already (another execution).
 */
export async function claimReminder(claim: ReminderClaim): Promise<ClaimOutcome> {
  const { header, record, audit, delivery } = claim;
  const table = tableName();
  const next: InvoiceHeader = {
    ...header,
    version: header.version + 1,
    lastReminder: { level: record.level, date: record.date },
  };
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table,
        Item: headerItem(next),
        ConditionExpression:
          'version = :expected AND #status IN (:issued, :partiallyPaid) AND attribute_not_exists(remindersPaused)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':expected': header.version,
          ':issued': 'issued',
          ':partiallyPaid': 'partially_paid',
        },
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...auditKey(header.id, next.version), entity: 'InvoiceAudit', ...audit },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table,
        Item: { ...keys.reminder(header.id, record.level), entity: 'Reminder', ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table,
        Item: queuedDeliveryItem({
          invoiceId: header.id,
          deliveryId: record.deliveryId,
          kind: 'reminder',
          to: delivery.to,
          queuedAt: record.claimedAt,
          queuedBy: delivery.queuedBy,
          reminder: delivery.message,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
    return 'claimed';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[2] === 'ConditionalCheckFailed' || codes[3] === 'ConditionalCheckFailed') return 'level_claimed';
    if (codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed') return 'header_changed';
    throw error;
  }
}

/** Pause or resume: the header (conditional on the caller's If-Match version), its audit entry and the event. */
async function writeReminderPause(
  header: InvoiceHeader,
  expectedVersion: number,
  pause: ReminderPause | undefined,
  event: ReminderPauseEvent,
  audit: StoredAuditEntry,
): Promise<'written' | 'stale'> {
  const { remindersPaused: _previous, ...rest } = header;
  const next: InvoiceHeader = { ...rest, version: expectedVersion + 1, ...(pause ? { remindersPaused: pause } : {}) };
  const table = tableName();
  try {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: headerItem(next),
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': expectedVersion },
            },
          },
          {
            Put: {
              TableName: table,
              Item: { ...auditKey(header.id, next.version), entity: 'InvoiceAudit', ...audit },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table,
              Item: { ...keys.reminderPause(header.id, next.version), entity: 'ReminderPause', ...event },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return 'written';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.some((code) => code === 'ConditionalCheckFailed')) return 'stale';
    throw error;
  }
}

/** A32: an invoice's reminders, pauses and run failures (Query pk `INVOICE#<i>`, `begins_with(sk, REMINDER)`). */
export async function reminderHistory(invoiceId: string): Promise<ReminderHistory> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :reminder)',
    ExpressionAttributeValues: { ':pk': keys.invoiceHeader(invoiceId).pk, ':reminder': 'REMINDER' },
    ConsistentRead: true,
  });
  const of = (prefix: string) => items.filter((item) => String(item.sk).startsWith(prefix));
  return {
    reminders: of('REMINDER#')
      .map((item) => withoutKeys<ReminderRecord>(item))
      .sort((a, b) => a.level - b.level),
    pauses: of('REMINDERPAUSE#').map((item) => withoutKeys<ReminderPauseEvent>(item)),
    failures: of('REMINDERFAILED#').map((item) => withoutKeys<ReminderFailure>(item)),
  };
}

/** The workflow's Catch: records what failed for the invoice on the date (overwrites an earlier failure of that date). */
async function putReminderFailure(failure: ReminderFailure): Promise<void> {
  await documents.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.reminderFailure(failure.invoiceId, failure.date), entity: 'ReminderFailure', ...failure },
    }),
  );
}

/** The reminders port of the reminder use cases (functions/reminders/ports.ts). */
export const reminders: Reminders = {
  openInvoicesDueBy,
  claim: claimReminder,
  writePause: writeReminderPause,
  history: reminderHistory,
  putFailure: putReminderFailure,
};
