import { describe, expect, it } from 'vitest';
import { buildInvoice, type Invoice, send, ValidationFailed } from '../../../functions/domain/index.ts';
import type { FirmProfile } from '../../../functions/documents/firm.ts';
import { type CreditNotePorts, creditInvoice } from '../../../functions/invoices/credit-notes.ts';
import { excludedWork, type OpenTransaction } from '../../../functions/invoices/excluded-work.ts';
import { type InvoiceHeader, storedHeader } from '../../../functions/invoices/ports.ts';
import { publicHeader } from '../../../functions/invoices/public-header.ts';
import { NotFound } from '../../../functions/shared/errors.ts';
import { ctx, milestone, project, tx } from '../domain/fixtures.ts';
import { MemoryInvoices } from './memory-ports.ts';

/** Crediting an invoice (the route's use case) and the excluded work of a draft, on in-memory ports. */
const supplier = { name: 'Firm BV' } as unknown as FirmProfile;
const alice = { username: 'alice', userId: 'sub-alice' };
const now = new Date(ctx.now);

function header(invoice: Invoice): InvoiceHeader {
  return storedHeader(invoice, invoice.status, ctx.now, 'C1');
}

function draft(): Invoice {
  const built = buildInvoice({
    invoiceId: 'I1',
    origin: { kind: 'run' },
    project: project(),
    transactions: [tx('t1'), tx('t2', { date: '2027-01-11', quantity: '3' })],
    milestones: [milestone('m1')],
    runDate: '2027-02-01',
    cutOff: '2027-01-31',
  });
  if (built.outcome !== 'draft') throw new Error('expected draft');
  return built.invoice;
}

function world(): { memory: MemoryInvoices; ports: CreditNotePorts; started: string[]; invoice: Invoice } {
  const invoice = send(draft(), { number: 'INV-2027-000001' }, ctx).invoice;
  const memory = new MemoryInvoices();
  memory.put(header(invoice), invoice.details);
  const started: string[] = [];
  const ports: CreditNotePorts = {
    ...memory.creditPorts(),
    firm: { profile: async () => supplier },
    deliveries: { get: async (invoiceId, deliveryId) => ({ invoiceId, deliveryId, status: 'queued' }) as never },
    starter: { start: async (id) => void started.push(id) },
  };
  return { memory, ports, started, invoice };
}

describe('crediting an invoice', () => {
  it('credits in full once per Idempotency-Key: a retry answers the same credit note', async () => {
    const { memory, ports, started, invoice } = world();
    const first = await creditInvoice(ports, 'I1', invoice.version, { full: true }, 'key-1', alice, now, ctx.today);
    expect(first.invoice.status).toBe('cancelled');
    expect(first.creditNote).toMatchObject({ kind: 'credit_note', number: 'CN-2027-000001', detailsPending: false });
    expect(first.delivery).toMatchObject({ invoiceId: first.creditNote.id, deliveryId: 'send' });
    const again = await creditInvoice(ports, 'I1', invoice.version, { full: true }, 'key-1', alice, now, ctx.today);
    expect(again.creditNote.id).toBe(first.creditNote.id);
    expect(memory.lastCreditNumber).toBe(1);
    expect(started).toEqual([first.creditNote.id, first.creditNote.id]);
  });

  it('refuses what it cannot credit, naming the field, with nothing written', async () => {
    const { memory, ports, invoice } = world();
    const credit = (input: object, id = 'I1') =>
      creditInvoice(ports, id, invoice.version, input, 'key-2', alice, now, ctx.today);
    await expect(credit({ full: true }, 'nope')).rejects.toBeInstanceOf(NotFound);
    await expect(credit({ full: true, details: [] })).rejects.toMatchObject({ field: 'details' });
    await expect(credit({})).rejects.toBeInstanceOf(ValidationFailed);
    expect(memory.lastCreditNumber).toBe(0);
  });
});

describe('the work a draft leaves out', () => {
  const open = (id: string, o: Partial<OpenTransaction>): OpenTransaction => ({
    id,
    billingType: 'chargeable',
    approved: true,
    onHold: false,
    date: '2027-01-10',
    description: id,
    quantity: '1',
    unitPrice: '95',
    ...o,
  });

  it('lists what the limit kept off and the work on hold or not approved, each once', async () => {
    const stored = { kind: 'transaction' as const, id: 'h1', reason: 'not_to_exceed' as never };
    const items = await excludedWork(
      {
        excludedOf: async () => [stored, { kind: 'transaction', id: 'x', reason: 'not_to_exceed' as never }],
        unbilledUpTo: async () => [
          open('h1', { onHold: true }),
          open('n1', { approved: false }),
          open('ok', {}),
          open('nc', { billingType: 'non_chargeable', onHold: true }),
        ],
      },
      header(draft()),
    );
    expect(items.map((i) => [i.id, i.reason])).toEqual([
      ['x', 'not_to_exceed'],
      ['h1', 'on_hold'],
      ['n1', 'not_approved'],
    ]);
  });

  it('an issued invoice lists only what was stored with it; the API header hides the sums', async () => {
    const issued = header(send(draft(), { number: 'INV-2027-000002' }, ctx).invoice);
    let read = false;
    const items = await excludedWork(
      {
        excludedOf: async () => [],
        unbilledUpTo: async () => {
          read = true;
          return [];
        },
      },
      issued,
    );
    expect(items).toEqual([]);
    expect(read).toBe(false);
    expect(publicHeader(issued)).not.toHaveProperty('summary');
    expect(publicHeader({ ...issued, customerId: undefined })).toMatchObject({ customerId: null });
  });
});
