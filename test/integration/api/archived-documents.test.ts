import { describe, expect, it } from 'vitest';
import { cloud, inbox } from '../clients.ts';
import { call, manualDraft, setupProject, tokenFor, useLocalCloudFromTests } from './support.ts';

/**
 * Issued documents are rendered once and kept (issue 12, point 7): GET /pdf and /ubl and every e-mail carry the
 * archived bytes, and a crash between the issue and the archive leaves nothing that a later attempt renders
 * differently.
 */
async function document(path: string): Promise<{ status: number; bytes: Buffer; retryAfter: string | null }> {
  const response = await fetch(`${cloud.api}${path}`, {
    headers: { authorization: `Bearer ${await tokenFor('viewer')}` },
  });
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    retryAfter: response.headers.get('retry-after'),
  };
}

function attachmentsOf(email: { attachments: { contentType: string; content: string }[] } | undefined) {
  return Object.fromEntries(
    (email?.attachments ?? []).map((attachment) => [attachment.contentType, Buffer.from(attachment.content, 'base64')]),
  );
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, millis = 30_000): Promise<T> {
  const end = Date.now() + millis;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('archived documents', () => {
  it('a crash between the issue and the archive: the delivery archives them once, the e-mail and GET carry those bytes', async () => {
    const { projectId } = await setupProject();
    const { invoice, etag } = await manualDraft(projectId);
    // A draft has no documents yet: they are made at Send.
    expect((await call('GET', `/invoices/${invoice.id}/pdf`, { as: 'viewer' })).status).toBe(404);
    useLocalCloudFromTests();
    process.env.FACTUUR_FAULT_INJECTION = 'on';
    const { setFaultPlan } = await import('../../../functions/shared/faults.ts');
    const { sendToCustomer } = await import('../../../functions/handlers/wiring/sending.ts');
    const { deliverInvoice, sweepOutbox } = await import('../../../functions/handlers/wiring/sending.ts');
    const { s3DocumentArchive } = await import('../../../functions/adapters/s3/document-archive.ts');
    const { getDelivery } = await import('../../../functions/adapters/dynamodb/deliveries-store.ts');
    const now = new Date();
    const today = now.toISOString().slice(0, 10);

    // Send dies right after its issue transaction: numbered, e-mail queued, nothing archived.
    setFaultPlan((point) => (point === `send:after-issue:${invoice.id}` ? 'crash' : undefined));
    await expect(
      sendToCustomer(invoice.id, Number(etag.replaceAll('"', '')), { username: 'test', userId: 't' }, now, today),
    ).rejects.toThrow(/Injected crash/);
    expect(await s3DocumentArchive.get(invoice.id, 'pdf')).toBeUndefined();
    expect(await getDelivery(invoice.id, 'send')).toMatchObject({ status: 'queued', attempts: 0 });
    // Meanwhile GET /pdf renders nothing: 503 problem+json with Retry-After until the documents are archived.
    for (const kind of ['pdf', 'ubl']) {
      const early = await call('GET', `/invoices/${invoice.id}/${kind}`, { as: 'viewer' });
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('3');
      expect(early.body).toMatchObject({ status: 503, type: expect.stringContaining('not-archived-yet') });
    }

    // The next attempt archives, then dies before claiming the delivery: archived, still queued, no e-mail.
    setFaultPlan((point) => (point === `deliver:after-archive:${invoice.id}` ? 'crash' : undefined));
    await expect(deliverInvoice(invoice.id, 'send', () => now.toISOString())).rejects.toThrow(/Injected crash/);
    setFaultPlan(undefined);
    const pdf = await s3DocumentArchive.get(invoice.id, 'pdf');
    const ubl = await s3DocumentArchive.get(invoice.id, 'ubl');
    expect(pdf?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(ubl?.toString('utf8')).toContain('<Invoice ');
    expect(await getDelivery(invoice.id, 'send')).toMatchObject({ status: 'queued', attempts: 0 });

    // Nothing replaces them: a second put of the key keeps the first bytes.
    const other = await s3DocumentArchive.put(invoice.id, 'pdf', Buffer.from('%PDF-1.7 not the invoice'));
    expect(other.equals(pdf!)).toBe(true);

    // The outbox sweep sends the e-mail once, with the archived bytes; GET /pdf and /ubl serve the same bytes.
    await sweepOutbox(() => new Date(now.getTime() + 60_000).toISOString());
    const number = (await call('GET', `/invoices/${invoice.id}`, { as: 'viewer' })).body.number as string;
    const emails = await until(
      async () => (await inbox()).filter((email) => email.subject.includes(number)),
      (found) => found.length > 0,
    );
    expect(emails).toHaveLength(1);
    const attached = attachmentsOf(emails[0]);
    expect(attached['application/pdf']!.equals(pdf!)).toBe(true);
    expect(attached['application/xml']!.equals(ubl!)).toBe(true);
    expect((await document(`/invoices/${invoice.id}/pdf`)).bytes.equals(pdf!)).toBe(true);
    expect((await document(`/invoices/${invoice.id}/ubl`)).bytes.equals(ubl!)).toBe(true);
  });

  it('what the archive holds is what goes out: the e-mail and GET /pdf, /ubl carry the archived bytes, never a new render', async () => {
    const { projectId } = await setupProject();
    const { invoice, etag } = await manualDraft(projectId);
    useLocalCloudFromTests();
    const { s3DocumentArchive } = await import('../../../functions/adapters/s3/document-archive.ts');
    // Bytes put under the invoice's keys before it is issued (no renderer makes these): they win at issue.
    const pdf = Buffer.from('%PDF-1.7 archived first\n');
    const ubl = Buffer.from('<Invoice>archived first</Invoice>');
    await s3DocumentArchive.put(invoice.id, 'ubl', ubl);
    await s3DocumentArchive.put(invoice.id, 'pdf', pdf);
    const sent = await call('POST', `/invoices/${invoice.id}/send`, {
      as: 'billing',
      ifMatch: Number(etag.replaceAll('"', '')),
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const number = sent.body.invoice.number as string;
    const [email] = await until(
      async () => (await inbox()).filter((candidate) => candidate.subject.includes(number)),
      (found) => found.length > 0,
    );
    const attached = attachmentsOf(email);
    expect(attached['application/pdf']!.equals(pdf)).toBe(true);
    expect(attached['application/xml']!.equals(ubl)).toBe(true);
    expect((await document(`/invoices/${invoice.id}/pdf`)).bytes.equals(pdf)).toBe(true);
    expect((await document(`/invoices/${invoice.id}/ubl`)).bytes.equals(ubl)).toBe(true);
  });
});
