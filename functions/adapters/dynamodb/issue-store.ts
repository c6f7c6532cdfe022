import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  canonicalReference,
  formatBelgianReference,
  formatInvoiceNumber,
  issueYear,
  paymentReferenceFor,
  referenceFormatFor,
  send,
  summarizeDetails,
  type CommandContext,
  type CustomerSnapshot,
  type Invoice,
} from '../../domain/index.ts';
import type { FirmProfile } from '../../documents/firm.ts';
import { cancellationCodes, documents, isConditionFailure, tableName } from './client.ts';
import { keys } from './keys.ts';
import { auditKey, headerItem, loadInvoice, VersionConflict, type TransactItem } from './invoice-changes-store.ts';
import type { InvoiceHeader } from './invoices-store.ts';
import { queuedDeliveryItem } from './deliveries-store.ts';
import { transactionItem } from './transactions-store.ts';

/**
 * Issue: the atomic core of Send to customer (rules, sections 4 and 6). In ONE conditional transaction: the next
 * number of the gapless series SERIES#INV#<year> (incremented only together with an issued invoice, so numbers have
 * no gaps), the header draft -> issued with issue and due date and the firm's details frozen into it, the audit
 * entry, and the queued delivery of the e-mail (the outbox). The transactions on the invoice are NOT rewritten: a
 * transaction reserved by an issued invoice is billed (transactions-store.ts withBillingState derives it for every
 * reader), so Send costs the same for 1 detail or 20,000. Only manual details (which become transactions billed by
 * the invoice) and milestones are written after, in chunks: until then the header says `billingPending`, and every
 * delivery attempt finishes it first.
 */
export const seriesKey = (kind: 'INV' | 'CN', year: number) => ({ pk: `SERIES#${kind}#${year}`, sk: 'SERIES' });

/**
 * The next number of a series (A14) and the transaction item that claims it: the counter moves from the number
 * read to the next only if nobody moved it meanwhile; the caller puts it in the same transaction as the document
 * that takes the number, and reads again when that transaction is cancelled on the counter.
 */
export async function nextInSeries(
  kind: 'invoice' | 'credit_note',
  year: number,
): Promise<{ number: string; claim: TransactItem }> {
  const key = seriesKey(kind === 'invoice' ? 'INV' : 'CN', year);
  const { Item } = await documents.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  const last = typeof Item?.last === 'number' ? Item.last : 0;
  return {
    number: formatInvoiceNumber(kind, year, last + 1),
    claim: {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'SET #last = :next, entity = :entity',
        ConditionExpression: last === 0 ? 'attribute_not_exists(#last)' : '#last = :last',
        ExpressionAttributeNames: { '#last': 'last' },
        ExpressionAttributeValues: {
          ':next': last + 1,
          ':entity': 'NumberSeries',
          ...(last === 0 ? {} : { ':last': last }),
        },
      },
    },
  };
}

export interface IssueRequest {
  readonly supplier: FirmProfile;
  /** The printed names of the project's contract lines, frozen with the invoice. */
  readonly contractLineNames: Readonly<Record<string, string>>;
  readonly projectName?: string;
  /** The delivery of the e-mail queued with the issue. */
  readonly delivery: { readonly deliveryId: string; readonly to: string };
  /** The firm's reviewBeforeSend: only an approved invoice may be issued. */
  readonly requireApproval?: boolean;
  /** The pre-issue check, run on the draft as loaded, before a number is taken; throws to refuse. */
  readonly check?: (draft: Invoice) => void;
}

/**
 * The customer's country: the structured postal address when the customer has one, else the country prefix of its
 * VAT number. Adopted: a customer with neither is treated as "not listed" (ISO 11649).
 */
export function customerCountry(customer: CustomerSnapshot): string | undefined {
  const structured = (customer as { postalAddress?: { country?: unknown } }).postalAddress?.country;
  if (typeof structured === 'string' && /^[A-Za-z]{2}$/.test(structured)) return structured.toUpperCase();
  const prefix = /^([A-Za-z]{2})/.exec(customer.taxId ?? '')?.[1];
  return prefix ? prefix.toUpperCase().replace(/^EL$/, 'GR') : undefined;
}

/** The payment reference of an invoice issued with this number: printed form and the canonical (looked-up) form. */
export function issuedReference(
  number: string,
  customer: CustomerSnapshot,
  supplier: FirmProfile,
): { printed: string; canonical: string } {
  const format = referenceFormatFor(customerCountry(customer), supplier.paymentReferenceFormats);
  const canonical = paymentReferenceFor(number, format);
  const checked = canonicalReference(canonical);
  if (checked !== canonical) throw new Error(`payment reference ${canonical} does not validate`);
  return { canonical, printed: format === 'belgian' ? formatBelgianReference(canonical) : canonical };
}

export async function issueInvoice(
  invoiceId: string,
  expectedVersion: number,
  ctx: CommandContext & { actorId: string },
  request: IssueRequest,
): Promise<InvoiceHeader> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const loaded = await loadInvoice(invoiceId);
    if (!loaded) throw new Error(`no invoice ${invoiceId}`);
    if (loaded.header.version !== expectedVersion) throw new VersionConflict(loaded.header.version);
    request.check?.(loaded.invoice);
    const series = await nextInSeries('invoice', issueYear(ctx.today));
    const result = send(
      loaded.invoice,
      { number: series.number, requireApproval: request.requireApproval === true },
      ctx,
    );
    const { details, audit, excluded: _excluded, ...rest } = result.invoice;
    const reference = issuedReference(series.number, loaded.header.customer, request.supplier);
    const header: InvoiceHeader = {
      ...loaded.header,
      ...rest,
      status: result.invoice.status,
      summary: loaded.header.summary ?? summarizeDetails(details),
      supplier: request.supplier,
      contractLineNames: request.contractLineNames,
      ...(request.projectName !== undefined ? { projectName: request.projectName } : {}),
      billingPending: needsBilling(result.invoice),
      paymentReference: reference.printed,
    };
    const items: TransactItem[] = [
      series.claim,
      {
        Put: {
          TableName: tableName(),
          Item: headerItem(header),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...auditKey(invoiceId, header.version),
            entity: 'InvoiceAudit',
            ...audit.at(-1),
            actorId: ctx.actorId,
          },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: queuedDeliveryItem({
            invoiceId,
            deliveryId: request.delivery.deliveryId,
            kind: 'send',
            to: request.delivery.to,
            queuedAt: ctx.now,
            queuedBy: ctx.actor,
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        // A26: the reference finds its invoice when a bank statement brings it back.
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.paymentReference(reference.canonical),
            entity: 'PaymentReference',
            invoiceId,
            customerId: loaded.header.customerId ?? null,
            reference: reference.printed,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    try {
      await documents.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed' && codes[1] !== 'ConditionalCheckFailed') continue; // another Send took the number: the next one
      if (codes?.[1] === 'ConditionalCheckFailed') throw new VersionConflict(null);
      throw error;
    }
    if (header.billingPending) await completeBilling(invoiceId, result.invoice);
    return { ...header, billingPending: false };
  }
  throw new Error('the number series is busy; try again');
}

/** Work on the invoice that Send must still write after the issue: manual details and milestones. */
export function needsBilling(invoice: Invoice): boolean {
  return invoice.details.some((detail) => detail.source.kind !== 'transaction');
}

/**
 * Finishes the billing of an issued invoice (idempotent; chunks of 25 in parallel): manual details become
 * transactions billed by it, milestones become invoiced. Its reserved transactions are billed by the issue itself
 * (nothing written). Then clears `billingPending`.
 */
export async function completeBilling(invoiceId: string, invoice: Invoice): Promise<void> {
  const work: (() => Promise<unknown>)[] = [];
  for (const detail of invoice.details) {
    const source = detail.source;
    if (source.kind === 'transaction') {
      // billed: reserved by this invoice, which is issued
    } else if (source.kind === 'manual') {
      work.push(async () => {
        try {
          await documents.send(
            new PutCommand({
              TableName: tableName(),
              Item: transactionItem({
                id: source.transactionId,
                projectId: invoice.projectId,
                type: detail.type === 'milestone' ? 'fee' : detail.type,
                date: detail.date,
                contractLineId: detail.contractLineId,
                resource: detail.resource,
                orgUnit: detail.orgUnit,
                description: detail.description,
                printedDescription: detail.printedDescription,
                quantity: detail.quantity,
                unit: detail.unit,
                unitPrice: detail.unitPrice,
                tax: detail.tax,
                billingType: detail.billingType,
                approved: true,
                onHold: false,
                reservedBy: invoiceId,
                version: 1,
                billingState: 'billed',
              }),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      });
    } else {
      work.push(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.milestone(invoice.projectId, source.milestoneId),
            UpdateExpression: 'SET invoicedState = :billed',
            ConditionExpression: 'invoicedBy = :invoice',
            ExpressionAttributeValues: { ':billed': 'billed', ':invoice': invoiceId },
          }),
        ),
      );
    }
  }
  for (let start = 0; start < work.length; start += 25)
    await Promise.all(work.slice(start, start + 25).map((step) => step()));
  await documents.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.invoiceHeader(invoiceId),
      UpdateExpression: 'REMOVE billingPending',
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
}
