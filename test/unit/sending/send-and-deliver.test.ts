import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addManualDetail,
  buildInvoice,
  InvalidTransition,
  type Invoice,
  ValidationFailed,
} from '../../../functions/domain/index.ts';
import { type InvoiceHeader, storedHeader } from '../../../functions/invoices/ports.ts';
import { deliverInvoice, deliverInvoiceNow, sweepOutbox } from '../../../functions/sending/deliver-invoice.ts';
import { issuedDocuments } from '../../../functions/sending/issued-documents.ts';
import { issueInvoice, resendInvoice, sendToCustomer } from '../../../functions/sending/send-to-customer.ts';
import { storedDocuments } from '../../../functions/sending/stored-documents.ts';
import { NotFound, StaleVersion } from '../../../functions/shared/errors.ts';
import { type FaultKind, setFaultPlan } from '../../../functions/shared/faults.ts';
import { CUT_OFF, ctx, dutchCustomer, firm, milestone, project, RUN_DATE, tx } from '../documents/fixtures.ts';
import { MemorySending } from './memory-ports.ts';

/**
 * Send to customer and the deliveries on the in-memory ports (no Java, no local cloud): what the issue hands to the
 * applier, and deliveries that crash after the archive or after the e-mail claim never e-mail twice.
 */
const alice = { username: 'alice', userId: 'sub-alice' };
const now = new Date('2027-02-01T09:00:00.000Z');
const today = '2027-02-01';
const at = (minutes: number) => () => new Date(now.getTime() + minutes * 60_000).toISOString();

function draft(id = 'I1', manual = false): Invoice {
  const built = buildInvoice({
    invoiceId: id,
    origin: { kind: 'run' },
    project: project(dutchCustomer),
    transactions: [tx(`${id}-t1`), tx(`${id}-t2`, { date: '2027-01-11', quantity: '3' })],
    milestones: [milestone(`${id}-m1`)],
    runDate: RUN_DATE,
    cutOff: CUT_OFF,
  });
  if (built.outcome !== 'draft') throw new Error('expected a draft');
  if (!manual) return built.invoice;
  return addManualDetail(
    built.invoice,
    {
      transactionId: `${id}-n`,
      type: 'expense',
      contractLineId: 'CL1',
      date: '2027-01-05',
      description: 'train',
      quantity: '1',
      unit: 'trip',
      unitPrice: '45.50',
      tax: { code: 'NL-HIGH', category: 'S', rate: '21' },
    },
    ctx,
  ).invoice;
}

function stored(invoice: Invoice, extra: Partial<InvoiceHeader> = {}): InvoiceHeader {
  return { ...storedHeader(invoice, invoice.status, '2027-01-31T23:30:00.000Z', 'C1'), ...extra };
}

let memory: MemorySending;
let faults: Record<string, FaultKind>;
beforeEach(() => {
  memory = new MemorySending(firm);
  faults = {};
  process.env.FACTUUR_FAULT_INJECTION = 'on';
  setFaultPlan((point) => {
    const fault = faults[point];
    delete faults[point];
    return fault;
  });
});
afterEach(() => {
  setFaultPlan(undefined);
  delete process.env.FACTUUR_FAULT_INJECTION;
});

function seed(invoice = draft()): Invoice {
  memory.put(stored(invoice), invoice.details);
  return invoice;
}

describe('Send to customer behind ports', () => {
  it('hands the applier the whole issue: number, frozen header, audit, payment reference, e-mail, billing', async () => {
    const invoice = seed(draft('I1', true));
    const outcome = await sendToCustomer(memory.sendPorts(), 'I1', invoice.version, alice, now, today);
    expect(memory.issues).toHaveLength(1);
    const change = memory.issues[0];
    expect(change?.issue.series).toEqual({ kind: 'invoice', year: 2027, last: 0, next: 1 });
    expect(outcome.invoice).toMatchObject({
      number: 'INV-2027-000001',
      status: 'issued',
      issueDate: today,
      dueDate: '2027-02-15',
      supplier: expect.objectContaining({ name: firm.name }),
      contractLineNames: { CL1: 'Advies' },
      projectName: 'Website',
      paymentReference: change?.issue.paymentReference.printed,
      version: invoice.version + 1,
    });
    expect(change?.audit).toMatchObject({ action: 'send', actor: 'alice', actorId: 'sub-alice' });
    expect(change?.effects.createdTransactions.map((t) => [t.id, t.billedBy, t.printedDescription])).toEqual([
      ['I1-n', 'I1', 'train'],
    ]);
    expect(change?.effects.invoicedMilestoneIds).toEqual(['I1-m1']);
    expect(memory.transactions.get('I1-n')).toBe('I1');
    expect(memory.milestones.get('I1-m1')).toBe('billed');
    expect(outcome.delivery).toMatchObject({ deliveryId: 'send', status: 'queued', to: dutchCustomer.email });
    expect(memory.started).toEqual(['I1']);
  });

  it('takes the next number when another Send took the one it read', async () => {
    const invoice = seed();
    memory.beforeIssue = () => memory.series.set(2027, 7);
    const outcome = await sendToCustomer(memory.sendPorts(), 'I1', invoice.version, alice, now, today);
    expect(outcome.invoice.number).toBe('INV-2027-000008');
    expect(memory.series.get(2027)).toBe(8);
  });

  it('a change between the load and the issue transaction answers the version that changed it, issuing nothing', async () => {
    const invoice = seed();
    const before = memory.headers.get('I1');
    if (!before) throw new Error('seeded');
    memory.beforeIssue = () => memory.headers.set('I1', { ...before, version: invoice.version + 1 });
    const refused = await sendToCustomer(memory.sendPorts(), 'I1', invoice.version, alice, now, today).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StaleVersion);
    expect((refused as StaleVersion).currentVersion).toBe(invoice.version + 1);
    expect(memory.issues).toEqual([]);
  });

  it('refuses a stale version, a second Send, a missing invoice and a missing address, writing nothing', async () => {
    const invoice = seed();
    const ports = memory.sendPorts();
    await expect(sendToCustomer(ports, 'I1', invoice.version + 1, alice, now, today)).rejects.toBeInstanceOf(
      StaleVersion,
    );
    await expect(sendToCustomer(ports, 'nope', 1, alice, now, today)).rejects.toBeInstanceOf(NotFound);
    await sendToCustomer(ports, 'I1', invoice.version, alice, now, today);
    await expect(sendToCustomer(ports, 'I1', invoice.version + 1, alice, now, today)).rejects.toBeInstanceOf(
      InvalidTransition,
    );
    const bare = draft('I2');
    memory.put(
      stored({ ...bare, customer: { ...bare.customer, email: null }, billTo: { ...bare.billTo, email: null } }),
      bare.details,
    );
    await expect(sendToCustomer(ports, 'I2', bare.version, alice, now, today)).rejects.toBeInstanceOf(ValidationFailed);
    expect(memory.issues).toHaveLength(1);
    expect(memory.deliveries.size).toBe(1);
  });

  it('runs the pre-issue check before a number is taken', async () => {
    const plain = draft('I5');
    const { postalAddress: _postal, ...customer } = plain.customer;
    memory.put(stored({ ...plain, customer }), plain.details);
    await expect(sendToCustomer(memory.sendPorts(), 'I5', plain.version, alice, now, today)).rejects.toMatchObject({
      name: 'ValidationFailed',
      field: 'address',
    });
    expect(memory.series.size).toBe(0);
    expect(memory.issues).toHaveLength(0);
  });

  it('issues nothing the pre-issue check refuses, also when called without Send (demo seeds, the bench)', async () => {
    const plain = draft('I6');
    const { postalAddress: _postal, ...customer } = plain.customer;
    memory.put(stored({ ...plain, customer }), plain.details);
    const request = { supplier: firm, contractLineNames: {}, requireApproval: false, to: 'ap@example.com' };
    await expect(
      issueInvoice(memory.sendPorts(), 'I6', plain.version, { ...ctx, today }, alice.userId, request),
    ).rejects.toMatchObject({ name: 'ValidationFailed', field: 'address' });
    expect(memory.series.size).toBe(0);
    expect(memory.issues).toHaveLength(0);
  });

  it('resends an issued invoice as a new delivery; a draft cannot be resent', async () => {
    const invoice = seed();
    const ports = memory.sendPorts();
    await expect(resendInvoice(ports, 'I1', undefined, alice, now)).rejects.toBeInstanceOf(ValidationFailed);
    await sendToCustomer(ports, 'I1', invoice.version, alice, now, today);
    const resent = await resendInvoice(ports, 'I1', 'other@example.test', alice, now);
    expect(resent).toMatchObject({
      deliveryId: 'resend-1',
      kind: 'resend',
      to: 'other@example.test',
      status: 'queued',
    });
  });
});

describe('deliveries behind ports', () => {
  async function sent(): Promise<void> {
    const invoice = seed();
    await sendToCustomer(memory.sendPorts(), 'I1', invoice.version, alice, now, today);
  }

  it('archives the documents once and e-mails them once, with the archived bytes', async () => {
    await sent();
    const ports = memory.deliveryPorts();
    const result = await deliverInvoiceNow(ports, 'I1', at(0));
    expect(result).toEqual({ invoiceId: 'I1', archived: true, delivered: 1 });
    expect(memory.mailed).toHaveLength(1);
    const puts = memory.archivePuts;
    expect(await deliverInvoiceNow(ports, 'I1', at(1))).toEqual({ invoiceId: 'I1', archived: true, delivered: 0 });
    expect(memory.mailed).toHaveLength(1);
    const archived = await storedDocuments('I1', memory.archive);
    expect(memory.archivePuts).toBe(puts);
    expect(memory.mailed[0]?.includes(archived?.pdf.subarray(0, 64).toString('base64').slice(0, 40) ?? '-')).toBe(true);
    expect(memory.deliveries.get('I1/send')).toMatchObject({ status: 'sent', sesMessageId: 'ses-1' });
    expect((await issuedDocuments(ports, 'I1'))?.pdf.equals(archived?.pdf ?? Buffer.alloc(0))).toBe(true);
  });

  it('one delivery that fails does not hold up the others: they go, the sweep fails with its error, the next sends it', async () => {
    await sent();
    const other = seed(draft('I2'));
    await sendToCustomer(memory.sendPorts(), 'I2', other.version, alice, now, today);
    const ports = memory.deliveryPorts();
    memory.failArchiveOf = 'I1';
    await expect(sweepOutbox(ports, at(5))).rejects.toThrow('the archive refuses I1');
    expect(memory.deliveries.get('I2/send')?.status).toBe('sent');
    expect(memory.deliveries.get('I1/send')?.status).toBe('queued');
    memory.failArchiveOf = undefined;
    expect(await sweepOutbox(ports, at(10))).toMatchObject({ delivered: 1 });
    expect(memory.mailed).toHaveLength(2);
  });

  it('a crash after the archive leaves the e-mail queued: the sweep sends it once, without rendering again', async () => {
    await sent();
    const ports = memory.deliveryPorts();
    faults['deliver:after-archive:I1'] = 'crash';
    await expect(deliverInvoice(ports, 'I1', 'send', at(0))).rejects.toThrow(/Injected crash/);
    expect(memory.deliveries.get('I1/send')?.status).toBe('queued');
    const puts = memory.archivePuts;
    expect(await sweepOutbox(ports, at(5))).toEqual({ delivered: 1, unknown: 0, creditNotesFinished: 0 });
    expect(memory.archivePuts).toBe(puts);
    expect(memory.mailed).toHaveLength(1);
    expect(await sweepOutbox(ports, at(10))).toEqual({ delivered: 0, unknown: 0, creditNotesFinished: 0 });
    expect(memory.mailed).toHaveLength(1);
  });

  it('a crash after the e-mail claim (before or after the hand-over) is never e-mailed again by itself', async () => {
    await sent();
    const ports = memory.deliveryPorts();
    faults['deliver:after-ses:I1'] = 'crash';
    await expect(deliverInvoice(ports, 'I1', 'send', at(0))).rejects.toThrow(/Injected crash/);
    expect(memory.mailed).toHaveLength(1);
    expect(memory.deliveries.get('I1/send')?.status).toBe('sending');
    expect(await sweepOutbox(ports, at(5))).toMatchObject({ delivered: 0, unknown: 0 });
    expect(await sweepOutbox(ports, at(20))).toMatchObject({ delivered: 0, unknown: 1 });
    expect(memory.deliveries.get('I1/send')?.status).toBe('unknown');
    expect(await sweepOutbox(ports, at(60))).toMatchObject({ delivered: 0, unknown: 0 });
    expect(memory.mailed).toHaveLength(1);

    const other = seed(draft('I2'));
    await sendToCustomer(memory.sendPorts(), 'I2', other.version, alice, now, today);
    // A crash at the hand-over itself (the message may have gone): unknown at once, never sent by itself.
    faults['deliver:before-ses:I2'] = 'crash';
    expect(await deliverInvoice(ports, 'I2', 'send', at(0))).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(await sweepOutbox(ports, at(60))).toMatchObject({ delivered: 0, unknown: 0 });
    expect(memory.mailed).toHaveLength(1);
  });

  it('a definite refusal is retried later with backoff; an unclear failure becomes unknown', async () => {
    await sent();
    const ports = memory.deliveryPorts();
    memory.failMail = Object.assign(new Error('throttled'), { name: 'MessageRejected' });
    expect(await deliverInvoice(ports, 'I1', 'send', at(0))).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await sweepOutbox(ports, at(1))).toMatchObject({ delivered: 0 });
    expect(await sweepOutbox(ports, at(3))).toMatchObject({ delivered: 1 });
    expect(memory.mailed).toHaveLength(1);

    const other = seed(draft('I2'));
    await sendToCustomer(memory.sendPorts(), 'I2', other.version, alice, now, today);
    memory.failMail = new Error('socket hang up');
    expect(await deliverInvoice(ports, 'I2', 'send', at(0))).toMatchObject({ status: 'unknown' });
    expect(await sweepOutbox(ports, at(60))).toMatchObject({ delivered: 0 });
    expect(memory.mailed).toHaveLength(1);
  });

  it('a delivery finishes billing a crash left pending, with the billing the domain derives', async () => {
    const invoice = draft('I3', true);
    await sendToCustomer(memory.sendPorts(), 'I3', seed(invoice).version, alice, now, today);
    memory.put({ ...(memory.headers.get('I3') as InvoiceHeader), billingPending: true }, invoice.details);
    memory.transactions.clear();
    await deliverInvoiceNow(memory.deliveryPorts(), 'I3', at(0));
    expect(memory.billingCompleted.map((b) => b.createdTransactions.map((t) => t.id))).toEqual([['I3-n']]);
    expect(memory.transactions.get('I3-n')).toBe('I3');
    expect(memory.headers.get('I3')?.billingPending).toBeUndefined();
  });

  it('an invoice not issued is not e-mailed; pending credit notes are finished by the sweep', async () => {
    seed(draft('I4'));
    await memory.outbox.queue({
      invoiceId: 'I4',
      deliveryId: 'send',
      kind: 'send',
      to: 'x@example.test',
      queuedAt: now.toISOString(),
      queuedBy: 'alice',
    });
    memory.pendingCreditNotes = ['cn-1'];
    const ports = memory.deliveryPorts();
    expect(await sweepOutbox(ports, at(10))).toEqual({ delivered: 0, unknown: 0, creditNotesFinished: 1 });
    expect(memory.resumed).toEqual(['cn-1']);
    expect(memory.deliveries.get('I4/send')).toMatchObject({
      status: 'failed',
      lastError: 'The invoice is not issued',
    });
    expect(memory.mailed).toHaveLength(0);
  });
});
