import { createHash } from 'node:crypto';
import { XMLValidator } from 'fast-xml-parser';
import { fromMajor, isSupportedCurrency, type MinorUnits } from '../domain/index.ts';
import { BodyRefused } from '../shared/errors.ts';
import {
  amountOf,
  child,
  date,
  debtorName,
  decodeEntities,
  list,
  type Node,
  parser,
  rootNamespace,
  text,
} from './camt053-xml.ts';

/**
 * CAMT.053 (ISO 20022 BankToCustomerStatement, camt.053.001.02 to camt.053.001.08) read into plain entries.
 *
 * Hostile documents are refused before any parsing: more than MAX_STATEMENT_BYTES, a DOCTYPE or ENTITY declaration
 * (XML bombs, external entities: a statement never needs them), text that is not well-formed XML. fast-xml-parser
 * then runs with entity processing off; only the five predefined entities and character references are decoded
 * afterwards, by hand (nothing expands into more than one character).
 */
export const MAX_STATEMENT_BYTES = 5 * 1024 * 1024;

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.0([2-8])$/;

/** Why a document is refused: the HTTP edge turns it into problem+json (field `body`, type too-large or invalid-statement). */
export class StatementRefused extends BodyRefused {
  override readonly name = 'StatementRefused';
  constructor(status: 400 | 413 | 422, message: string) {
    super(status, status === 413 ? 'too-large' : 'invalid-statement', message);
  }
}

export interface StatementEntry {
  /** 1-based position of the line in the document (entries, and transactions of batch entries, in order). */
  readonly position: number;
  /** Identity for duplicates across imports (see entryIdentity). */
  readonly entryId: string;
  readonly direction: 'credit' | 'debit';
  /** BOOK, PDNG, INFO (only booked entries are money received). */
  readonly status: string;
  readonly reversal: boolean;
  readonly amount: string;
  readonly currency: string;
  /** Minor units of `amount`, or null when the currency is not one factuur knows. */
  readonly minor: MinorUnits | null;
  readonly bookingDate: string | null;
  readonly valueDate: string | null;
  readonly accountServicerReference: string | null;
  readonly endToEndId: string | null;
  /** CdtrRefInf/Ref of the structured remittance information (every one given). */
  readonly structuredReferences: readonly string[];
  /** Ustrd lines, joined with a space. */
  readonly unstructured: string;
  readonly debtorName: string | null;
  readonly debtorIban: string | null;
}

export interface ParsedStatement {
  /** 2 to 8: the camt.053.001.0X version. */
  readonly version: number;
  readonly messageId: string | null;
  readonly statements: readonly {
    readonly id: string;
    readonly iban: string | null;
    readonly currency: string | null;
    readonly createdAt: string | null;
    readonly from: string | null;
    readonly to: string | null;
    readonly entries: readonly StatementEntry[];
  }[];
}

const hash = (parts: readonly (string | null)[]): string =>
  createHash('sha256')
    .update(parts.map((part) => part ?? '').join('\u001f'))
    .digest('hex')
    .slice(0, 26);

/**
 * Adopted: an entry's identity (the same money in two statements, e.g. overlapping date ranges, is one entry):
 * 1. the bank's own reference of the entry (Ntry/AcctSvcrRef), with the account's IBAN;
 * 2. else the bank's reference of the transaction (TxDtls/Refs/AcctSvcrRef);
 * 3. else a hash of the fields a bank does not change between statements (account, booking and value date,
 *    direction, amount and currency, debtor name and IBAN, end-to-end id, references, remittance text) plus the
 *    occurrence number among identical entries of the same statement (two equal transfers on one day stay two).
 * NtryRef is not used: many banks number entries per statement, so it is not stable across statements.
 * A batch entry (several TxDtls, each with its own amount) is read as one line per transaction, each with its own
 * identity (its TxDtls/Refs/AcctSvcrRef, else its fields).
 */
export function entryIdentity(iban: string | null, stable: StableFields, occurrence: number): string {
  if (stable.accountServicerReference) return `e${hash(['asr', iban, stable.accountServicerReference])}`;
  return `e${hash([
    'fields',
    iban,
    stable.bookingDate,
    stable.valueDate,
    stable.direction,
    stable.amount,
    stable.currency,
    stable.debtorName,
    stable.debtorIban,
    stable.endToEndId,
    stable.structuredReferences.join(','),
    stable.unstructured,
    String(occurrence),
  ])}`;
}

function refuseHostile(xml: string): void {
  if (Buffer.byteLength(xml, 'utf8') > MAX_STATEMENT_BYTES)
    throw new StatementRefused(413, `a statement may be at most ${MAX_STATEMENT_BYTES} bytes`);
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml))
    throw new StatementRefused(400, 'DOCTYPE and ENTITY declarations are not allowed in a bank statement');
  if (xml.trim() === '') throw new StatementRefused(400, 'the body is empty');
}

/** The document's BkToCstmrStmt message and its camt.053 version, or why it is refused. */
function readMessage(xml: string): { message: Node; version: string } {
  refuseHostile(xml);
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true)
    throw new StatementRefused(400, `the body is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let document: Node;
  try {
    document = parser.parse(xml) as Node;
  } catch (error) {
    throw new StatementRefused(400, `the body is not well-formed XML: ${(error as Error).message}`);
  }
  const root = document.Document;
  if (!root || typeof root !== 'object' || Array.isArray(root))
    throw new StatementRefused(422, 'not an ISO 20022 message: the root element must be Document');
  const namespace = rootNamespace(xml);
  const version = namespace ? NAMESPACE.exec(namespace)?.[1] : undefined;
  if (version === undefined)
    throw new StatementRefused(
      422,
      `not a CAMT.053 statement (camt.053.001.02 to .08): the document's namespace is ${namespace ?? 'missing'}`,
    );
  const message = (root as Node).BkToCstmrStmt;
  if (!message || typeof message !== 'object')
    throw new StatementRefused(422, 'a camt.053 Document must hold BkToCstmrStmt');
  return { message: message as Node, version };
}

type StableFields = Omit<StatementEntry, 'entryId' | 'position' | 'minor' | 'status'>;

/** What a bank does not change between statements, of one transaction (`tx`) of an entry. */
function stableFields(
  ntry: unknown,
  tx: unknown,
  own: { amount: string; currency: string },
  credit: boolean,
  split: boolean,
): StableFields {
  const rmt = child(tx, 'RmtInf');
  const structuredReferences = list(rmt, 'Strd')
    .flatMap((strd) => list(strd, 'CdtrRefInf').map((info) => text(info, 'Ref')))
    .filter((ref): ref is string => ref !== null);
  return {
    direction: credit ? 'credit' : 'debit',
    reversal: text(ntry, 'RvslInd') === 'true',
    amount: own.amount,
    currency: own.currency,
    bookingDate: date(ntry, 'BookgDt'),
    valueDate: date(ntry, 'ValDt'),
    accountServicerReference: split
      ? text(tx, 'Refs', 'AcctSvcrRef')
      : (text(ntry, 'AcctSvcrRef') ?? text(tx, 'Refs', 'AcctSvcrRef')),
    endToEndId: text(tx, 'Refs', 'EndToEndId'),
    structuredReferences,
    unstructured: list(rmt, 'Ustrd')
      .map((line) => (typeof line === 'string' ? decodeEntities(line) : (text({ x: line }, 'x') ?? '')))
      .join(' ')
      .trim(),
    debtorName: debtorName(child(tx, 'RltdPties')),
    debtorIban: text(tx, 'RltdPties', 'DbtrAcct', 'Id', 'IBAN')?.replace(/\s/g, '').toUpperCase() ?? null,
  };
}

/**
 * The lines of one Ntry (one per transaction of a batch entry whose transactions carry their own amounts).
 * `seen` counts identical entries of the statement (their occurrence number is part of their identity).
 */
function readEntry(ntry: unknown, where: string, iban: string | null, seen: Map<string, number>): StatementEntry[] {
  const entryAmount = amountOf(ntry);
  const indicator = text(ntry, 'CdtDbtInd');
  if (!entryAmount || (indicator !== 'CRDT' && indicator !== 'DBIT'))
    throw new StatementRefused(422, `${where}: Amt with Ccy and CdtDbtInd CRDT or DBIT are required`);
  if (!/^\d{1,15}(\.\d{1,5})?$/.test(entryAmount.amount))
    throw new StatementRefused(422, `${where}: Amt ${entryAmount.amount} is not an amount`);
  const status = text(ntry, 'Sts') ?? text(ntry, 'Sts', 'Cd') ?? 'BOOK';
  const transactions = list(child(ntry, 'NtryDtls'), 'TxDtls');
  const split = transactions.length > 1 && transactions.every((tx) => amountOf(tx) !== null);
  const parts = split ? transactions : [transactions[0]];
  return parts.map((tx) => {
    const own = split ? (amountOf(tx) ?? entryAmount) : entryAmount;
    const stable = stableFields(ntry, tx, own, indicator === 'CRDT', split);
    const fingerprint = JSON.stringify(stable);
    const occurrence = (seen.get(fingerprint) ?? 0) + 1;
    seen.set(fingerprint, occurrence);
    const entryId = entryIdentity(iban, stable, occurrence);
    let minor: MinorUnits | null = null;
    if (isSupportedCurrency(own.currency)) {
      try {
        minor = fromMajor(own.amount, own.currency);
      } catch {
        throw new StatementRefused(422, `${where}: ${own.amount} has too many decimals for ${own.currency}`);
      }
    }
    return { position: 0, entryId, status, minor, ...stable };
  });
}

function readStatement(stmt: unknown, s: number): ParsedStatement['statements'][number] {
  const iban = text(stmt, 'Acct', 'Id', 'IBAN')?.replace(/\s/g, '').toUpperCase() ?? null;
  const id = text(stmt, 'Id');
  if (!id) throw new StatementRefused(422, `statement ${s + 1} has no Id`);
  const seen = new Map<string, number>();
  const entries = list(stmt, 'Ntry').flatMap((ntry, n) =>
    readEntry(ntry, `statement ${id}, entry ${n + 1}`, iban, seen),
  );
  return {
    id,
    iban,
    currency: text(stmt, 'Acct', 'Ccy'),
    createdAt: text(stmt, 'CreDtTm'),
    from: text(stmt, 'FrToDt', 'FrDtTm')?.slice(0, 10) ?? null,
    to: text(stmt, 'FrToDt', 'ToDtTm')?.slice(0, 10) ?? null,
    entries,
  };
}

export function parseCamt053(xml: string): ParsedStatement {
  const { message, version } = readMessage(xml);
  const statements = list(message, 'Stmt').map(readStatement);
  if (statements.length === 0) throw new StatementRefused(422, 'the document holds no Stmt');
  let position = 0;
  return {
    version: Number(version),
    messageId: text(message, 'GrpHdr', 'MsgId'),
    statements: statements.map((stmt) => ({
      ...stmt,
      entries: stmt.entries.map((entry) => ({ ...entry, position: ++position })),
    })),
  };
}

/** The id of an imported document: a hash of what it says (accounts, statement ids, entry identities, in order). */
export function statementIdOf(parsed: ParsedStatement): string {
  return `s${hash(parsed.statements.flatMap((s) => [s.iban, s.id, ...s.entries.map((e) => e.entryId)]))}`;
}
