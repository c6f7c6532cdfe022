import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  creditNote,
  issueYear,
  summarizeDetails,
  type CommandContext,
  type CreditDetailChoice,
  type CreditNoteCommand,
  type CreditResult,
  type Invoice,
} from '../../domain/index.ts';
import { faultPoint } from '../../shared/faults.ts';
import type { FirmProfile } from '../../documents/firm.ts';
import { documents, tableName } from './client.ts';
import { index, keys } from './keys.ts';
import {
  asInvoice,
  auditKey,
  cancellationCodes,
  headerItem,
  loadInvoice,
  VersionConflict,
  type TransactItem,
} from './invoice-changes-store.ts';
import { withoutKeys } from './items.ts';
import { invoiceDetails, type InvoiceHeader } from './invoices-store.ts';
import { queuedDeliveryItem } from './deliveries-store.ts';
import { nextInSeries } from './issue-store.ts';
import { transactionItem } from './transactions-store.ts';

/**
 * Credit notes (rules, sections 4 and 6): in ONE conditional transaction, the next number of the credit-note series
 * SERIES#CN#<year>, the credited invoice (cancelled, or with a lower balance; conditional on its version), the credit
 * note's header with its frozen supplier, the audit entry and the credit note's queued e-mail. The credit note's
 * details (a full credit of a 20,000-detail invoice has 20,000) and the credited work returned to the backlog on hold
 * follow in chunks; until they are all written the credit note's header says `detailsPending` and its documents
 * are not served. Every step after the transaction is idempotent. The transaction also writes the credit plan (the
 * credited invoice's header as it was, the command and its context): from it and the invoice's details, which a
 * credit does not change, `resumeCreditNote` computes the same credit again and finishes it, when the request is
 * retried or, without a retry, when the outbox sweep finds the plan still there.
 */
export interface CreditPlan {
  readonly creditNoteId: string;
  readonly invoiceId: string;
  readonly invoiceBefore: InvoiceHeader;
  readonly command: CreditNoteCommand;
  readonly context: CommandContext;
  readonly createdAt: string;
}

export type CreditRequest =
  | { readonly full: true }
  | { readonly full?: false; readonly details: readonly CreditDetailChoice[] };

export async function issueCreditNote(
  invoiceId: string,
  creditNoteId: string,
  expectedVersion: number,
  request: CreditRequest,
  ctx: CommandContext & { actorId: string },
  supplier: FirmProfile,
): Promise<{ invoice: InvoiceHeader; creditNote: InvoiceHeader }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const loaded = await loadInvoice(invoiceId);
    if (!loaded) throw new Error(`no invoice ${invoiceId}`);
    if (loaded.header.version !== expectedVersion) throw new VersionConflict(loaded.header.version);
    const series = await nextInSeries('credit_note', issueYear(ctx.today));
    const number = series.number;
    const command: CreditNoteCommand = request.full
      ? { creditNoteId, number, full: true }
      : { creditNoteId, number, details: request.details };
    const context: CommandContext = { actor: ctx.actor, now: ctx.now, today: ctx.today };
    const result = creditNote(loaded.invoice, command, context);
    const plan: CreditPlan = {
      creditNoteId,
      invoiceId,
      invoiceBefore: loaded.header,
      command,
      context,
      createdAt: ctx.now,
    };
    const invoiceHeaderAfter: InvoiceHeader = {
      ...loaded.header,
      ...withoutArrays(result.invoice),
      status: result.invoice.status,
    };
    const note = result.creditNote;
    const creditHeader: InvoiceHeader = {
      ...withoutArrays(note),
      status: note.status,
      detailCount: note.details.length,
      heldCount: note.details.length,
      excludedCount: 0,
      createdAt: ctx.now,
      customerId: loaded.header.customerId ?? null,
      summary: summarizeDetails(note.details),
      supplier,
      ...(loaded.header.contractLineNames ? { contractLineNames: loaded.header.contractLineNames } : {}),
      ...(loaded.header.projectName ? { projectName: loaded.header.projectName } : {}),
      detailsPending: true,
    };
    const items: TransactItem[] = [
      series.claim,
      {
        Put: {
          TableName: tableName(),
          Item: headerItem(invoiceHeaderAfter),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: headerItem(creditHeader),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...auditKey(invoiceId, invoiceHeaderAfter.version),
            entity: 'InvoiceAudit',
            ...result.invoice.audit.at(-1),
            actorId: ctx.actorId,
          },
        },
      },
      { Put: { TableName: tableName(), Item: planItem(plan) } },
      ...(note.customer.email
        ? [
            {
              Put: {
                TableName: tableName(),
                Item: queuedDeliveryItem({
                  invoiceId: creditNoteId,
                  deliveryId: 'send',
                  kind: 'send',
                  to: note.billTo.email ?? note.customer.email,
                  queuedAt: ctx.now,
                  queuedBy: ctx.actor,
                }),
              },
            } satisfies TransactItem,
          ]
        : []),
    ];
    try {
      await documents.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (
        codes?.[0] === 'ConditionalCheckFailed' &&
        codes[1] !== 'ConditionalCheckFailed' &&
        codes[2] !== 'ConditionalCheckFailed'
      )
        continue; // next number
      if (codes?.[1] === 'ConditionalCheckFailed') throw new VersionConflict(null);
      if (codes?.[2] === 'ConditionalCheckFailed') throw new VersionConflict(null); // this credit note id exists already
      throw error;
    }
    await faultPoint(`credit-note:issued:${creditNoteId}`);
    await completeCreditNote(result);
    return { invoice: invoiceHeaderAfter, creditNote: { ...creditHeader, detailsPending: false } };
  }
  throw new Error('the credit-note series is busy; try again');
}

function withoutArrays(invoice: Invoice): Omit<Invoice, 'details' | 'audit' | 'excluded' | 'status'> {
  const { details: _details, audit: _audit, excluded: _excluded, status: _status, ...rest } = invoice;
  return rest;
}

function planItem(plan: CreditPlan): Record<string, unknown> {
  return {
    ...keys.creditPlan(plan.creditNoteId),
    entity: 'CreditPlan',
    gsi2pk: index.pendingCreditNotes(),
    gsi2sk: `${plan.createdAt}#${plan.creditNoteId}`,
    ...plan,
  };
}

/**
 * Finishes a credit note whose details are pending (a crash after its transaction): the same credit computed again
 * from its plan, then written as completeCreditNote writes it. Returns false when there is no plan (finished already).
 */
export async function resumeCreditNote(creditNoteId: string): Promise<boolean> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.creditPlan(creditNoteId), ConsistentRead: true }),
  );
  if (!Item) return false;
  const plan = withoutKeys<CreditPlan>(Item);
  const invoice = asInvoice(plan.invoiceBefore, await invoiceDetails(plan.invoiceId));
  await completeCreditNote(creditNote(invoice, plan.command, plan.context));
  return true;
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
            Item: { ...keys.invoiceDetail(note.id, detail.id), entity: 'InvoiceDetail', ...detail },
          }),
        ),
    ),
    ...result.effects.createdTransactions.map((created) => async () => {
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName(),
            Item: transactionItem({
              id: created.id,
              projectId: note.projectId,
              type: created.type,
              date: created.date,
              contractLineId: created.contractLineId,
              resource: created.resource,
              orgUnit: created.orgUnit,
              description: created.description,
              quantity: created.quantity,
              unit: created.unit,
              unitPrice: created.unitPrice,
              tax: created.tax,
              billingType: created.billingType,
              approved: true,
              onHold: created.onHold,
              reservedBy: null,
              version: 1,
              billingState: 'unbilled',
              ...(created.linkedTransactionId ? { linkedTransactionId: created.linkedTransactionId } : {}),
            }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
      }
    }),
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
        if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException') throw error;
      }
    }),
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
