import {
  change,
  closed,
  create,
  date,
  decimal,
  id,
  list,
  minor,
  nullable,
  obj,
  type Operations,
  page,
  paged,
  path,
  query,
  readOne,
  ref,
  type Schemas,
  str,
  withId,
} from './schema.ts';

/** The work a firm records against projects (functions/setup): transactions, their CSV import, milestones. */
const transactionInput = closed(
  {
    projectId: id,
    type: { enum: ['time', 'expense', 'material', 'fee'] },
    date,
    contractLineId: id,
    resource: nullable(str({ minLength: 1, maxLength: 100 })),
    orgUnit: nullable(str({ minLength: 1, maxLength: 64 })),
    description: str({ minLength: 1, maxLength: 500 }),
    printedDescription: str({ minLength: 1, maxLength: 500 }),
    quantity: decimal,
    unit: str({ minLength: 1, maxLength: 20 }),
    unitPrice: decimal,
    tax: ref('TaxRate'),
    billingType: { enum: ['chargeable', 'complimentary', 'non_chargeable', 'not_available'] },
    approved: { type: 'boolean' },
    onHold: { type: 'boolean' },
  },
  [
    'projectId',
    'type',
    'date',
    'contractLineId',
    'description',
    'quantity',
    'unit',
    'unitPrice',
    'tax',
    'billingType',
    'approved',
    'onHold',
  ],
);

const milestoneInput = closed(
  {
    projectId: id,
    contractLineId: id,
    description: str({ minLength: 1, maxLength: 500 }),
    amount: { type: 'integer', minimum: 0, maximum: 9007199254740991 },
    date,
    readyForInvoicing: { type: 'boolean' },
    tax: ref('TaxRate'),
  },
  ['projectId', 'contractLineId', 'description', 'amount', 'date', 'readyForInvoicing', 'tax'],
);

export const recordedWorkSchemas: Schemas = {
  TransactionImport: closed(
    { locale: { enum: ['nl', 'en'] }, csv: str({ minLength: 1, maxLength: 1_000_000, 'x-multiline': true }) },
    ['locale', 'csv'],
  ),
  ImportResult: obj({ rows: { type: 'integer' }, created: { type: 'integer' }, unchanged: { type: 'integer' } }, [
    'rows',
    'created',
    'unchanged',
  ]),
  TransactionInput: transactionInput,
  Transaction: obj(
    {
      id: str(),
      projectId: str(),
      type: str(),
      date,
      quantity: decimal,
      unitPrice: decimal,
      billingState: { enum: ['unbilled', 'reserved', 'billed'] },
      reservedBy: nullable(str()),
      contractLineId: str(),
      description: str(),
      resource: nullable(str()),
      unit: str(),
      billingType: str(),
      approved: { type: 'boolean' },
      onHold: { type: 'boolean' },
      version: { type: 'integer' },
    },
    ['id', 'projectId', 'type', 'date', 'billingState', 'version'],
  ),
  MilestoneInput: milestoneInput,
  Milestone: obj(
    {
      id: str(),
      projectId: str(),
      contractLineId: str(),
      description: str(),
      amount: minor,
      date,
      readyForInvoicing: { type: 'boolean' },
      invoicedBy: nullable(str()),
      version: { type: 'integer' },
    },
    ['id', 'projectId', 'amount', 'readyForInvoicing', 'version'],
  ),
  TransactionCreate: withId(transactionInput),
  MilestoneCreate: withId(milestoneInput),
  TransactionPage: page('Transaction'),
  MilestoneList: list('Milestone'),
};

/** The CSV import, on the project's path (beside the project's routes). */
export const transactionImportOperations: Operations = {
  'POST /projects/{projectId}/transactions/import': {
    summary:
      'Import time and expense entries from CSV: every row validated first (422 with row, field, message; nothing written), then all written; the same file again adds nothing',
    parameters: [path('projectId')],
    body: 'TransactionImport',
    success: [200, 'ImportResult'],
  },
};

const transactionId = path('transactionId');

export const recordedWorkOperations: Operations = {
  'GET /transactions': paged('Transactions of a project', [query('projectId', id, true)], 'TransactionPage'),
  'POST /transactions': create('Record a transaction', 'TransactionCreate', 'Transaction'),
  'GET /transactions/{transactionId}': readOne('A transaction', transactionId, 'Transaction'),
  'PUT /transactions/{transactionId}': change(
    'Change an unbilled transaction (409 once invoiced)',
    [transactionId],
    'TransactionInput',
    'Transaction',
  ),
  'GET /milestones': {
    summary: 'Milestones of a project',
    parameters: [query('projectId', id, true)],
    success: [200, 'MilestoneList'],
  },
  'POST /milestones': create('Create a milestone', 'MilestoneCreate', 'Milestone'),
  'PUT /milestones/{milestoneId}': change(
    'Change a milestone (e.g. mark ready for invoicing); 409 once invoiced',
    [path('milestoneId')],
    'MilestoneInput',
    'Milestone',
  ),
};
