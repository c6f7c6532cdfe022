import {
  change,
  closed,
  date,
  id,
  invoiceId,
  minor,
  nullable,
  obj,
  type Operations,
  page,
  paged,
  path,
  ref,
  type Schemas,
  str,
} from './schema.ts';

/** Payments (functions/payments): recorded by hand, reversed, or imported from CAMT.053 bank statements. */
const bankStatementHeader = {
  id: str(),
  status: { enum: ['importing', 'imported'] },
  messageId: nullable(str()),
  statements: { type: 'array', items: { type: 'object' } },
};

export const paymentSchemas: Schemas = {
  Payment: closed(
    {
      paymentId: id,
      amount: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
      currency: str({ pattern: '^[A-Z]{3}$' }),
      date,
      method: str({ minLength: 1, maxLength: 40 }),
      reference: nullable(str({ maxLength: 140 })),
    },
    ['paymentId', 'amount', 'currency', 'date', 'method'],
  ),
  Reversal: closed({ reversalId: id, date, reason: nullable(str({ maxLength: 500, 'x-multiline': true })) }, [
    'reversalId',
    'date',
  ]),
  BankEntryOutcome: obj(
    {
      position: { type: 'integer', minimum: 1 },
      entryId: str(),
      outcome: {
        enum: ['pending', 'payment', 'proposed', 'unmatched', 'unapplied', 'assigned', 'duplicate', 'ignored'],
      },
      amount: str(),
      currency: str(),
      direction: { enum: ['credit', 'debit'] },
      bookingDate: nullable(str()),
      debtorName: nullable(str()),
      debtorIban: nullable(str()),
      references: { type: 'array', items: str() },
      unstructured: str(),
      reason: nullable({ enum: ['debit', 'currency', 'account', 'not_booked', 'reversal'] }),
      invoiceId: nullable(str()),
      invoiceNumber: nullable(str()),
      customerId: nullable(str()),
      matchedBy: nullable({ enum: ['structured', 'unstructured', 'amount_and_debtor', 'person'] }),
      applied: nullable(minor),
      unapplied: nullable(minor),
      duplicateOf: nullable(obj({ statementId: str(), position: { type: 'integer' } }, ['statementId', 'position'])),
    },
    ['position', 'entryId', 'outcome', 'amount', 'currency', 'direction', 'reason', 'invoiceId'],
  ),
  BankStatement: obj(
    {
      ...bankStatementHeader,
      importedAt: str(),
      importedBy: str(),
      duplicate: { type: 'boolean' },
      counts: { type: 'object', additionalProperties: { type: 'integer' } },
      entries: { type: 'array', items: ref('BankEntryOutcome') },
    },
    ['id', 'status', 'entries', 'counts'],
  ),
  BankStatementSummary: obj(
    { ...bankStatementHeader, lineCount: { type: 'integer' }, importedAt: str(), importedBy: str() },
    ['id', 'status', 'importedAt'],
  ),
  Assignment: closed({ invoiceId: id, customerId: id }, [], { minProperties: 1, maxProperties: 1 }),
  BankStatementPage: page('BankStatementSummary'),
};

/** The payments of one invoice (in the invoice's routes, after recalculate). */
export const invoicePaymentOperations: Operations = {
  'POST /invoices/{invoiceId}/payments': change(
    'Record a payment (partial allowed, overpayment refused)',
    [invoiceId],
    'Payment',
    'ChangeResult',
  ),
  'POST /invoices/{invoiceId}/payments/{paymentId}/reversal': change(
    'Reverse a payment',
    [invoiceId, path('paymentId')],
    'Reversal',
    'ChangeResult',
  ),
};

export const bankStatementOperations: Operations = {
  'POST /bank-statements': {
    summary:
      'Import a CAMT.053 bank statement (001.02 to 001.08): credit entries become payments (by reference), proposals (amount and debtor) or unmatched; duplicates, debits, other currencies and accounts are reported and ignored',
    bodyMedia: 'application/xml',
    success: [201, 'BankStatement'],
    alsoSuccess: 200,
  },
  'GET /bank-statements': paged('Imported bank statements, newest first', [], 'BankStatementPage'),
  'GET /bank-statements/{statementId}': {
    summary: 'A bank statement with every entry and its outcome (the match report)',
    parameters: [path('statementId')],
    success: [200, 'BankStatement'],
  },
  'POST /bank-entries/{entryId}/assignment': {
    summary:
      'Confirm a proposal or assign an unmatched entry: to an invoice (invoiceId; an over-payment rest stays on the customer) or as unapplied money on a customer (customerId)',
    parameters: [path('entryId')],
    body: 'Assignment',
    success: [200, 'BankEntryOutcome'],
  },
};
