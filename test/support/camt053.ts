/**
 * CAMT.053 documents built in tests (ISO 20022 BankToCustomerStatement), in the shape of each version: 001.02 to
 * 001.07 carry the entry status as `<Sts>BOOK</Sts>` and the debtor as `Dbtr/Nm`; 001.08 as `<Sts><Cd>BOOK</Cd></Sts>`
 * and `Dbtr/Pty/Nm`.
 */
export interface TestEntry {
  readonly amount: string;
  readonly currency?: string;
  readonly direction?: 'CRDT' | 'DBIT';
  readonly status?: 'BOOK' | 'PDNG';
  readonly bookingDate?: string;
  readonly accountServicerReference?: string | null;
  readonly structuredReference?: string | null;
  readonly unstructured?: string | null;
  readonly debtorName?: string | null;
  readonly debtorIban?: string | null;
  readonly endToEndId?: string | null;
}

export interface TestStatement {
  readonly version?: 2 | 3 | 4 | 5 | 6 | 7 | 8;
  readonly statementId?: string;
  readonly iban?: string;
  readonly messageId?: string;
  readonly entries: readonly TestEntry[];
}

const xmlEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export function camt053(statement: TestStatement): string {
  const version = statement.version ?? 2;
  const ns = `urn:iso:std:iso:20022:tech:xsd:camt.053.001.0${version}`;
  const status = (code: string) => (version >= 8 ? `<Sts><Cd>${code}</Cd></Sts>` : `<Sts>${code}</Sts>`);
  const debtor = (name: string) =>
    version >= 8 ? `<Dbtr><Pty><Nm>${xmlEscape(name)}</Nm></Pty></Dbtr>` : `<Dbtr><Nm>${xmlEscape(name)}</Nm></Dbtr>`;
  const entries = statement.entries
    .map((e) => {
      const date = e.bookingDate ?? '2026-11-30';
      const parties =
        e.debtorName || e.debtorIban
          ? `<RltdPties>${e.debtorName ? debtor(e.debtorName) : ''}${
              e.debtorIban ? `<DbtrAcct><Id><IBAN>${e.debtorIban}</IBAN></Id></DbtrAcct>` : ''
            }</RltdPties>`
          : '';
      const remittance =
        e.structuredReference || e.unstructured
          ? `<RmtInf>${e.unstructured ? `<Ustrd>${xmlEscape(e.unstructured)}</Ustrd>` : ''}${
              e.structuredReference
                ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>${xmlEscape(e.structuredReference)}</Ref></CdtrRefInf></Strd>`
                : ''
            }</RmtInf>`
          : '';
      return `
      <Ntry>
        <Amt Ccy="${e.currency ?? 'EUR'}">${e.amount}</Amt>
        <CdtDbtInd>${e.direction ?? 'CRDT'}</CdtDbtInd>
        ${status(e.status ?? 'BOOK')}
        <BookgDt><Dt>${date}</Dt></BookgDt>
        <ValDt><Dt>${date}</Dt></ValDt>
        ${e.accountServicerReference ? `<AcctSvcrRef>${e.accountServicerReference}</AcctSvcrRef>` : ''}
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs>${e.endToEndId ? `<EndToEndId>${e.endToEndId}</EndToEndId>` : '<EndToEndId>NOTPROVIDED</EndToEndId>'}</Refs>
          ${parties}
          ${remittance}
        </TxDtls></NtryDtls>
      </Ntry>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>${statement.messageId ?? 'MSG-1'}</MsgId><CreDtTm>2026-12-01T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>${statement.statementId ?? 'STMT-1'}</Id>
      <CreDtTm>2026-12-01T06:00:00</CreDtTm>
      <FrToDt><FrDtTm>2026-11-30T00:00:00</FrDtTm><ToDtTm>2026-11-30T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><IBAN>${statement.iban ?? 'NL91ABNA0417164300'}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>
      ${entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}
