import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BillingEffects, Effects, InvoiceDetail, IssueEffects } from '../../domain/index.ts';
import type { InvoiceChangeToApply, InvoiceChanges } from '../../invoices/ports.ts';
import type { IssueChange } from '../../sending/ports.ts';
import { inParallel } from '../../shared/in-parallel.ts';
import { cancellationCodes, documents, tableName } from './client.ts';
import { queuedDeliveryItem } from './deliveries-store.ts';
import { seriesClaim } from './number-series-store.ts';
import {
  auditKey,
  commitInvoiceChange,
  headerItem,
  VersionConflict,
  releaseDiscarded,
  type InvoiceChange,
  type TransactItem,
} from './invoice-changes-store.ts';
import { invoiceDetail, invoiceDetails } from './detail-chunks.ts';
import { invoiceHeader } from './invoices-store.ts';
import { keys } from './keys.ts';
import { createdTransactionRecord, newTransactionItems, putNewTransaction, release } from './transactions-store.ts';

/**
 * THE place where a command's effects become DynamoDB writes (for the invoice changes of the portal API): one
 * TransactWriteItems with the header conditional on the version read, the audit entry, the details written and
 * deleted, and per released or non-chargeable transaction a conditional Update (still reserved by this invoice).
 * It derives nothing: every item comes from the effects as the domain returned them. Effects it does not know how
 * to apply (the credit note's) are refused rather than dropped. Send's issue: see `applyIssue` below.
 */
const NOT_HERE: readonly (keyof Effects)[] = [
  'billedTransactions',
  'writeDowns',
  'invoicedMilestoneIds',
  'createdTransactions',
  'readyMilestoneIds',
  'reservedTransactions',
  'reservedMilestoneIds',
];

function sourceOf(deleted: readonly InvoiceDetail[], kind: 'transaction' | 'milestone', id: string): InvoiceDetail {
  const detail = deleted.find((d) =>
    d.source.kind === 'transaction' && kind === 'transaction'
      ? d.source.transactionId === id
      : d.source.kind === 'milestone' && kind === 'milestone' && d.source.milestoneId === id,
  );
  if (!detail) throw new Error(`effects release ${kind} ${id} without the detail that reserved it`);
  return detail;
}

function nonChargeableItem(invoiceId: string, projectId: string, transactionId: string, date: string): TransactItem {
  return {
    Update: release(
      invoiceId,
      { projectId, date, id: transactionId },
      {
        set: ', billingType = :nonChargeable, version = version + :one',
        values: { ':nonChargeable': 'non_chargeable', ':one': 1 },
      },
    ),
  };
}

/** The change as the items of one transaction (see commitInvoiceChange). */
export function changeOf(change: InvoiceChangeToApply): InvoiceChange {
  const { effects, header } = change;
  const unknown = NOT_HERE.filter((name) => (effects[name] as readonly unknown[]).length > 0);
  if (unknown.length > 0) throw new Error(`invoice changes cannot apply ${unknown.join(', ')}`);
  const deleted = effects.deletedDetails;
  return {
    expectedVersion: change.expectedVersion,
    header,
    audit: change.audit,
    putDetails: effects.putDetails,
    deleteDetailIds: deleted.map((d) => d.id),
    releaseTransactions: effects.releasedTransactionIds.map((id) => ({
      transactionId: id,
      date: sourceOf(deleted, 'transaction', id).date,
    })),
    releaseMilestones: effects.releasedMilestoneIds.map((id) => ({
      milestoneId: id,
      date: sourceOf(deleted, 'milestone', id).date,
    })),
    extra: [
      ...effects.nonChargeableTransactionIds.map((id) =>
        nonChargeableItem(header.id, header.projectId, id, sourceOf(deleted, 'transaction', id).date),
      ),
      ...((change.alsoWrite ?? []) as TransactItem[]),
    ],
  };
}

/** The invoice use cases' storage port on DynamoDB. */
export const dynamoInvoiceChanges: InvoiceChanges = {
  header: invoiceHeader,
  detail: invoiceDetail,
  details: invoiceDetails,
  apply: (change) => commitInvoiceChange(changeOf(change)),
  releaseDiscarded,
};

/** Effects an issue never carries (refused rather than dropped). */
const NOT_ISSUED: readonly (keyof Effects)[] = [
  'putDetails',
  'deletedDetails',
  'nonChargeableTransactionIds',
  'releasedTransactionIds',
  'releasedMilestoneIds',
  'readyMilestoneIds',
  'reservedTransactions',
  'reservedMilestoneIds',
];

/** Items one TransactWriteItems may hold. */
const TRANSACTION_LIMIT = 100;

/**
 * Send's issue (the `issue` command's effects) in ONE conditional transaction: the series counter from `last` to
 * `next`, the header (at the version read) issued with the firm's details frozen into it, the audit entry, the
 * queued e-mail (the outbox) and the payment reference (A26), and, while they fit in the one transaction (they nearly
 * always do), the manual details' new transactions and the milestones invoiced. `billedTransactions` and
 * `writeDowns` are applied by the issued header itself: a transaction reserved by an issued invoice is billed at its
 * detail's quantity (transactions-store.ts withBillingState, A41), so Send costs the same for 1 detail or 20,000.
 * Billing that does not fit follows in idempotent chunks (`completeBilling`); until then the header says
 * `billingPending`, and every delivery attempt finishes it first. `number_taken`: another Send took the number.
 */
export async function applyIssue(change: IssueChange): Promise<'issued' | 'number_taken'> {
  const { header, effects, issue } = change;
  const unknown = NOT_ISSUED.filter((name) => (effects[name] as readonly unknown[]).length > 0);
  if (unknown.length > 0) throw new Error(`an issue cannot apply ${unknown.join(', ')}`);
  const billing = billingItems(header.id, header.projectId, effects);
  const inline = 5 + billing.length <= TRANSACTION_LIMIT;
  const items: TransactItem[] = [
    seriesClaim('invoice', issue.series.year, issue.series.last),
    {
      Put: {
        TableName: tableName(),
        Item: headerItem(inline ? header : { ...header, billingPending: true }),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': change.expectedVersion },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...auditKey(header.id, change.audit.toVersion), entity: 'InvoiceAudit', ...change.audit },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: queuedDeliveryItem(issue.queuedDelivery),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    referenceItem(header.id, header.customerId ?? null, issue.paymentReference),
    ...(inline ? billing : []),
  ];
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed' && codes[1] !== 'ConditionalCheckFailed') return 'number_taken';
    if (codes?.[1] === 'ConditionalCheckFailed') throw new VersionConflict(null);
    throw error;
  }
  if (!inline) await completeBilling(header.id, header.projectId, effects);
  return 'issued';
}

/** A26: the reference finds its invoice when a bank statement brings it back. */
function referenceItem(
  invoiceId: string,
  customerId: string | null,
  reference: IssueEffects['paymentReference'],
): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.paymentReference(reference.canonical),
        entity: 'PaymentReference',
        invoiceId,
        customerId,
        reference: reference.printed,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function invoicedMilestoneItem(invoiceId: string, projectId: string, milestoneId: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.milestone(projectId, milestoneId),
      UpdateExpression: 'SET invoicedState = :billed',
      ConditionExpression: 'invoicedBy = :invoice',
      ExpressionAttributeValues: { ':billed': 'billed', ':invoice': invoiceId },
    },
  };
}

/**
 * The writes of Send's billing: each new transaction put once (with its key item), each milestone invoiced while
 * this invoice holds it.
 */
function billingItems(invoiceId: string, projectId: string, billing: BillingEffects): TransactItem[] {
  return [
    ...billing.createdTransactions.flatMap((created) =>
      newTransactionItems(createdTransactionRecord(projectId, created)),
    ),
    ...billing.invoicedMilestoneIds.map((milestoneId) => invoicedMilestoneItem(invoiceId, projectId, milestoneId)),
  ];
}

/**
 * Finishes the billing of an issued invoice that did not fit in its issue transaction (idempotent: a transaction
 * put before stays as it is; 25 in parallel), then clears `billingPending`.
 */
export async function completeBilling(invoiceId: string, projectId: string, billing: BillingEffects): Promise<void> {
  const steps = [
    ...billing.createdTransactions.map(
      (created) => () => putNewTransaction(createdTransactionRecord(projectId, created)),
    ),
    ...billing.invoicedMilestoneIds.map(
      (milestoneId) => () =>
        documents.send(new UpdateCommand(invoicedMilestoneItem(invoiceId, projectId, milestoneId).Update!)),
    ),
  ];
  await inParallel(steps, 25, async (step) => {
    await step();
  });
  await documents.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.invoiceHeader(invoiceId),
      UpdateExpression: 'REMOVE billingPending',
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}
