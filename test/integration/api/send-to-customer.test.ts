import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { XMLParser } from 'fast-xml-parser';
import { inbox } from '../clients.ts';
import {
  archivedDocument,
  call,
  manualDraft,
  settledDelivery,
  setupProject,
  tokenFor,
  useLocalCloudFromTests,
} from './support.ts';
import { cloud } from '../clients.ts';

async function pdfText(bytes: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
  return text;
}

async function document(path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(`${cloud.api}${path}`, {
    headers: { authorization: `Bearer ${await tokenFor('viewer')}` },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

describe('Send to customer', () => {
  it('numbers the invoice, e-mails it once with the PDF and the UBL, and serves the same documents afterwards', async () => {
    const { projectId } = await setupProject();
    const { invoice, etag } = await manualDraft(projectId);
    const version = Number(etag.replaceAll('"', ''));

    const sent = await call('POST', `/invoices/${invoice.id}/send`, {
      as: 'billing',
      ifMatch: version,
      idempotencyKey: `send-${invoice.id}`,
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const issued = sent.body.invoice;
    expect(issued).toMatchObject({ status: 'issued', number: expect.stringMatching(/^INV-\d{4}-\d{6}$/) });
    // Send answers once the invoice is issued; the deliver-invoices workflow it started renders, archives and sends.
    expect(sent.body.delivery).toMatchObject({ to: issued.billTo.email });
    expect(await settledDelivery(invoice.id)).toMatchObject({
      status: 'sent',
      to: issued.billTo.email,
      sesMessageId: expect.any(String),
    });

    // The same request again (a retry) answers the first result; pressing Send again is refused. One e-mail.
    const retried = await call('POST', `/invoices/${invoice.id}/send`, {
      as: 'billing',
      ifMatch: version,
      idempotencyKey: `send-${invoice.id}`,
    });
    expect(retried.body.invoice.number).toBe(issued.number);
    const again = await call('POST', `/invoices/${invoice.id}/send`, { as: 'billing', ifMatch: issued.version });
    expect([409, 422]).toContain(again.status);
    const emails = (await inbox()).filter((email) => email.subject.includes(issued.number));
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email?.destination.to).toEqual([issued.billTo.email]);
    const attachments = Object.fromEntries(
      (email?.attachments ?? []).map((attachment) => [
        attachment.contentType,
        Buffer.from(attachment.content, 'base64'),
      ]),
    );
    expect(Object.keys(attachments).sort()).toEqual(['application/pdf', 'application/xml']);

    // The PDF shows the number, the totals and the VAT line, as the invoice has them.
    const text = await pdfText(attachments['application/pdf']!);
    expect(text).toContain(issued.number);
    const euros = (minor: number) => (minor / 100).toFixed(2).replace('.', ',');
    expect(text).toContain(euros(issued.totals.total));
    expect(text).toContain(euros(issued.totals.net));
    for (const group of issued.totals.taxes) expect(text).toContain(euros(group.tax));

    // The UBL carries the same totals.
    const ubl = new XMLParser({ removeNSPrefix: true }).parse(attachments['application/xml']!.toString('utf8'));
    const totals = ubl.Invoice.LegalMonetaryTotal;
    expect(Number(totals.TaxExclusiveAmount)).toBeCloseTo(issued.totals.net / 100, 2);
    expect(Number(totals.TaxInclusiveAmount)).toBeCloseTo(issued.totals.total / 100, 2);
    expect(String(ubl.Invoice.ID)).toBe(issued.number);

    // GET /pdf and /ubl serve the frozen documents: the same bytes every time, the bytes that were e-mailed.
    const first = await archivedDocument(`/invoices/${invoice.id}/pdf`);
    const second = await archivedDocument(`/invoices/${invoice.id}/pdf`);
    expect(first).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(first.bytes.equals(second.bytes)).toBe(true);
    expect(first.bytes.equals(attachments['application/pdf']!)).toBe(true);
    const xml = await archivedDocument(`/invoices/${invoice.id}/ubl`);
    expect(xml.bytes.equals(attachments['application/xml']!)).toBe(true);

    const log = await call('GET', `/invoices/${invoice.id}/deliveries`, { as: 'viewer' });
    expect(log.body.items).toEqual([expect.objectContaining({ deliveryId: 'send', status: 'sent', attempts: 1 })]);
  });

  it('never resends by itself when SES may have taken the message, and resends when someone asks', async () => {
    const { projectId } = await setupProject();
    const { invoice, etag } = await manualDraft(projectId);
    const sent = await call('POST', `/invoices/${invoice.id}/send`, {
      as: 'billing',
      ifMatch: Number(etag.replaceAll('"', '')),
    });
    const number = sent.body.invoice.number as string;
    expect(await settledDelivery(invoice.id)).toMatchObject({ status: 'sent' });

    // A resend whose Lambda dies right after SES accepted the message (fault injected in this process).
    useLocalCloudFromTests();
    process.env.FACTUUR_FAULT_INJECTION = 'on';
    const { setFaultPlan } = await import('../../../functions/shared/faults.ts');
    const { queueDelivery, getDelivery } = await import('../../../functions/adapters/dynamodb/deliveries-store.ts');
    const { deliverInvoice, sweepOutbox } = await import('../../../functions/handlers/wiring/sending.ts');
    const now = new Date();
    await queueDelivery({
      invoiceId: invoice.id,
      deliveryId: 'resend-crash',
      kind: 'resend',
      to: 'klant@example.com',
      queuedAt: now.toISOString(),
      queuedBy: 'test',
    });
    setFaultPlan((point) => (point === `deliver:after-ses:${invoice.id}` ? 'crash' : undefined));
    await expect(deliverInvoice(invoice.id, 'resend-crash', () => now.toISOString())).rejects.toThrow(/Injected crash/);
    setFaultPlan(undefined);
    expect(await getDelivery(invoice.id, 'resend-crash')).toMatchObject({ status: 'sending', attempts: 1 });
    const count = async () => (await inbox()).filter((email) => email.subject.includes(number)).length;
    expect(await count()).toBe(2);

    // The sweep, later, marks it unknown for an operator, and neither it nor the next sweep sends it again.
    const later = new Date(now.getTime() + 20 * 60_000).toISOString();
    await sweepOutbox(() => later);
    expect(await getDelivery(invoice.id, 'resend-crash')).toMatchObject({ status: 'unknown', attempts: 1 });
    await sweepOutbox(() => new Date(now.getTime() + 40 * 60_000).toISOString());
    expect(await count()).toBe(2);

    // An explicit resend is a new delivery.
    const resent = await call('POST', `/invoices/${invoice.id}/deliveries`, {
      as: 'billing',
      body: { to: 'boekhouding@example.com' },
    });
    expect(resent.status, JSON.stringify(resent.body)).toBe(202);
    expect(resent.body).toMatchObject({ kind: 'resend', to: 'boekhouding@example.com' });
    expect(await settledDelivery(invoice.id, resent.body.deliveryId)).toMatchObject({
      kind: 'resend',
      status: 'sent',
      to: 'boekhouding@example.com',
    });
    expect(await count()).toBe(3);
  });

  it('credits a sent invoice fully (cancelled, sums to zero) or partly (credited work back on hold), e-mailing each credit note', async () => {
    const full = await setupProject();
    const draft = await manualDraft(full.projectId);
    const sent = await call('POST', `/invoices/${draft.invoice.id}/send`, {
      as: 'billing',
      ifMatch: Number(draft.etag.replaceAll('"', '')),
    });
    const issued = sent.body.invoice;
    const credited = await call('POST', `/invoices/${draft.invoice.id}/credit-notes`, {
      as: 'billing',
      ifMatch: issued.version,
      body: { full: true },
    });
    expect(credited.status, JSON.stringify(credited.body)).toBe(201);
    expect(credited.body.invoice.status).toBe('cancelled');
    const note = credited.body.creditNote;
    expect(note).toMatchObject({
      kind: 'credit_note',
      creditFor: issued.id,
      number: expect.stringMatching(/^CN-\d{4}-\d{6}$/),
    });
    expect(note.totals.total + issued.totals.total).toBe(0);
    expect(note.totals.net + issued.totals.net).toBe(0);
    expect(await settledDelivery(note.id)).toMatchObject({ status: 'sent' });
    expect((await inbox()).filter((email) => email.subject.includes(note.number))).toHaveLength(1);
    const pdf = await archivedDocument(`/invoices/${note.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(await pdfText(pdf.bytes)).toContain(issued.number);
    // A cancelled invoice cannot be credited again.
    const again = await call('POST', `/invoices/${draft.invoice.id}/credit-notes`, {
      as: 'billing',
      ifMatch: credited.body.invoice.version,
      body: { full: true },
    });
    expect(again.status).toBe(409);

    const partial = await setupProject();
    const second = await manualDraft(partial.projectId);
    const sentSecond = await call('POST', `/invoices/${second.invoice.id}/send`, {
      as: 'billing',
      ifMatch: Number(second.etag.replaceAll('"', '')),
    });
    const details = await call('GET', `/invoices/${second.invoice.id}/details`, { as: 'viewer' });
    const detail = details.body.items.find((item: { source: { kind: string } }) => item.source.kind === 'transaction');
    const creditedPart = await call('POST', `/invoices/${second.invoice.id}/credit-notes`, {
      as: 'billing',
      ifMatch: sentSecond.body.invoice.version,
      body: { details: [{ detailId: detail.id, quantity: detail.quantity }] },
    });
    expect(creditedPart.status, JSON.stringify(creditedPart.body)).toBe(201);
    expect(creditedPart.body.invoice.status).toBe('issued');
    // On an unpaid invoice the credit lowers the balance by the credit note's total (which is negative).
    expect(creditedPart.body.invoice.totals.balance).toBe(
      sentSecond.body.invoice.totals.total + creditedPart.body.creditNote.totals.total,
    );
    const returned = await call(
      'GET',
      `/transactions/${detail.source.transactionId}~${creditedPart.body.creditNote.id}`,
      { as: 'viewer' },
    );
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    expect(returned.body).toMatchObject({ onHold: true, quantity: detail.quantity, billingState: 'unbilled' });
  });

  it('a credit whose Lambda dies right after its transaction is finished by the retry, or without one by the outbox sweep', async () => {
    const sentInvoice = async () => {
      const { projectId } = await setupProject();
      const { invoice, etag } = await manualDraft(projectId);
      const sent = await call('POST', `/invoices/${invoice.id}/send`, {
        as: 'billing',
        ifMatch: Number(etag.replaceAll('"', '')),
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      return sent.body.invoice as { id: string; version: number; number: string; detailCount: number };
    };
    useLocalCloudFromTests();
    process.env.FACTUUR_FAULT_INJECTION = 'on';
    const { setFaultPlan } = await import('../../../functions/shared/faults.ts');
    const { creditInvoice } = await import('../../../functions/handlers/wiring/credit-notes.ts');
    const { sweepOutbox } = await import('../../../functions/handlers/wiring/sending.ts');
    const actor = { username: 'bram', userId: 'u-billing' };
    const credit = (invoice: { id: string; version: number }, key: string) =>
      creditInvoice(invoice.id, invoice.version, { full: true }, key, actor, new Date(), '2026-11-25');
    const creditNoteOf = async (invoiceId: string) => {
      const credited = await call('GET', `/invoices/${invoiceId}`, { as: 'viewer' });
      const creditNoteId = credited.body.credits?.[0]?.creditNoteId as string | undefined;
      return creditNoteId
        ? ((await call('GET', `/invoices/${creditNoteId}`, { as: 'viewer' })).body as {
            id: string;
            number: string;
            creditFor: string;
          })
        : undefined;
    };
    const detailsOf = async (invoiceId: string) =>
      (await call('GET', `/invoices/${invoiceId}/details?limit=500`, { as: 'viewer' })).body.items as {
        quantity: string;
      }[];

    // Retried: the same request (same Idempotency-Key) finishes the credit note instead of answering 412.
    const first = await sentInvoice();
    setFaultPlan((point) => (point.startsWith('credit-note:issued:') ? 'crash' : undefined));
    await expect(credit(first, `crash-retry-${first.id}`)).rejects.toThrow(/Injected crash/);
    setFaultPlan(undefined);
    const pending = await creditNoteOf(first.id);
    expect(pending).toMatchObject({ creditFor: first.id, number: expect.stringMatching(/^CN-/) });
    expect(await detailsOf(pending!.id)).toHaveLength(0);
    const pdfWhilePending = await document(`/invoices/${pending!.id}/pdf`);
    expect(pdfWhilePending.status).toBeGreaterThanOrEqual(400);
    const retried = await credit(first, `crash-retry-${first.id}`);
    expect(retried.creditNote).toMatchObject({ id: pending!.id, number: pending!.number, detailsPending: false });
    expect(retried.invoice.status).toBe('cancelled');
    expect(await settledDelivery(pending!.id)).toMatchObject({ status: 'sent' });
    expect(await detailsOf(pending!.id)).toHaveLength(first.detailCount);
    expect((await archivedDocument(`/invoices/${pending!.id}/pdf`)).status).toBe(200);
    expect((await inbox()).filter((email) => email.subject.includes(pending!.number))).toHaveLength(1);

    // Not retried: the outbox sweep finishes it (after its grace period) and sends its e-mail, once.
    const second = await sentInvoice();
    setFaultPlan((point) => (point.startsWith('credit-note:issued:') ? 'crash' : undefined));
    await expect(credit(second, `crash-sweep-${second.id}`)).rejects.toThrow(/Injected crash/);
    setFaultPlan(undefined);
    const left = await creditNoteOf(second.id);
    expect(await detailsOf(left!.id)).toHaveLength(0);
    // Within the grace period the sweep leaves it to its own request, and its e-mail waits, queued.
    const { getDelivery } = await import('../../../functions/adapters/dynamodb/deliveries-store.ts');
    const soon = await sweepOutbox(() => new Date().toISOString());
    expect(await detailsOf(left!.id)).toHaveLength(0);
    expect(soon.creditNotesFinished).toBe(0);
    expect(await getDelivery(left!.id, 'send')).toMatchObject({ status: 'queued', attempts: 0 });
    const later = await sweepOutbox(() => new Date(Date.now() + 10 * 60_000).toISOString());
    expect(later.creditNotesFinished).toBeGreaterThanOrEqual(1);
    expect(await detailsOf(left!.id)).toHaveLength(second.detailCount);
    const returned = await call(
      'GET',
      `/transactions?projectId=${encodeURIComponent((await call('GET', `/invoices/${second.id}`, { as: 'viewer' })).body.projectId)}`,
      { as: 'viewer' },
    );
    expect(
      returned.body.items.filter(
        (item: { id: string; onHold: boolean }) => item.id.endsWith(`~${left!.id}`) && item.onHold,
      ),
    ).toHaveLength(second.detailCount);
    expect(await getDelivery(left!.id, 'send')).toMatchObject({ status: 'sent', attempts: 1 });
    await sweepOutbox(() => new Date(Date.now() + 20 * 60_000).toISOString());
    expect((await inbox()).filter((email) => email.subject.includes(left!.number))).toHaveLength(1);
  });

  it('two presses of Send at once with the same Idempotency-Key: one sends, the other is told it is in flight (409) or gets the same result', async () => {
    const { projectId } = await setupProject();
    const { invoice, etag } = await manualDraft(projectId);
    const press = () =>
      call('POST', `/invoices/${invoice.id}/send`, {
        as: 'billing',
        ifMatch: Number(etag.replaceAll('"', '')),
        idempotencyKey: `press-${invoice.id}`,
      });
    const [first, second] = await Promise.all([press(), press()]);
    const statuses = [first.status, second.status].sort();
    expect([
      [200, 200],
      [200, 409],
    ]).toContainEqual(statuses);
    const winner = first.status === 200 ? first : second;
    if (statuses[1] === 200) expect(second.body.invoice.number).toBe(first.body.invoice.number);
    else expect((first.status === 409 ? first : second).body.status).toBe(409);
    expect(await settledDelivery(invoice.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await inbox()).filter((email) => email.subject.includes(winner.body.invoice.number))).toHaveLength(1);
  });
});
