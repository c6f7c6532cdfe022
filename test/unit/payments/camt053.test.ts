import { problemOf } from '../../../functions/shared/http/problems.ts';
import { describe, expect, it } from 'vitest';
import {
  MAX_STATEMENT_BYTES,
  parseCamt053,
  StatementRefused,
  statementIdOf,
} from '../../../functions/payments/camt053.ts';
import { camt053 } from '../../support/camt053.ts';

/** The refusal, with the status the HTTP edge answers it with (problems.ts). */
const refused = (xml: string): { status: number | undefined; message: string } => {
  try {
    parseCamt053(xml);
  } catch (error) {
    if (error instanceof StatementRefused) return { status: problemOf(error).statusCode, message: error.message };
    throw error;
  }
  throw new Error('not refused');
};

describe('CAMT.053 parsing', () => {
  for (const version of [2, 8] as const) {
    it(`reads camt.053.001.0${version}: amounts, references, text, debtor, debits and currencies`, () => {
      const parsed = parseCamt053(
        camt053({
          version,
          entries: [
            {
              amount: '1210.00',
              structuredReference: 'RF18539007547034',
              debtorName: 'Jansen & Zn',
              accountServicerReference: 'A1',
            },
            { amount: '99.95', unstructured: 'factuur INV-2026-000001 <dank>', debtorIban: 'NL02 RABO 0123 4567 89' },
            { amount: '50', debtorName: 'Nobody' },
            { amount: '20.00', direction: 'DBIT' },
            { amount: '30.00', currency: 'USD' },
            { amount: '12.5', status: 'PDNG' },
          ],
        }),
      );
      expect(parsed.version).toBe(version);
      const [statement] = parsed.statements;
      expect(statement?.iban).toBe('NL91ABNA0417164300');
      const entries = statement?.entries ?? [];
      expect(entries.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(entries.map((e) => e.minor)).toEqual([121000, 9995, 5000, 2000, 3000, 1250]);
      expect(entries[0]).toMatchObject({
        structuredReferences: ['RF18539007547034'],
        debtorName: 'Jansen & Zn',
        accountServicerReference: 'A1',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-11-30',
      });
      expect(entries[1]).toMatchObject({
        unstructured: 'factuur INV-2026-000001 <dank>',
        debtorIban: 'NL02RABO0123456789',
        structuredReferences: [],
      });
      expect(entries[2]).toMatchObject({ structuredReferences: [], unstructured: '' });
      expect(entries[3]?.direction).toBe('debit');
      expect(entries[4]?.currency).toBe('USD');
      expect(entries[5]?.status).toBe('PDNG');
      expect(new Set(entries.map((e) => e.entryId)).size).toBe(6);
    });
  }

  it('the same entry has the same identity in another statement; equal transfers in one statement stay two', () => {
    const a = parseCamt053(
      camt053({
        statementId: 'A',
        entries: [
          { amount: '10.00', unstructured: 'x' },
          { amount: '10.00', unstructured: 'x' },
          { amount: '5.00', accountServicerReference: 'REF-9' },
        ],
      }),
    );
    const b = parseCamt053(
      camt053({
        statementId: 'B',
        version: 5,
        entries: [
          { amount: '10.00', unstructured: 'x' },
          { amount: '7.00', accountServicerReference: 'REF-9' },
        ],
      }),
    );
    const ea = a.statements[0]?.entries ?? [];
    const eb = b.statements[0]?.entries ?? [];
    expect(ea[0]?.entryId).not.toBe(ea[1]?.entryId);
    expect(eb[0]?.entryId).toBe(ea[0]?.entryId);
    expect(eb[1]?.entryId).toBe(ea[2]?.entryId); // the bank's own reference decides
    expect(statementIdOf(a)).not.toBe(statementIdOf(b));
    expect(statementIdOf(a)).toBe(
      statementIdOf(
        parseCamt053(
          camt053({
            statementId: 'A',
            entries: [
              { amount: '10.00', unstructured: 'x' },
              { amount: '10.00', unstructured: 'x' },
              { amount: '5.00', accountServicerReference: 'REF-9' },
            ],
          }),
        ),
      ),
    );
  });

  it('accepts every version from 001.02 to 001.08 and a prefixed namespace', () => {
    for (const version of [2, 3, 4, 5, 6, 7, 8] as const)
      expect(parseCamt053(camt053({ version, entries: [{ amount: '1.00' }] })).version).toBe(version);
    const prefixed = camt053({ entries: [{ amount: '1.00' }] })
      .replace('<Document xmlns=', '<c:Document xmlns:c=')
      .replace('</Document>', '</c:Document>');
    expect(parseCamt053(prefixed).statements[0]?.entries).toHaveLength(1);
  });

  it('refuses XML bombs, external entities, malformed XML, other message types and oversized bodies', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol2;</Document>`;
    expect(refused(bomb).status).toBe(400);
    const external = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>`;
    expect(refused(external).message).toMatch(/DOCTYPE/);
    expect(refused('<Document><BkToCstmrStmt></Document>').status).toBe(400);
    expect(refused('not xml at all').status).toBe(400);
    const camt054 = camt053({ entries: [] }).replace('camt.053.001.02', 'camt.054.001.02');
    expect(refused(camt054)).toMatchObject({ status: 422 });
    expect(refused('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>').status).toBe(422);
    expect(refused(`<Document>${' '.repeat(MAX_STATEMENT_BYTES)}</Document>`).status).toBe(413);
    expect(refused(camt053({ entries: [{ amount: '1.001' }] })).status).toBe(422);
  });

  it('decodes predefined entities and character references only', () => {
    const parsed = parseCamt053(
      camt053({ entries: [{ amount: '1.00', debtorName: 'A &amp; B' }] }).replace(
        'A &amp;amp; B',
        'A &#38; B &#x263A;',
      ),
    );
    expect(parsed.statements[0]?.entries[0]?.debtorName).toBe('A & B ☺');
  });
});
