import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents, isConditionFailure, tableName } from './client.ts';
import { withoutKeys } from './items.ts';
import { queryAll } from './projects-store.ts';
import {
  type Deliveries,
  type Delivery,
  type DeliveryOutcome,
  type DeliveryStatus,
  MAX_DELIVERY_ATTEMPTS,
  type ReminderMessage,
} from '../../sending/ports.ts';

/**
 * The outbox and delivery log of invoice e-mails (rules, section 4): one item per delivery under the invoice
 * (`INVOICE#<i>` / `DELIVERY#<delivery id>`). Status: queued -> sending -> sent | failed (a definite error: retried
 * with backoff) | unknown (SES may have sent it: never retried by itself, shown to operators). Deliveries that need
 * attention are in gsi2 `OUTBOX#<status>` by time: queued and failed by when to try, sending by when it started,
 * unknown by when it became so.
 */
export type { Delivery, DeliveryStatus, ReminderMessage };
export { MAX_DELIVERY_ATTEMPTS };

const deliveryKey = (invoiceId: string, deliveryId: string) => ({
  pk: `INVOICE#${invoiceId}`,
  sk: `DELIVERY#${deliveryId}`,
});
const outboxIndex = (status: DeliveryStatus, at: string, invoiceId: string, deliveryId: string) => ({
  gsi2pk: `OUTBOX#${status}`,
  gsi2sk: `${at}#${invoiceId}#${deliveryId}`,
});

/** The delivery item to write in the same transaction that issues the invoice (or records a resend). */
export function queuedDeliveryItem(
  delivery: Pick<Delivery, 'invoiceId' | 'deliveryId' | 'kind' | 'to' | 'queuedAt' | 'queuedBy' | 'reminder'>,
): Record<string, unknown> {
  const item: Delivery = {
    ...delivery,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: delivery.queuedAt,
    startedAt: null,
    sentAt: null,
    sesMessageId: null,
    lastError: null,
  };
  return {
    ...deliveryKey(delivery.invoiceId, delivery.deliveryId),
    entity: 'InvoiceDelivery',
    ...item,
    ...outboxIndex('queued', delivery.queuedAt, delivery.invoiceId, delivery.deliveryId),
  };
}

export async function queueDelivery(delivery: Parameters<typeof queuedDeliveryItem>[0]): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName(),
        Item: queuedDeliveryItem(delivery),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function getDelivery(invoiceId: string, deliveryId: string): Promise<Delivery | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: deliveryKey(invoiceId, deliveryId), ConsistentRead: true }),
  );
  return Item ? withoutKeys<Delivery>(Item) : undefined;
}

export async function deliveriesOf(invoiceId: string): Promise<Delivery[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :delivery)',
    ExpressionAttributeValues: { ':pk': `INVOICE#${invoiceId}`, ':delivery': 'DELIVERY#' },
    ConsistentRead: true,
  });
  return items.map((item) => withoutKeys<Delivery>(item));
}

/**
 * Claims a delivery for one attempt (queued, or failed and due): the only way to `sending`, so two workers never
 * send the same delivery. Returns the claimed delivery, or undefined when it is not to be sent now.
 */
async function claimDelivery(invoiceId: string, deliveryId: string, now: string): Promise<Delivery | undefined> {
  try {
    const { Attributes } = await documents.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: deliveryKey(invoiceId, deliveryId),
        UpdateExpression:
          'SET #status = :sending, attempts = attempts + :one, startedAt = :now, gsi2pk = :index, gsi2sk = :position',
        ConditionExpression: '(#status = :queued OR #status = :failed) AND nextAttemptAt <= :now AND attempts < :max',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':queued': 'queued',
          ':failed': 'failed',
          ':one': 1,
          ':now': now,
          ':max': MAX_DELIVERY_ATTEMPTS,
          ':index': 'OUTBOX#sending',
          ':position': `${now}#${invoiceId}#${deliveryId}`,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys<Delivery>(Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Records the outcome of the attempt that claimed the delivery (conditional on that attempt still holding it). */
async function recordDeliveryOutcome(delivery: Delivery, outcome: DeliveryOutcome): Promise<void> {
  const values: Record<string, unknown> = {
    ':status': outcome.status,
    ':sending': 'sending',
    ':attempts': delivery.attempts,
    ':sentAt': outcome.status === 'sent' ? outcome.at : null,
    ':messageId': outcome.status === 'sent' ? outcome.sesMessageId : null,
    ':error': outcome.status === 'sent' ? null : outcome.error,
    ':next': outcome.status === 'failed' ? outcome.nextAttemptAt : null,
    ':eInvoice': outcome.status === 'sent' ? (outcome.eInvoice ?? null) : null,
  };
  const index =
    outcome.status === 'sent' || (outcome.status === 'failed' && outcome.nextAttemptAt === null)
      ? { expression: ' REMOVE gsi2pk, gsi2sk', values: {} }
      : {
          expression: ', gsi2pk = :index, gsi2sk = :position',
          values: {
            ':index': `OUTBOX#${outcome.status}`,
            ':position': `${outcome.status === 'failed' ? outcome.nextAttemptAt : outcome.at}#${delivery.invoiceId}#${delivery.deliveryId}`,
          },
        };
  await documents.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: deliveryKey(delivery.invoiceId, delivery.deliveryId),
      UpdateExpression: `SET #status = :status, sentAt = :sentAt, sesMessageId = :messageId, lastError = :error, nextAttemptAt = :next, eInvoice = :eInvoice${index.expression}`,
      ConditionExpression: '#status = :sending AND attempts = :attempts',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...values, ...index.values },
    }),
  );
}

/** Deliveries in one outbox state, oldest first, up to a time (queued/failed: due by then; sending: started before). */
export async function outbox(status: DeliveryStatus, upTo: string, limit = 50): Promise<Delivery[]> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :status AND gsi2sk <= :upTo',
      ExpressionAttributeValues: { ':status': `OUTBOX#${status}`, ':upTo': `${upTo}#\uffff` },
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((item) => withoutKeys<Delivery>(item));
}

/** A `sending` delivery whose attempt never reported back (the sender died after handing it to SES): unknown. */
export async function markUnknown(delivery: Delivery, at: string): Promise<void> {
  try {
    await recordDeliveryOutcome(delivery, {
      status: 'unknown',
      error: 'The attempt stopped after handing the message to SES; it may have been sent.',
      at,
    });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** The outbox and delivery log port of functions/sending/ on DynamoDB. */
export const dynamoDeliveries: Deliveries = {
  get: getDelivery,
  list: deliveriesOf,
  queue: queueDelivery,
  claim: claimDelivery,
  record: recordDeliveryOutcome,
  outbox: (status, upTo) => outbox(status, upTo),
  markUnknown,
};
