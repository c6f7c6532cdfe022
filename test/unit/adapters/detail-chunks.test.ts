import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, chunked, chunkWrites, detailsOf } from '../../../functions/adapters/dynamodb/detail-chunks.ts';
import type { InvoiceDetail } from '../../../functions/domain/index.ts';

/** The chunking of an invoice's details (adapters/dynamodb/detail-chunks.ts), without a table. */
const detail = (id: string, description = `Werk ${id}`): InvoiceDetail =>
  ({ id, description, printedDescription: description, quantity: '1' }) as unknown as InvoiceDetail;
const ids = (n: number) => Array.from({ length: n }, (_, i) => `t:${String(i).padStart(4, '0')}`);

describe('detail chunks', () => {
  it('a run of 120 details is 3 chunks of 50, 50 and 20, keyed by their first ids, whatever the input order', () => {
    const details = ids(120).map((id) => detail(id));
    const chunks = chunked([...details].reverse());
    expect(chunks.map((chunk) => [chunk.key, chunk.details.length])).toEqual([
      ['t:0000', 50],
      ['t:0050', 50],
      ['t:0100', 20],
    ]);
    expect(chunked(details)).toEqual(chunks);
  });

  it('large details are cut by size too: no chunk over CHUNK_BYTES', () => {
    const big = ids(50).map((id) => detail(id, 'ü'.repeat(2_000)));
    const chunks = chunked(big);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks)
      expect(Buffer.byteLength(JSON.stringify(chunk.details))).toBeLessThan(CHUNK_BYTES + 500);
  });

  it('an id in two chunks (a building draft mid-write) counts once, from the later chunk', () => {
    const old = { key: 't:0000', details: [detail('t:0000'), detail('t:0001', 'old')] };
    const moved = { key: 't:0001', details: [detail('t:0001', 'new')] };
    expect(detailsOf([old, moved]).map((d) => [d.id, d.description])).toEqual([
      ['t:0000', 'Werk t:0000'],
      ['t:0001', 'new'],
    ]);
  });

  it('an edit rewrites only the chunk holding the detail; removing the last detail deletes its chunk', () => {
    const [, middle] = chunked(ids(120).map((id) => detail(id)));
    const edited = { ...detail('t:0060'), quantity: '2' };
    const writes = chunkWrites([middle!], [edited], []);
    expect(writes.deleted).toEqual([]);
    expect(writes.put.map((chunk) => chunk.key)).toEqual(['t:0050']);
    expect(writes.put[0]?.details.find((d) => d.id === 't:0060')).toEqual(edited);
    expect(writes.put[0]?.details).toHaveLength(50);
    // Located from every chunk (A8, as for a recalculation of many details): the same writes.
    expect(chunkWrites(chunked(ids(120).map((id) => detail(id))), [edited], [])).toEqual(writes);
    expect(chunkWrites([{ key: 'x:a', details: [detail('x:a')] }], [], ['x:a'])).toEqual({ put: [], deleted: ['x:a'] });
  });

  it('a new detail joins the chunk whose range holds it while that chunk holds a greater id, else a chunk of one', () => {
    const chunk = { key: 't:0000', details: [detail('t:0000'), detail('t:0002')] };
    expect(chunkWrites([chunk], [detail('t:0001')], []).put.map((c) => [c.key, c.details.map((d) => d.id)])).toEqual([
      ['t:0000', ['t:0000', 't:0001', 't:0002']],
    ]);
    expect(chunkWrites([chunk], [detail('x:m1')], []).put.map((c) => [c.key, c.details.map((d) => d.id)])).toEqual([
      ['x:m1', ['x:m1']],
    ]);
    expect(chunkWrites([], [detail('a:first')], []).put.map((c) => c.key)).toEqual(['a:first']);
  });
});
