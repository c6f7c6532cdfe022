import { createHash } from 'node:crypto';
import { ValidationFailed, type CreditDetailChoice } from '../domain/index.ts';
import { dynamoInvoiceChanges } from '../adapters/dynamodb/apply-effects.ts';
import { dynamoCreditNotes } from '../adapters/dynamodb/credit-note-store.ts';
import type { Delivery } from '../adapters/dynamodb/deliveries-store.ts';
import { getDelivery } from '../adapters/dynamodb/deliveries-store.ts';
import { firmProfile } from '../adapters/dynamodb/firm-store.ts';
import { invoiceHeader, type InvoiceHeader } from '../adapters/dynamodb/invoices-store.ts';
import { startDelivery } from '../adapters/stepfunctions/delivery-executions.ts';
import { NotFound, StaleVersion } from '../shared/errors.ts';
import { type CreditPorts, type CreditRequest, issueCredit, resumeCredit } from './use-cases/credit.ts';

const ports: CreditPorts = { invoices: dynamoInvoiceChanges, credits: dynamoCreditNotes };

/** Finishes a credit note whose details are pending (the retry and the outbox sweep): see use-cases/credit.ts. */
export function resumeCreditNote(creditNoteId: string): Promise<boolean> {
  return resumeCredit(ports, creditNoteId);
}

/**
 * Credit an issued invoice, fully (every detail negated; the invoice is cancelled) or partly (chosen details, by
 * quantity or amount; credited quantity returns to the backlog on hold). The credit note has its own number series
 * and is e-mailed to the customer like an invoice. Its id comes from the request's Idempotency-Key, so a retried
 * request names the same credit note: when that exists, the retry finishes it (if a crash left its details pending)
 * and answers with it instead of crediting again.
 */
export interface CreditInput {
  readonly full?: boolean;
  readonly details?: readonly CreditDetailChoice[];
}

export async function creditInvoice(
  invoiceId: string,
  expectedVersion: number,
  input: CreditInput,
  idempotencyKey: string,
  actor: { username: string; userId: string },
  now: Date,
  today: string,
): Promise<{ invoice: InvoiceHeader; creditNote: InvoiceHeader; delivery: Delivery | undefined }> {
  if (!(await invoiceHeader(invoiceId))) throw new NotFound(`invoice ${invoiceId}`);
  let request: CreditRequest;
  if (input.full === true) {
    if (input.details !== undefined) throw new ValidationFailed('details', 'a full credit takes no details');
    request = { full: true };
  } else {
    if (!input.details || input.details.length === 0)
      throw new ValidationFailed('details', 'choose the details to credit, or credit in full');
    request = { details: input.details };
  }
  const creditNoteId = `cn-${createHash('sha256').update(`${invoiceId}#${idempotencyKey}`).digest('hex').slice(0, 24)}`;
  const made = await invoiceHeader(creditNoteId);
  if (made) {
    if (made.detailsPending) await resumeCreditNote(creditNoteId);
    const invoice = (await invoiceHeader(invoiceId)) as InvoiceHeader;
    const delivery = await deliverOrArchive(creditNoteId, made.customer.email);
    return { invoice, creditNote: { ...made, detailsPending: false }, delivery };
  }
  try {
    const result = await issueCredit(
      ports,
      invoiceId,
      creditNoteId,
      expectedVersion,
      request,
      { actor: actor.username, actorId: actor.userId, now: now.toISOString(), today },
      await firmProfile(),
    );
    const delivery = await deliverOrArchive(creditNoteId, result.creditNote.customer.email);
    return { ...result, delivery };
  } catch (error) {
    if (error instanceof StaleVersion && error.currentVersion === null)
      throw new StaleVersion((await invoiceHeader(invoiceId))?.version ?? null, 'invoice');
    throw error;
  }
}

/**
 * The credit note's documents are archived and its e-mail (if the customer has an address) sent by the
 * deliver-invoices workflow, started here: nobody waits for the rendering.
 */
async function deliverOrArchive(creditNoteId: string, email: string | null | undefined): Promise<Delivery | undefined> {
  await startDelivery(creditNoteId);
  return email ? getDelivery(creditNoteId, 'send') : undefined;
}
