import { describe, expect, it } from 'vitest';
import { buildInvoice, type Invoice, send } from '../../../functions/domain/index.ts';
import type { FirmProfile } from '../../../functions/documents/firm.ts';
import { storedHeader } from '../../../functions/invoices/ports.ts';
import { issueCredit, resumeCredit } from '../../../functions/invoices/use-cases/credit.ts';
import { StaleVersion } from '../../../functions/shared/errors.ts';
import { ctx, milestone, project, tx } from '../domain/fixtures.ts';
import { MemoryInvoices } from './memory-ports.ts';

/** The credit use case on the in-memory ports: the domain decides, the issue is one change, the rest resumable. */
const supplier = { name: 'Firm BV' } as unknown as FirmProfile;
const context = { ...ctx, actorId: 'sub-1' };

function issued(): { memory: MemoryInvoices; invoice: Invoice } {
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
  const invoice = send(built.invoice, { number: 'INV-2027-000001' }, ctx).invoice;
  const memory = new MemoryInvoices();
  memory.put(storedHeader(invoice, invoice.status, ctx.now, 'C1'), invoice.details);
  return { memory, invoice };
}

describe('credit notes behind ports', () => {
  it('a full credit: the invoice cancelled, the credit note issued with the next number, its details and the work back', async () => {
    const { memory, invoice } = issued();
    const result = await issueCredit(
      memory.creditPorts(),
      'I1',
      'CN1',
      invoice.version,
      { full: true },
      context,
      supplier,
    );
    expect(result.invoice).toMatchObject({ status: 'cancelled', version: invoice.version + 1 });
    expect(result.creditNote).toMatchObject({
      number: 'CN-2027-000001',
      kind: 'credit_note',
      detailsPending: false,
      supplier,
      totals: { total: -invoice.totals.total, balance: 0 },
    });
    expect(memory.headers.get('CN1')?.detailsPending).toBe(false);
    expect(memory.details.get('CN1')?.size).toBe(invoice.details.length);
    expect([...memory.created.keys()].sort()).toEqual(['t1~CN1', 't2~CN1']);
    expect(memory.milestones.get('m1')).toEqual({ invoicedBy: null });
    expect(memory.queued).toEqual([{ to: 'ap@acme.test', queuedAt: ctx.now, queuedBy: ctx.actor }]);
    expect(memory.audit.map((a) => a.action)).toEqual(['creditNoteFull']);
    expect(memory.plans.size).toBe(0);
  });

  it('a number taken meanwhile is retried with the next; a stale version is refused with nothing written', async () => {
    const { memory, invoice } = issued();
    const ports = memory.creditPorts();
    const credits = ports.credits;
    let raced = false;
    const racing = {
      ...ports,
      credits: {
        ...credits,
        nextNumber: async (year: number) => {
          const next = await credits.nextNumber(year);
          if (!raced) {
            raced = true;
            memory.lastCreditNumber += 1; // another credit note took it
          }
          return next;
        },
      },
    };
    const result = await issueCredit(
      racing,
      'I1',
      'CN1',
      invoice.version,
      { details: [{ detailId: 't:t2', quantity: '1' }] },
      context,
      supplier,
    );
    expect(result.creditNote.number).toBe('CN-2027-000002');
    expect(result.invoice.status).toBe('issued');
    await expect(
      issueCredit(memory.creditPorts(), 'I1', 'CN2', invoice.version, { full: true }, context, supplier),
    ).rejects.toBeInstanceOf(StaleVersion);
    expect(memory.headers.has('CN2')).toBe(false);
  });

  it('a crash after the issue is finished from the plan: the same credit, once', async () => {
    const { memory, invoice } = issued();
    const ports = memory.creditPorts();
    const crashing = {
      ...ports,
      credits: {
        ...ports.credits,
        complete: async () => {
          throw new Error('crash');
        },
      },
    };
    await expect(
      issueCredit(crashing, 'I1', 'CN1', invoice.version, { full: true }, context, supplier),
    ).rejects.toThrowError('crash');
    expect(memory.headers.get('CN1')?.detailsPending).toBe(true);
    expect(await resumeCredit(ports, 'CN1')).toBe(true);
    expect(memory.headers.get('CN1')?.detailsPending).toBe(false);
    expect(memory.details.get('CN1')?.size).toBe(invoice.details.length);
    expect([...memory.created.keys()].sort()).toEqual(['t1~CN1', 't2~CN1']);
    expect(await resumeCredit(ports, 'CN1')).toBe(false);
  });
});
