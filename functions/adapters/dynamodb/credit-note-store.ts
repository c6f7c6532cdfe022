import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CreditResult } from '../../domain/index.ts';
import type { CreditIssue, CreditNotes, CreditPlan } from '../../invoices/ports.ts';
import { cancellationCodes, documents, isConditionFailure, tableName } from './client.ts';
import { chunkItem, chunkOfOne } from './detail-chunks.ts';
import { index, keys } from './keys.ts';
import { auditKey, headerItem, VersionConflict, type TransactItem } from './invoice-changes-store.ts';
import { withoutKeys } from './items.ts';
import { queuedDeliveryItem } from './deliveries-store.ts';
import { nextInSeries } from './number-series-store.ts';
import { createdTransactionRecord, putNewTransaction } from './transactions-store.ts';

/**
 * Credit notes on DynamoDB (the `CreditNotes` port of functions/invoices/use-cases/credit.ts): the issue is ONE
 * conditional transaction of the next number of the credit-note series SERIES#CN#<year>, the credited invoice
 * (conditional on its version), the credit note's header with its frozen supplier, the audit entry, the credit plan
 * and the credit note's queued e-mail. The credit note's details (a full credit of a 20,000-detail invoice has
 * 20,000) and the credited work returned to the backlog on hold follow in chunks (`completeCreditNote`); until they
 * are all written the credit note's header says `detailsPending` and its documents are not served. Every step after
 * the transaction is idempotent; the plan lets the use case compute the same credit again and finish it, when the
 * request is retried or, without a retry, when the outbox sweep finds the plan still there.
 */
export type { CreditPlan };

async function issueTransaction(issue: CreditIssue): Promise<'issued' | 'number_taken'> {
  const note = issue.creditNote;
  const items: TransactItem[] = [
    issue.claim as TransactItem,
    {
      Put: {
        TableName: tableName(),
        Item: headerItem(issue.invoice),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': issue.expectedVersion },
      },
    },
    { Put: { TableName: tableName(), Item: headerItem(note), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: tableName(),
        Item: { ...auditKey(issue.invoice.id, issue.invoice.version), entity: 'InvoiceAudit', ...issue.audit },
      },
    },
    { Put: { TableName: tableName(), Item: planItem(issue.plan) } },
    ...(issue.delivery
      ? [
          {
            Put: {
              TableName: tableName(),
              Item: queuedDeliveryItem({
                invoiceId: note.id,
                deliveryId: 'send',
                kind: 'send',
                to: issue.delivery.to,
                queuedAt: issue.delivery.queuedAt,
                queuedBy: issue.delivery.queuedBy,
              }),
            },
          } satisfies TransactItem,
        ]
      : []),
  ];
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
    return 'issued';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (
      codes?.[0] === 'ConditionalCheckFailed' &&
      codes[1] !== 'ConditionalCheckFailed' &&
      codes[2] !== 'ConditionalCheckFailed'
    )
      return 'number_taken';
    if (codes?.[1] === 'ConditionalCheckFailed') throw new VersionConflict(null);
    if (codes?.[2] === 'ConditionalCheckFailed') throw new VersionConflict(null); // this credit note id exists already
    throw error;
  }
}

/** The credit plan left by an unfinished credit note (A25), if any. */
export async function creditPlan(creditNoteId: string): Promise<CreditPlan | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.creditPlan(creditNoteId), ConsistentRead: true }),
  );
  return Item ? withoutKeys<CreditPlan>(Item) : undefined;
}

export const dynamoCreditNotes: CreditNotes = {
  nextNumber: (year) => nextInSeries('credit_note', year),
  issue: issueTransaction,
  complete: (result) => completeCreditNote(result),
  plan: creditPlan,
};

function planItem(plan: CreditPlan): Record<string, unknown> {
  return {
    ...keys.creditPlan(plan.creditNoteId),
    entity: 'CreditPlan',
    gsi2pk: index.pendingCreditNotes(),
    gsi2sk: `${plan.createdAt}#${plan.creditNoteId}`,
    ...plan,
  };
}

/** A25: credit plans left by credit notes begun before `upTo` and not finished (for the outbox sweep). */
export async function pendingCreditNotes(upTo: string, limit = 25): Promise<string[]> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pending AND gsi2sk <= :upTo',
      ExpressionAttributeValues: { ':pending': index.pendingCreditNotes(), ':upTo': `${upTo}#\uffff` },
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((item) => String(item.creditNoteId));
}

/**
 * Writes the credit note's details and returns credited work to the backlog (idempotent: a repeated step changes
 * nothing, and a milestone that was invoiced again meanwhile is left alone), then clears the flag and the plan.
 */
export async function completeCreditNote(result: CreditResult): Promise<void> {
  const note = result.creditNote;
  const steps: (() => Promise<unknown>)[] = [
    ...note.details.map(
      (detail) => () =>
        documents.send(
          new PutCommand({
            TableName: tableName(),
            Item: chunkItem(note.id, chunkOfOne(detail)),
          }),
        ),
    ),
    ...creditedWork(result),
  ];
  for (let start = 0; start < steps.length; start += 25)
    await Promise.all(steps.slice(start, start + 25).map((step) => step()));
  await documents.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.invoiceHeader(note.id),
      UpdateExpression: 'REMOVE detailsPending',
    }),
  );
  await documents.send(new DeleteCommand({ TableName: tableName(), Key: keys.creditPlan(note.id) }));
}

/** The credited work back in the backlog: credited quantity as new transactions on hold, milestones ready again. */
function creditedWork(result: CreditResult): (() => Promise<unknown>)[] {
  const note = result.creditNote;
  return [
    ...result.effects.createdTransactions.map(
      (created) => () =>
        // Written once (with its key item); a repeated finish finds it there and leaves it.
        putNewTransaction(createdTransactionRecord(note.projectId, created)),
    ),
    ...result.effects.readyMilestoneIds.map((milestoneId) => async () => {
      const detail = result.invoice.details.find(
        (candidate) => candidate.source.kind === 'milestone' && candidate.source.milestoneId === milestoneId,
      );
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.milestone(note.projectId, milestoneId),
            UpdateExpression: 'SET invoicedBy = :null, gsi1pk = :ready, gsi1sk = :position REMOVE invoicedState',
            // Only while the credited invoice still holds it: a finish repeated later must not free it from another.
            ConditionExpression: 'invoicedBy = :credited',
            ExpressionAttributeValues: {
              ':null': null,
              ':credited': result.invoice.id,
              ':ready': index.readyMilestones(note.projectId),
              ':position': `${detail?.date ?? ''}#${milestoneId}`,
            },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }),
  ];
}
