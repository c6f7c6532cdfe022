import { beforeEach, describe, expect, it } from 'vitest';
import { finishManualInvoice } from '../../../functions/manual-invoicing/finish-manual-invoice.ts';
import {
  decodeToken,
  encodeToken,
  manualInvoiceId,
  previewManualInvoice,
} from '../../../functions/manual-invoicing/manual-invoicing.ts';
import { Conflict, InvalidRequest, NotFound } from '../../../functions/shared/errors.ts';
import { project, tx } from '../domain/fixtures.ts';
import { MemoryDrafts } from './memory-drafts.ts';

/** Next and Finish of manual invoicing on in-memory ports: the draft once per Idempotency-Key, whatever happens. */
const alice = { username: 'alice', userId: 'sub-alice' };
const now = new Date('2027-02-01T09:00:00.000Z');
let memory: MemoryDrafts;
let ports: ReturnType<MemoryDrafts['ports']>;

beforeEach(() => {
  memory = new MemoryDrafts(project());
  for (const id of ['t1', 't2', 't3']) memory.transactions.set(id, tx(id));
  ports = memory.ports();
});

async function previewToken(cutOff = '2027-01-31') {
  return (await previewManualInvoice(ports, 'P1', { cutOff }, alice, now)).token;
}

describe('manual invoicing', () => {
  it('Next previews the draft and writes nothing; its token binds project, parameters and items', async () => {
    const preview = await previewManualInvoice(ports, 'P1', { cutOff: '2027-01-31' }, alice, now);
    expect(preview).toMatchObject({ outcome: 'draft', invoice: { currency: 'EUR' } });
    expect(preview.invoice?.details).toHaveLength(3);
    expect(decodeToken(preview.token)).toMatchObject({ projectId: 'P1', items: ['t:t1:1', 't:t2:1', 't:t3:1'] });
    expect(memory.headers.size).toBe(0);
    await expect(previewManualInvoice(ports, 'P1', { cutOff: '2027-02-02' }, alice, now)).rejects.toMatchObject({
      field: 'cutOff',
    });
    await expect(previewManualInvoice(ports, 'P9', { cutOff: '2027-01-31' }, alice, now)).rejects.toBeInstanceOf(
      NotFound,
    );
    expect(() => decodeToken(`${preview.token}x`)).toThrow(InvalidRequest);
  });

  it('Finish creates the draft once: the same Idempotency-Key answers the same draft, nothing reserved twice', async () => {
    const token = await previewToken();
    const draft = await finishManualInvoice(ports, 'P1', token, 'key-1', alice, now);
    expect(draft).toMatchObject({ id: manualInvoiceId('P1', 'key-1'), status: 'draft', detailCount: 3, heldCount: 3 });
    expect([...memory.transactions.values()].every((t) => t.reservedBy === draft.id)).toBe(true);
    expect(memory.audit).toEqual([
      expect.objectContaining({
        action: 'createManual',
        actorId: 'sub-alice',
        after: expect.objectContaining({ detailCount: 3 }),
      }),
    ]);
    const reserves = memory.reserves;
    expect(await finishManualInvoice(ports, 'P1', token, 'key-1', alice, now)).toEqual(draft);
    expect(memory.reserves).toBe(reserves);
    expect(memory.audit).toHaveLength(1);
    // Another key: everything is on the first draft now, so there is nothing to invoice.
    await expect(finishManualInvoice(ports, 'P1', token, 'key-2', alice, now)).rejects.toBeInstanceOf(Conflict);
    expect(memory.headers.size).toBe(1);
  });

  it('a retry after a crash mid-reservation continues the same draft', async () => {
    const token = await previewToken();
    let calls = 0;
    memory.beforeReserve = () => {
      if (++calls === 2) throw new Error('crash');
    };
    await expect(finishManualInvoice(ports, 'P1', token, 'key-1', alice, now)).rejects.toThrow('crash');
    const id = manualInvoiceId('P1', 'key-1');
    expect(memory.headers.get(id)).toMatchObject({ status: 'building', heldCount: 2 });
    memory.beforeReserve = () => {};
    const draft = await finishManualInvoice(ports, 'P1', token, 'key-1', alice, now);
    expect(draft).toMatchObject({ status: 'draft', detailCount: 3 });
    expect(memory.details.get(id)?.size).toBe(3);
  });

  it('refuses when the selection changed since Next, or an item was taken meanwhile, and leaves nothing behind', async () => {
    const token = await previewToken();
    memory.transactions.set('t4', tx('t4'));
    await expect(finishManualInvoice(ports, 'P1', token, 'key-1', alice, now)).rejects.toMatchObject({
      extras: { added: ['t:t4:1'], missing: [] },
    });
    memory.transactions.delete('t4');
    memory.beforeReserve = () => {
      memory.transactions.set('t3', {
        ...(memory.transactions.get('t3') as ReturnType<typeof tx>),
        reservedBy: 'inv-x',
      });
    };
    const taken = await finishManualInvoice(ports, 'P1', token, 'key-1', alice, now).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(Conflict);
    expect(taken).toMatchObject({ extras: { changed: [expect.stringContaining('t3')] } });
    expect(memory.headers.size).toBe(0);
    expect(memory.transactions.get('t1')?.reservedBy).toBeNull();
    const other = encodeToken({ ...decodeToken(token), projectId: 'P2' });
    await expect(finishManualInvoice(ports, 'P1', other, 'key-1', alice, now)).rejects.toMatchObject({
      field: 'token',
    });
  });

  it('a building draft whose selection changed is given up on the retry', async () => {
    const token = await previewToken();
    memory.beforeReserve = () => {
      throw new Error('crash');
    };
    await expect(finishManualInvoice(ports, 'P1', token, 'key-1', alice, now)).rejects.toThrow('crash');
    memory.beforeReserve = () => {};
    memory.transactions.set('t4', tx('t4'));
    await expect(finishManualInvoice(ports, 'P1', token, 'key-1', alice, now)).rejects.toBeInstanceOf(Conflict);
    expect(memory.headers.size).toBe(0);
  });

  it('a concurrent Finish that completed first wins; one still building is a conflict', async () => {
    const token = await previewToken();
    const drafts = ports.drafts;
    const id = manualInvoiceId('P1', 'key-1');
    const racing = { ...ports, drafts: { ...drafts, complete: async () => false } };
    await expect(finishManualInvoice(racing, 'P1', token, 'key-1', alice, now)).rejects.toMatchObject({
      message: 'another request is finishing this invoice; try again',
    });
    const won = {
      ...drafts,
      complete: async () => {
        memory.headers.set(id, {
          ...(memory.headers.get(id) as NonNullable<ReturnType<typeof memory.headers.get>>),
          status: 'draft',
        });
        return false;
      },
    };
    expect(await finishManualInvoice({ ...ports, drafts: won }, 'P1', token, 'key-1', alice, now)).toMatchObject({
      status: 'draft',
    });
    expect(memory.audit).toEqual([]);
  });
});
