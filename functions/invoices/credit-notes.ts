import { createHash } from 'node:crypto';
import { ValidationFailed, type CreditDetailChoice } from '../domain/index.ts';
import type { FirmProfile } from '../documents/firm.ts';
import type { Delivery, DeliveryStarter } from '../sending/ports.ts';
import { NotFound, namingCurrentVersion } from '../shared/errors.ts';
import type { InvoiceHeader } from './ports.ts';
import { type CreditPorts, type CreditRequest, issueCredit, resumeCredit } from './use-cases/credit.ts';

/** What crediting an invoice needs besides the invoices and credit notes: the firm, the delivery log, the starter. */
export interface CreditNotePorts extends CreditPorts {
  readonly firm: { profile(): Promise<FirmProfile> };
  readonly deliveries: { get(invoiceId: string, deliveryId: string): Promise<Delivery | undefined> };
  readonly starter: DeliveryStarter;
}

/** Finishes a credit note whose details are pending (the retry and the outbox sweep): see use-cases/credit.ts. */
export function resumeCreditNote(ports: CreditPorts, creditNoteId: string): Promise<boolean> {
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
  ports: CreditNotePorts,
  invoiceId: string,
  expectedVersion: number,
  input: CreditInput,
  idempotencyKey: string,
  actor: { username: string; userId: string },
  now: Date,
  today: string,
): Promise<{ invoice: InvoiceHeader; creditNote: InvoiceHeader; delivery: Delivery | undefined }> {
  const header = (id: string) => ports.invoices.header(id);
  if (!(await header(invoiceId))) throw new NotFound(`invoice ${invoiceId}`);
  const request = creditRequest(input);
  const creditNoteId = `cn-${createHash('sha256').update(`${invoiceId}#${idempotencyKey}`).digest('hex').slice(0, 24)}`;
  const made = await header(creditNoteId);
  if (made) {
    if (made.detailsPending) await resumeCreditNote(ports, creditNoteId);
    const invoice = (await header(invoiceId)) as InvoiceHeader;
    const delivery = await deliverOrArchive(ports, creditNoteId, made.customer.email);
    return { invoice, creditNote: { ...made, detailsPending: false }, delivery };
  }
  return namingCurrentVersion(
    async () => {
      const result = await issueCredit(
        ports,
        invoiceId,
        creditNoteId,
        expectedVersion,
        request,
        { actor: actor.username, actorId: actor.userId, now: now.toISOString(), today },
        await ports.firm.profile(),
      );
      const delivery = await deliverOrArchive(ports, creditNoteId, result.creditNote.customer.email);
      return { ...result, delivery };
    },
    async () => (await header(invoiceId))?.version ?? null,
  );
}

function creditRequest(input: CreditInput): CreditRequest {
  if (input.full === true) {
    if (input.details !== undefined) throw new ValidationFailed('details', 'a full credit takes no details');
    return { full: true };
  }
  if (!input.details || input.details.length === 0)
    throw new ValidationFailed('details', 'choose the details to credit, or credit in full');
  return { details: input.details };
}

/**
 * The credit note's documents are archived and its e-mail (if the customer has an address) sent by the
 * deliver-invoices workflow, started here: nobody waits for the rendering.
 */
async function deliverOrArchive(
  ports: CreditNotePorts,
  creditNoteId: string,
  email: string | null | undefined,
): Promise<Delivery | undefined> {
  await ports.starter.start(creditNoteId);
  return email ? ports.deliveries.get(creditNoteId, 'send') : undefined;
}
