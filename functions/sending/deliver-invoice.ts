import { faultPoint } from '../shared/faults.ts';
import { logger } from '../shared/powertools.ts';
import { composeInvoiceEmail } from './invoice-email.ts';
import { composeReminderEmail } from '../reminders/reminder-email.ts';
import { archiveDocuments, issuedInvoice } from './issued-documents.ts';
import type { ArchivedDocuments } from './stored-documents.ts';
import { type Delivery, type DeliveryPorts, MAX_DELIVERY_ATTEMPTS } from './ports.ts';

/**
 * Delivering an issued invoice by e-mail, at most once per delivery: the attempt first claims the delivery
 * (queued -> sending, conditional), then hands the message to SES, then records what happened. A definite refusal is
 * retried later with backoff; anything else after the hand-over (a timeout, a crash) leaves the outcome unknown and
 * the delivery is never sent again by itself: an operator looks, and resends explicitly if needed.
 * The attachments are the archived documents (functions/sending/issued-documents.ts): rendered and archived by the
 * first delivery attempt after the issue if nobody did it yet, read from the archive by every later one.
 */
/** An attempt that started this long ago and never reported back is taken as unknown. */
export const SENDING_TIMEOUT_MILLIS = 15 * 60_000;
/** A credit note still pending after this long is not being finished by its own request any more. */
export const PENDING_CREDIT_GRACE_MILLIS = 5 * 60_000;

export async function deliverInvoice(
  ports: DeliveryPorts,
  invoiceId: string,
  deliveryId: string,
  now: () => string,
  loaded?: Awaited<ReturnType<typeof issuedInvoice>>,
): Promise<Delivery | undefined> {
  const { deliveries } = ports;
  // A credit note whose details are still being written: its e-mail waits, queued, until it is finished.
  if ((await ports.invoices.header(invoiceId))?.detailsPending) return deliveries.get(invoiceId, deliveryId);
  const pending = await deliveries.get(invoiceId, deliveryId);
  if (!pending || !['queued', 'failed'].includes(pending.status)) return pending;
  if ((pending.nextAttemptAt ?? '') > now() || pending.attempts >= MAX_DELIVERY_ATTEMPTS) return pending;
  // The documents are archived before the delivery is claimed: a crash while rendering leaves it queued (the
  // sweep tries again), not "sending" and then "unknown", since no message can have gone yet.
  const issued = loaded ?? (await issuedInvoice(ports, invoiceId));
  const archived = issued ? await archiveDocuments(issued, ports.archive) : undefined;
  await faultPoint(`deliver:after-archive:${invoiceId}`);
  const claimed = await deliveries.claim(invoiceId, deliveryId, now());
  if (!claimed) return deliveries.get(invoiceId, deliveryId);
  if (!issued || !archived) {
    await deliveries.record(claimed, {
      status: 'failed',
      error: 'The invoice is not issued',
      at: now(),
      nextAttemptAt: null,
    });
    return deliveries.get(invoiceId, deliveryId);
  }
  await attempt(ports, claimed, issued, archived, now);
  return deliveries.get(invoiceId, deliveryId);
}

/** One attempt of a claimed delivery: compose, hand to the mailer once, record what happened. */
async function attempt(
  ports: DeliveryPorts,
  claimed: Delivery,
  issued: NonNullable<Awaited<ReturnType<typeof issuedInvoice>>>,
  archived: ArchivedDocuments,
  now: () => string,
): Promise<void> {
  const { invoiceId, deliveryId } = claimed;
  const envelope = {
    from: ports.senderEmail ?? issued.supplier.email,
    to: claimed.to,
    deliveryId,
    queuedAt: claimed.queuedAt,
    ...(issued.paymentReference ? { paymentReference: issued.paymentReference } : {}),
  };
  // A reminder (functions/reminders/): the text composed when its level was claimed, with the invoice PDF.
  const raw = claimed.reminder
    ? await composeReminderEmail(claimed.reminder, issued.invoice, issued.supplier, archived.pdf, envelope)
    : await composeInvoiceEmail(issued.invoice, issued.supplier, archived.pdf, archived.ubl, envelope);
  let messageId: string;
  try {
    await faultPoint(`deliver:before-ses:${invoiceId}`);
    messageId = await ports.mailer.send(raw);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (ports.mailer.definitelyNotSent(error)) {
      const retry =
        claimed.attempts < MAX_DELIVERY_ATTEMPTS
          ? new Date(Date.parse(now()) + 60_000 * 2 ** claimed.attempts).toISOString()
          : null;
      await ports.deliveries.record(claimed, { status: 'failed', error: message, at: now(), nextAttemptAt: retry });
    } else {
      await ports.deliveries.record(claimed, { status: 'unknown', error: message, at: now() });
    }
    return;
  }
  await faultPoint(`deliver:after-ses:${invoiceId}`);
  await ports.deliveries.record(claimed, {
    status: 'sent',
    sesMessageId: messageId,
    at: now(),
    eInvoice: { attached: archived.ubl !== null, reason: archived.noEInvoiceReason },
  });
}

/**
 * One invoice, right after Send, a credit note or a resend (the deliver-invoices workflow started with
 * `{invoiceId}`): archive its documents (also when no e-mail goes, a customer without an address), then send its
 * queued e-mails.
 */
export async function deliverInvoiceNow(
  ports: DeliveryPorts,
  invoiceId: string,
  now: () => string,
): Promise<{ invoiceId: string; archived: boolean; delivered: number }> {
  if ((await ports.invoices.header(invoiceId))?.detailsPending) return { invoiceId, archived: false, delivered: 0 };
  const issued = await issuedInvoice(ports, invoiceId);
  if (issued) await archiveDocuments(issued, ports.archive);
  let delivered = 0;
  for (const delivery of await ports.deliveries.list(invoiceId)) {
    if (delivery.status !== 'queued' && delivery.status !== 'failed') continue;
    const result = await deliverInvoice(ports, invoiceId, delivery.deliveryId, now, issued);
    if (result?.status === 'sent') delivered += 1;
  }
  return { invoiceId, archived: issued !== undefined, delivered };
}

/**
 * The outbox sweep (scheduled): finishes credit notes left pending, sends what is queued or due for a retry, and
 * marks attempts that never reported back as unknown. Returns what it did.
 */
export async function sweepOutbox(
  ports: DeliveryPorts,
  now: () => string,
): Promise<{ delivered: number; unknown: number; creditNotesFinished: number }> {
  // Credit notes a crash left with details pending and nobody retried: finished first, so their e-mail can go.
  let creditNotesFinished = 0;
  for (const creditNoteId of await ports.creditNotes.pending(
    new Date(Date.parse(now()) - PENDING_CREDIT_GRACE_MILLIS).toISOString(),
  )) {
    try {
      if (await ports.creditNotes.resume(creditNoteId)) {
        creditNotesFinished += 1;
        // Its documents too, also when it has no e-mail to go with.
        const issued = await issuedInvoice(ports, creditNoteId);
        if (issued) await archiveDocuments(issued, ports.archive);
      }
    } catch (error) {
      // One that cannot be finished now must not hold up the e-mails; it is tried again at the next sweep.
      logger.error('could not finish a pending credit note', { creditNoteId, error });
    }
  }
  let delivered = 0;
  const failures: unknown[] = [];
  for (const status of ['queued', 'failed'] as const) {
    for (const delivery of await ports.deliveries.outbox(status, now())) {
      try {
        const result = await deliverInvoice(ports, delivery.invoiceId, delivery.deliveryId, now);
        if (result?.status === 'sent') delivered += 1;
      } catch (error) {
        // One delivery that fails (its documents do not render, the archive does not answer) must not hold up the
        // others; it fails the sweep afterwards, with its own error, so that Retry and Catch see what they saw.
        failures.push(error);
        logger.error('a delivery failed; the others go on', { invoiceId: delivery.invoiceId, error });
      }
    }
  }
  const stale = await ports.deliveries.outbox(
    'sending',
    new Date(Date.parse(now()) - SENDING_TIMEOUT_MILLIS).toISOString(),
  );
  for (const delivery of stale) await ports.deliveries.markUnknown(delivery, now());
  if (failures.length > 0) throw failures[0];
  return { delivered, unknown: stale.length, creditNotesFinished };
}
