import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, documents, isConditionFailure, tableName } from './client.ts';
import { index, keys } from './keys.ts';
import { withoutKeys } from './items.ts';
import type { TransactItem } from './invoice-changes-store.ts';
import { invoiceNumbers } from './bank-entry-lookups.ts';
import { queryAll } from './projects-store.ts';
import type {
  BankStatements,
  EntryClaim,
  LineSettlement,
  LineState,
  StatementLine,
  StatementRecord,
  UnappliedMoney,
} from '../../payments/ports.ts';

/**
 * Bank statements (CAMT.053 imports) and what became of each entry. Items (table-design.md):
 * - `BANKSTATEMENT#<s>` / `STATEMENT`: the imported document (account, statement ids, status importing -> imported),
 *   listed newest first in gsi1 `BANKSTATEMENTS` (A27).
 * - `BANKSTATEMENT#<s>` / `LINE#<position>`: one per entry of the document with its outcome (the one truth of it).
 * - `BANKENTRY#<e>` / `ENTRY`: the claim of an entry's identity by the first statement and line that brought it;
 *   an entry seen again (same statement, or another one) finds the claim and is a duplicate (A28).
 * - `CUSTOMER#<c>` / `UNAPPLIED#<e>`: money received and not applied to an invoice (A30).
 * - `DEBTORIBAN#<iban>` / `DEBTOR`: the customer an account's payments were last applied to (A36).
 */
async function statementRecord(statementId: string): Promise<StatementRecord | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.bankStatement(statementId), ConsistentRead: true }),
  );
  return Item ? withoutKeys<StatementRecord>(Item) : undefined;
}

/** Creates the statement record; false when it exists (a retry, or the same document imported at the same time). */
async function createStatementRecord(record: StatementRecord): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.bankStatement(record.id),
          entity: 'BankStatement',
          ...record,
          gsi1pk: index.bankStatements(),
          gsi1sk: `${record.importedAt}#${record.id}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

async function markStatementImported(statementId: string): Promise<void> {
  try {
    await documents.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.bankStatement(statementId),
        UpdateExpression: 'SET #status = :imported',
        ConditionExpression: '#status = :importing',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':importing': 'importing', ':imported': 'imported' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** A27: statements, newest first. */
export async function statementsPage(
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<{ items: StatementRecord[]; next: Record<string, unknown> | undefined }> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': index.bankStatements() },
      ScanIndexForward: false,
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  return { items: (page.Items ?? []).map((item) => withoutKeys<StatementRecord>(item)), next: page.LastEvaluatedKey };
}

/** A27: every line of a statement, in document order. */
export async function statementLines(statementId: string): Promise<StatementLine[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :line)',
    ExpressionAttributeValues: { ':pk': keys.bankStatement(statementId).pk, ':line': 'LINE#' },
    ConsistentRead: true,
  });
  return items.map((item) => withoutKeys<StatementLine>(item));
}

async function statementLine(statementId: string, position: number): Promise<StatementLine | undefined> {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.bankStatementLine(statementId, position),
      ConsistentRead: true,
    }),
  );
  return Item ? withoutKeys<StatementLine>(Item) : undefined;
}

function lineItem(line: StatementLine): Record<string, unknown> {
  return { ...keys.bankStatementLine(line.statementId, line.position), entity: 'BankStatementLine', ...line };
}

/** A line that is only reported (ignored, duplicate): written once; a retry finds it written. */
async function putReportedLine(line: StatementLine): Promise<void> {
  try {
    await documents.send(
      new PutCommand({ TableName: tableName(), Item: lineItem(line), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export async function entryClaim(entryId: string): Promise<EntryClaim | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.bankEntry(entryId), ConsistentRead: true }),
  );
  return Item ? withoutKeys<EntryClaim>(Item) : undefined;
}

/**
 * Claims an entry's identity for this line and writes the line `pending`, in one transaction. Returns the claim
 * that holds: this line's own (new, or from an earlier attempt of the same import), or another line's (duplicate).
 */
async function claimEntry(line: StatementLine): Promise<EntryClaim> {
  const claim: EntryClaim = { entryId: line.entryId, statementId: line.statementId, position: line.position };
  try {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.bankEntry(line.entryId), entity: 'BankEntry', ...claim },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: lineItem({ ...line, state: 'pending' }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return claim;
  } catch (error) {
    if (!cancellationCodes(error)?.includes('ConditionalCheckFailed')) throw error;
    const holder = await entryClaim(line.entryId);
    if (!holder) throw new Error(`entry ${line.entryId}: the claim failed but there is none`);
    return holder;
  }
}

/** The line's move from one of `from` to its outcome, as a transaction item (with the payment, or alone). */
function settleLineItem(
  line: Pick<StatementLine, 'statementId' | 'position'>,
  from: readonly LineState[],
  outcome: Partial<StatementLine> & { state: LineState },
): TransactItem {
  const names: Record<string, string> = { '#state': 'state' };
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  Object.entries(outcome).forEach(([name, value], i) => {
    if (value === undefined) return;
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
  });
  from.forEach((state, i) => {
    values[`:from${i}`] = state;
  });
  return {
    Update: {
      TableName: tableName(),
      Key: keys.bankStatementLine(line.statementId, line.position),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Money kept on a customer: written once per entry (a retry writes nothing new). */
function unappliedMoneyItem(record: UnappliedMoney): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.unappliedMoney(record.customerId, record.entryId), entity: 'UnappliedMoney', ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Remembers which customer an account pays for (overwritten by the latest applied payment). */
function debtorAccountItem(iban: string, customerId: string, at: string): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { pk: `DEBTORIBAN#${iban}`, sk: 'DEBTOR', entity: 'DebtorAccount', iban, customerId, at },
    },
  };
}

/** The settlement as transaction items: the line's move first, then the money kept and the account remembered. */
export function settlementItems(settlement: LineSettlement): TransactItem[] {
  const { unapplied, debtorAccount } = settlement;
  return [
    settleLineItem(settlement.line, settlement.from, settlement.outcome),
    ...(unapplied ? [unappliedMoneyItem(unapplied)] : []),
    ...(debtorAccount ? [debtorAccountItem(debtorAccount.iban, debtorAccount.customerId, debtorAccount.at)] : []),
  ];
}

/** Writes a settlement alone (no payment); false when the line is no longer in one of `from`. */
async function settleLine(settlement: LineSettlement): Promise<boolean> {
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: settlementItems(settlement) }));
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** A30: unapplied money of a customer. */
export async function unappliedMoneyOf(customerId: string): Promise<Record<string, unknown>[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :u)',
    ExpressionAttributeValues: { ':pk': keys.customer(customerId).pk, ':u': 'UNAPPLIED#' },
    ConsistentRead: true,
  });
  return items.map((item) => withoutKeys(item));
}

/** The statements port of the payment use cases (functions/payments/ports.ts). */
export const bankStatements: BankStatements = {
  record: statementRecord,
  create: createStatementRecord,
  markImported: markStatementImported,
  lines: statementLines,
  line: statementLine,
  putReported: putReportedLine,
  claim: claimEntry,
  entryClaim,
  settle: settleLine,
  invoiceNumbers,
};
