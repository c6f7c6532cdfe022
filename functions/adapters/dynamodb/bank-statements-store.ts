import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, documents, isConditionFailure, tableName } from './client.ts';
import { index, keys, openInvoiceSortKey } from './keys.ts';
import { withoutKeys } from './items.ts';
import type { TransactItem } from './invoice-changes-store.ts';
import { queryAll } from './projects-store.ts';

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
export type LineState =
  | 'pending'
  | 'payment'
  | 'proposed'
  | 'unmatched'
  | 'unapplied'
  | 'assigned'
  | 'duplicate'
  | 'ignored';

export type IgnoredReason = 'debit' | 'currency' | 'account' | 'not_booked' | 'reversal';

export interface StatementLine {
  readonly statementId: string;
  readonly position: number;
  readonly entryId: string;
  readonly state: LineState;
  readonly direction: 'credit' | 'debit';
  readonly amount: string;
  readonly currency: string;
  readonly minor: number | null;
  readonly bookingDate: string | null;
  readonly valueDate: string | null;
  readonly debtorName: string | null;
  readonly debtorIban: string | null;
  readonly structuredReferences: readonly string[];
  readonly unstructured: string;
  readonly accountServicerReference: string | null;
  readonly endToEndId: string | null;
  readonly account: string | null;
  readonly reason?: IgnoredReason;
  /** payment / assigned / unapplied / proposed: the invoice (and its customer). */
  readonly invoiceId?: string;
  readonly customerId?: string | null;
  /** How the invoice was found: a structured reference, one in the text, amount and debtor, or a person. */
  readonly matchedBy?: 'structured' | 'unstructured' | 'amount_and_debtor' | 'person';
  /** Minor units applied to the invoice, and kept as unapplied money on the customer. */
  readonly applied?: number;
  readonly unapplied?: number;
  /** duplicate: where the entry was first imported. */
  readonly duplicateOf?: { readonly statementId: string; readonly position: number };
  readonly decidedBy?: string;
  readonly decidedAt?: string;
}

export interface StatementRecord {
  readonly id: string;
  readonly status: 'importing' | 'imported';
  readonly version: number;
  readonly messageId: string | null;
  readonly statements: readonly {
    readonly id: string;
    readonly iban: string | null;
    readonly from: string | null;
    readonly to: string | null;
  }[];
  readonly lineCount: number;
  readonly importedAt: string;
  readonly importedBy: string;
}

export async function statementRecord(statementId: string): Promise<StatementRecord | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.bankStatement(statementId), ConsistentRead: true }),
  );
  return Item ? withoutKeys<StatementRecord>(Item) : undefined;
}

/** Creates the statement record; false when it exists (a retry, or the same document imported at the same time). */
export async function createStatementRecord(record: StatementRecord): Promise<boolean> {
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

export async function markStatementImported(statementId: string): Promise<void> {
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

export async function statementLine(statementId: string, position: number): Promise<StatementLine | undefined> {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.bankStatementLine(statementId, position),
      ConsistentRead: true,
    }),
  );
  return Item ? withoutKeys<StatementLine>(Item) : undefined;
}

export function lineItem(line: StatementLine): Record<string, unknown> {
  return { ...keys.bankStatementLine(line.statementId, line.position), entity: 'BankStatementLine', ...line };
}

/** A line that is only reported (ignored, duplicate): written once; a retry finds it written. */
export async function putReportedLine(line: StatementLine): Promise<void> {
  try {
    await documents.send(
      new PutCommand({ TableName: tableName(), Item: lineItem(line), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export interface EntryClaim {
  readonly entryId: string;
  readonly statementId: string;
  readonly position: number;
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
export async function claimEntry(line: StatementLine): Promise<EntryClaim> {
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
export function settleLineItem(
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
export function unappliedMoneyItem(record: {
  customerId: string;
  entryId: string;
  amount: number;
  currency: string;
  invoiceId: string | null;
  statementId: string;
  position: number;
  receivedOn: string | null;
  recordedAt: string;
}): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.unappliedMoney(record.customerId, record.entryId), entity: 'UnappliedMoney', ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Remembers which customer an account pays for (overwritten by the latest applied payment). */
export function debtorAccountItem(iban: string, customerId: string, at: string): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { pk: `DEBTORIBAN#${iban}`, sk: 'DEBTOR', entity: 'DebtorAccount', iban, customerId, at },
    },
  };
}

export async function settleLine(item: TransactItem, more: readonly TransactItem[] = []): Promise<boolean> {
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: [item, ...more] }));
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

// Lookups for matching -----------------------------------------------------------------------------------------

/** A26: the invoice a canonical payment reference belongs to. */
export async function invoiceOfReference(
  canonical: string,
): Promise<{ invoiceId: string; customerId: string | null } | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: keys.paymentReference(canonical), ConsistentRead: true }),
  );
  return Item
    ? { invoiceId: Item.invoiceId as string, customerId: (Item.customerId as string | null) ?? null }
    : undefined;
}

/** A29: open invoices of a customer whose balance is exactly `balance` (at most `limit`). */
export async function openInvoicesWithBalance(
  customerId: string,
  currency: string,
  balance: number,
  limit = 2,
): Promise<string[]> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :sk)',
      ExpressionAttributeValues: {
        ':pk': index.openInvoices(customerId),
        ':sk': openInvoiceSortKey(currency, balance, ''),
      },
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((item) => (item.pk as string).slice('INVOICE#'.length));
}

/** A2 by name: customers whose name is `name` (case-insensitive, exact). */
export async function customersNamed(name: string): Promise<string[]> {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :name)',
      ExpressionAttributeValues: { ':pk': 'CUSTOMERS', ':name': `${name.toLowerCase()}#` },
      Limit: 10,
    }),
  );
  return (page.Items ?? []).map((item) => item.id as string);
}

/** A36: the customer an account's payments were applied to before. */
export async function customerOfAccount(iban: string): Promise<string | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(), Key: { pk: `DEBTORIBAN#${iban}`, sk: 'DEBTOR' } }),
  );
  return Item ? (Item.customerId as string) : undefined;
}

/** Invoice numbers for the report (BatchGet of the headers, projection of id and number). */
export async function invoiceNumbers(invoiceIds: readonly string[]): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>();
  const unique = [...new Set(invoiceIds)];
  for (let start = 0; start < unique.length; start += 100) {
    let request: Record<string, unknown>[] | undefined = unique
      .slice(start, start + 100)
      .map((id) => keys.invoiceHeader(id));
    for (let attempt = 0; request && request.length > 0 && attempt < 5; attempt++) {
      const response = await documents.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: request,
              ProjectionExpression: 'id, #number',
              ExpressionAttributeNames: { '#number': 'number' },
            },
          },
        }),
      );
      for (const item of response.Responses?.[tableName()] ?? [])
        result.set(item.id as string, (item.number as string | null) ?? null);
      request = response.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return result;
}
