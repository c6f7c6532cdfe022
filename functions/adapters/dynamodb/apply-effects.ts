import type { Effects, InvoiceDetail } from '../../domain/index.ts';
import type { InvoiceChangeToApply, InvoiceChanges, InvoicePorts } from '../../invoices/ports.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { tableName } from './client.ts';
import {
  commitInvoiceChange,
  invoiceDetail,
  releaseDiscardedDetail,
  type InvoiceChange,
  type TransactItem,
} from './invoice-changes-store.ts';
import { invoiceDetails, invoiceHeader } from './invoices-store.ts';
import { keys } from './keys.ts';
import { billingContext } from './projects-store.ts';
import { backlogIndex } from './transactions-store.ts';

/**
 * THE place where a command's effects become DynamoDB writes (for the invoice changes of the portal API): one
 * TransactWriteItems with the header conditional on the version read, the audit entry, the details written and
 * deleted, and per released or non-chargeable transaction a conditional Update (still reserved by this invoice).
 * It derives nothing: every item comes from the effects as the domain returned them. Effects it does not know how
 * to apply (Send's and the credit note's) are refused rather than dropped.
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
  const backlog = backlogIndex({ projectId, date, id: transactionId });
  return {
    Update: {
      TableName: tableName(),
      Key: keys.transaction(transactionId),
      UpdateExpression:
        'SET billingState = :unbilled, reservedBy = :null, billingType = :nonChargeable, version = version + :one, gsi1pk = :backlog, gsi1sk = :position',
      ConditionExpression: 'reservedBy = :invoice AND billingState = :reserved',
      ExpressionAttributeValues: {
        ':unbilled': 'unbilled',
        ':null': null,
        ':nonChargeable': 'non_chargeable',
        ':one': 1,
        ':backlog': backlog.gsi1pk,
        ':position': backlog.gsi1sk,
        ':invoice': invoiceId,
        ':reserved': 'reserved',
      },
    },
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
  releaseDiscardedDetail,
};

export const dynamoInvoicePorts = (): InvoicePorts => ({
  invoices: dynamoInvoiceChanges,
  customers: { currentCustomer: async (projectId) => (await billingContext(projectId))?.project.customer },
  timeZone: firmTimeZone(),
});
