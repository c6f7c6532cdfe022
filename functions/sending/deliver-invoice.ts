import type { Invoice } from '../domain/index.ts';
import type { FirmProfile } from '../documents/firm.ts';
import { renderInvoicePdf } from '../documents/invoice-pdf.ts';
import { renderInvoiceUbl } from '../documents/invoice-ubl.ts';
import { eInvoiceDecision } from '../documents/pre-issue-check.ts';
import { invoiceHeader } from '../adapters/dynamodb/invoices-store.ts';
import { loadInvoice } from '../adapters/dynamodb/invoice-changes-store.ts';
import { completeBilling } from '../adapters/dynamodb/issue-store.ts';
import { pendingCreditNotes } from '../adapters/dynamodb/credit-note-store.ts';
import { resumeCreditNote } from '../invoices/credit-notes.ts';
import { firmProfile } from '../adapters/dynamodb/firm-store.ts';
import {
  claimDelivery,
  getDelivery,
  markUnknown,
  MAX_DELIVERY_ATTEMPTS,
  outbox,
  recordDeliveryOutcome,
  type Delivery,
} from '../adapters/dynamodb/deliveries-store.ts';
import { definitelyNotSent, sendRawEmail } from '../adapters/ses/mailer.ts';
import { faultPoint } from '../shared/faults.ts';
import { logger } from '../shared/powertools.ts';
import { composeInvoiceEmail } from './invoice-email.ts';
import { composeReminderEmail } from '../reminders/reminder-email.ts';

/**
 * Delivering an issued invoice by e-mail, at most once per delivery: the attempt first claims the delivery
 * (queued -> sending, conditional), then hands the message to SES, then records what happened. A definite refusal is
 * retried later with backoff; anything else after the hand-over (a timeout, a crash) leaves the outcome unknown and
 * the delivery is never sent again by itself: an operator looks, and resends explicitly if needed.
 */
export interface IssuedDocuments {
  readonly invoice: Invoice;
  readonly supplier: FirmProfile;
  readonly pdf: Buffer;
  /** The UBL e-invoice, or null when there is none for this invoice (see `noEInvoiceReason`). */
  readonly ubl: string | null;
  readonly noEInvoiceReason: string | null;
  readonly paymentReference?: string;
}

/** An attempt that started this long ago and never reported back is taken as unknown. */
export const SENDING_TIMEOUT_MILLIS = 15 * 60_000;
/** A credit note still pending after this long is not being finished by its own request any more. */
export const PENDING_CREDIT_GRACE_MILLIS = 5 * 60_000;

/** The issued invoice as frozen at Send, and its documents rendered from it (same bytes every time). */
export async function issuedDocuments(invoiceId: string): Promise<IssuedDocuments | undefined> {
  const loaded = await loadInvoice(invoiceId);
  if (
    !loaded ||
    loaded.header.number === null ||
    !['issued', 'partially_paid', 'paid', 'cancelled'].includes(loaded.header.status)
  )
    return undefined;
  const { header } = loaded;
  if (header.detailsPending) return undefined;
  if (header.billingPending) await completeBilling(invoiceId, loaded.invoice);
  const invoice: Invoice = { ...loaded.invoice, details: [...loaded.invoice.details].sort(byDateThenId) };
  const supplier = header.supplier ?? (await firmProfile());
  const creditFor = header.creditFor ? await invoiceHeader(header.creditFor) : undefined;
  const options = {
    ...(creditFor?.number && creditFor.issueDate
      ? { creditFor: { number: creditFor.number, issueDate: creditFor.issueDate } }
      : {}),
    ...(header.paymentReference ? { paymentReference: header.paymentReference } : {}),
  };
  // One after the other: a 20,000-detail invoice's PDF and UBL together would crowd a 1,024 MB Lambda.
  const pdf = await renderInvoicePdf(invoice, supplier, {
    ...options,
    ...(header.contractLineNames ? { contractLines: header.contractLineNames } : {}),
    ...(header.projectName ? { projectName: header.projectName } : {}),
  });
  const decision = eInvoiceDecision(invoice);
  const ubl = decision.send ? renderInvoiceUbl(invoice, supplier, options) : null;
  return {
    invoice,
    supplier,
    pdf,
    ubl,
    noEInvoiceReason: decision.send ? null : decision.reason,
    ...(header.paymentReference ? { paymentReference: header.paymentReference } : {}),
  };
}

function byDateThenId(a: { date: string; id: string }, b: { date: string; id: string }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export async function deliverInvoice(
  invoiceId: string,
  deliveryId: string,
  now: () => string,
): Promise<Delivery | undefined> {
  // A credit note whose details are still being written: its e-mail waits, queued, until it is finished.
  if ((await invoiceHeader(invoiceId))?.detailsPending) return getDelivery(invoiceId, deliveryId);
  const claimed = await claimDelivery(invoiceId, deliveryId, now());
  if (!claimed) return getDelivery(invoiceId, deliveryId);
  const issued = await issuedDocuments(invoiceId);
  if (!issued) {
    await recordDeliveryOutcome(claimed, {
      status: 'failed',
      error: 'The invoice is not issued',
      at: now(),
      nextAttemptAt: null,
    });
    return getDelivery(invoiceId, deliveryId);
  }
  const sender = process.env.SENDER_EMAIL ?? issued.supplier.email;
  const envelope = {
    from: sender,
    to: claimed.to,
    deliveryId,
    queuedAt: claimed.queuedAt,
    ...(issued.paymentReference ? { paymentReference: issued.paymentReference } : {}),
  };
  // A reminder (functions/reminders/): the text composed when its level was claimed, with the invoice PDF.
  const raw = claimed.reminder
    ? await composeReminderEmail(claimed.reminder, issued.invoice, issued.supplier, issued.pdf, envelope)
    : await composeInvoiceEmail(issued.invoice, issued.supplier, issued.pdf, issued.ubl, envelope);
  let messageId: string;
  try {
    await faultPoint(`deliver:before-ses:${invoiceId}`);
    messageId = await sendRawEmail(raw);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (definitelyNotSent(error)) {
      const retry =
        claimed.attempts < MAX_DELIVERY_ATTEMPTS
          ? new Date(Date.parse(now()) + 60_000 * 2 ** claimed.attempts).toISOString()
          : null;
      await recordDeliveryOutcome(claimed, { status: 'failed', error: message, at: now(), nextAttemptAt: retry });
    } else {
      await recordDeliveryOutcome(claimed, { status: 'unknown', error: message, at: now() });
    }
    return getDelivery(invoiceId, deliveryId);
  }
  await faultPoint(`deliver:after-ses:${invoiceId}`);
  await recordDeliveryOutcome(claimed, {
    status: 'sent',
    sesMessageId: messageId,
    at: now(),
    eInvoice: { attached: issued.ubl !== null, reason: issued.noEInvoiceReason },
  });
  return getDelivery(invoiceId, deliveryId);
}

/**
 * The outbox sweep (scheduled): finishes credit notes left pending, sends what is queued or due for a retry, and
 * marks attempts that never reported back as unknown. Returns what it did.
 */
export async function sweepOutbox(
  now: () => string,
): Promise<{ delivered: number; unknown: number; creditNotesFinished: number }> {
  // Credit notes a crash left with details pending and nobody retried: finished first, so their e-mail can go.
  let creditNotesFinished = 0;
  for (const creditNoteId of await pendingCreditNotes(
    new Date(Date.parse(now()) - PENDING_CREDIT_GRACE_MILLIS).toISOString(),
  )) {
    try {
      if (await resumeCreditNote(creditNoteId)) creditNotesFinished += 1;
    } catch (error) {
      // One that cannot be finished now must not hold up the e-mails; it is tried again at the next sweep.
      logger.error('could not finish a pending credit note', { creditNoteId, error });
    }
  }
  let delivered = 0;
  for (const status of ['queued', 'failed'] as const) {
    for (const delivery of await outbox(status, now())) {
      const result = await deliverInvoice(delivery.invoiceId, delivery.deliveryId, now);
      if (result?.status === 'sent') delivered += 1;
    }
  }
  const stale = await outbox('sending', new Date(Date.parse(now()) - SENDING_TIMEOUT_MILLIS).toISOString());
  for (const delivery of stale) await markUnknown(delivery, now());
  return { delivered, unknown: stale.length, creditNotesFinished };
}
