import { routes } from '../../infra/definitions/routes.ts';

/**
 * THE contract of the portal API: an OpenAPI 3.1 document built here (JSON Schema 2020-12), served at
 * GET /openapi.json. Requests are validated against the operation's `parameters` and `requestBody` schemas
 * (functions/shared/http-api.ts); tests check every response against the operation's responses.
 * Operations are keyed by the route table's routeKey, so a route without an operation fails a unit test.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const id = str({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._~:-]*$' });
const date = str({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' });
const decimal = str({ pattern: '^-?\\d{1,12}(\\.\\d{1,4})?$' });
const minor = { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const obj = (properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  required,
  ...extra,
});
const closed = (properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema =>
  obj(properties, required, { additionalProperties: false, ...extra });
const page = (item: string): Schema =>
  obj({ items: { type: 'array', items: ref(item) }, next: nullable(str()) }, ['items', 'next']);

const schemas: Record<string, Schema> = {
  GatewayMessage: obj({ message: str() }, ['message']),
  Problem: obj(
    { type: str(), title: str(), status: { type: 'integer', minimum: 400, maximum: 599 }, detail: str(), field: str() },
    ['type', 'title', 'status'],
  ),
  TaxRate: closed(
    {
      code: str({ minLength: 1, maxLength: 32 }),
      category: { enum: ['S', 'AA', 'Z', 'E', 'AE', 'K', 'G', 'O'] },
      rate: str({ pattern: '^\\d{1,3}(\\.\\d{1,4})?$' }),
    },
    ['code', 'category', 'rate'],
  ),
  Totals: obj(
    {
      net: minor,
      waived: minor,
      tax: minor,
      total: minor,
      paid: minor,
      credited: minor,
      balance: minor,
      taxes: { type: 'array', items: { type: 'object' } },
    },
    ['net', 'tax', 'total', 'paid', 'balance'],
  ),
  Invoice: obj(
    {
      id: str(),
      kind: { enum: ['invoice', 'credit_note'] },
      number: nullable(str()),
      status: {
        enum: ['building', 'draft', 'in_review', 'issued', 'partially_paid', 'paid', 'cancelled', 'discarded'],
      },
      projectId: str(),
      customerId: nullable(str()),
      currency: str(),
      cutOff: date,
      version: { type: 'integer', minimum: 0 },
      totals: ref('Totals'),
      lines: { type: 'array', items: { type: 'object' } },
      payments: { type: 'array', items: ref('PaymentRecord') },
      detailCount: { type: 'integer' },
      excludedCount: { type: 'integer' },
      createdAt: str(),
      issueDate: nullable(date),
      dueDate: nullable(date),
      paymentTermsDays: { type: 'integer' },
      buyerReference: nullable(str()),
      poNumber: nullable(str()),
      notes: nullable(str()),
      billTo: obj({ name: str(), address: str(), email: nullable(str()) }, ['name', 'email']),
      customer: obj({ name: str(), email: nullable(str()), language: str() }, ['name']),
      creditFor: nullable(str()),
      origin: obj({ kind: { enum: ['run', 'manual', 'credit'] }, runDate: date }, ['kind']),
      review: ref('Review'),
      paymentReference: nullable(str()),
    },
    ['id', 'kind', 'status', 'projectId', 'currency', 'version', 'totals', 'lines'],
  ),
  PaymentRecord: obj(
    {
      id: str(),
      amount: minor,
      date,
      method: str(),
      reference: nullable(str()),
      reversal: nullable(obj({ id: str(), date, reason: nullable(str()) }, ['id', 'date'])),
    },
    ['id', 'amount', 'date', 'method'],
  ),
  Review: obj(
    {
      submittedBy: str(),
      submittedAt: str(),
      approvedBy: nullable(str()),
      approvedAt: nullable(str()),
      returnedBy: nullable(str()),
      returnedAt: nullable(str()),
      comment: nullable(str()),
    },
    ['submittedBy', 'submittedAt', 'approvedBy', 'approvedAt', 'returnedBy', 'returnedAt', 'comment'],
  ),
  EditHeader: closed(
    {
      buyerReference: nullable(str({ maxLength: 100 })),
      poNumber: nullable(str({ maxLength: 100 })),
      notes: nullable(str({ maxLength: 2000, 'x-multiline': true })),
      paymentTermsDays: { type: 'integer', minimum: 0, maximum: 365 },
    },
    [],
    { minProperties: 1 },
  ),
  ManualDetail: closed(
    {
      type: { enum: ['time', 'expense', 'material', 'fee'] },
      contractLineId: id,
      date,
      description: str({ minLength: 1, maxLength: 500 }),
      printedDescription: str({ minLength: 1, maxLength: 500 }),
      resource: nullable(str({ minLength: 1, maxLength: 100 })),
      orgUnit: nullable(str({ minLength: 1, maxLength: 64 })),
      quantity: decimal,
      unit: str({ minLength: 1, maxLength: 20 }),
      unitPrice: decimal,
      tax: ref('TaxRate'),
      billingType: { enum: ['chargeable', 'complimentary'] },
    },
    ['type', 'contractLineId', 'date', 'description', 'quantity', 'unit', 'unitPrice', 'tax'],
  ),
  ReturnToDraft: closed({ comment: str({ minLength: 1, maxLength: 1000, 'x-multiline': true }) }, ['comment']),
  ExcludedWork: obj(
    {
      kind: { enum: ['transaction', 'milestone'] },
      id: str(),
      reason: str(),
      invoiceId: str(),
      date,
      description: str(),
      quantity: decimal,
      unitPrice: decimal,
    },
    ['kind', 'id', 'reason'],
  ),
  ExcludedList: obj({ items: { type: 'array', items: ref('ExcludedWork') } }, ['items']),
  TransactionImport: closed(
    { locale: { enum: ['nl', 'en'] }, csv: str({ minLength: 1, maxLength: 1_000_000, 'x-multiline': true }) },
    ['locale', 'csv'],
  ),
  ImportResult: obj({ rows: { type: 'integer' }, created: { type: 'integer' }, unchanged: { type: 'integer' } }, [
    'rows',
    'created',
    'unchanged',
  ]),
  Settings: obj(
    {
      reviewBeforeSend: { type: 'boolean' },
      timeZone: str({ description: "The firm's IANA time zone (read only): the dates are the firm's calendar dates" }),
    },
    ['reviewBeforeSend', 'timeZone'],
  ),
  SettingsChange: closed({ reviewBeforeSend: { type: 'boolean' } }, [], { minProperties: 1 }),
  InvoiceDetail: obj(
    {
      id: str(),
      type: { enum: ['time', 'expense', 'material', 'fee', 'milestone'] },
      date,
      quantity: decimal,
      unitPrice: decimal,
      net: minor,
      billingType: { enum: ['chargeable', 'complimentary'] },
      tax: ref('TaxRate'),
      description: str(),
      waived: minor,
      unit: str(),
      resource: nullable(str()),
      source: obj(
        { kind: { enum: ['transaction', 'milestone', 'manual'] }, transactionId: str(), milestoneId: str() },
        ['kind'],
      ),
    },
    ['id', 'type', 'quantity', 'unitPrice', 'net', 'billingType', 'tax'],
  ),
  AuditEntry: obj(
    {
      action: str(),
      actor: str(),
      at: str(),
      fromVersion: { type: 'integer' },
      toVersion: { type: 'integer' },
      before: { type: 'object' },
      after: { type: 'object' },
    },
    ['action', 'actor', 'at', 'fromVersion', 'toVersion', 'before', 'after'],
  ),
  InvoiceWithDetails: { allOf: [ref('Invoice'), obj({ details: page('InvoiceDetail') }, ['details'])] },
  Delivery: obj(
    {
      invoiceId: str(),
      deliveryId: str(),
      kind: { enum: ['send', 'resend', 'reminder'] },
      to: str(),
      status: { enum: ['queued', 'sending', 'sent', 'failed', 'unknown'] },
      attempts: { type: 'integer' },
      queuedAt: str(),
      sentAt: nullable(str()),
      sesMessageId: nullable(str()),
      lastError: nullable(str()),
      nextAttemptAt: nullable(str()),
      queuedBy: str(),
    },
    ['invoiceId', 'deliveryId', 'kind', 'to', 'status', 'attempts'],
  ),
  DeliveryList: obj({ items: { type: 'array', items: ref('Delivery') } }, ['items']),
  SendResult: obj({ invoice: ref('Invoice'), delivery: nullable(ref('Delivery')) }, ['invoice', 'delivery']),
  Resend: closed({ to: str({ format: 'email', maxLength: 254 }) }),
  CreditRequest: closed({
    full: { type: 'boolean' },
    details: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: closed(
        {
          detailId: str({ minLength: 1, maxLength: 200 }),
          quantity: decimal,
          amount: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
        },
        ['detailId'],
      ),
    },
  }),
  CreditResult: obj({ invoice: ref('Invoice'), creditNote: ref('Invoice'), delivery: nullable(ref('Delivery')) }, [
    'invoice',
    'creditNote',
    'delivery',
  ]),
  ChangeResult: obj(
    {
      invoice: ref('Invoice'),
      problems: { type: 'array', items: obj({ field: str(), message: str() }, ['field', 'message']) },
    },
    ['invoice', 'problems'],
  ),
  EditDetail: closed(
    {
      quantity: decimal,
      unitPrice: decimal,
      description: str({ minLength: 1, maxLength: 500 }),
      printedDescription: str({ minLength: 1, maxLength: 500 }),
      billingType: { enum: ['chargeable', 'complimentary', 'non_chargeable'] },
      tax: ref('TaxRate'),
    },
    [],
    { minProperties: 1 },
  ),
  Recalculate: closed({ rereadCustomer: { type: 'boolean' } }),
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
      id: str(),
      status: { enum: ['importing', 'imported'] },
      messageId: nullable(str()),
      statements: { type: 'array', items: { type: 'object' } },
      importedAt: str(),
      importedBy: str(),
      duplicate: { type: 'boolean' },
      counts: { type: 'object', additionalProperties: { type: 'integer' } },
      entries: { type: 'array', items: ref('BankEntryOutcome') },
    },
    ['id', 'status', 'entries', 'counts'],
  ),
  BankStatementSummary: obj(
    {
      id: str(),
      status: { enum: ['importing', 'imported'] },
      messageId: nullable(str()),
      statements: { type: 'array', items: { type: 'object' } },
      lineCount: { type: 'integer' },
      importedAt: str(),
      importedBy: str(),
    },
    ['id', 'status', 'importedAt'],
  ),
  Assignment: closed({ invoiceId: id, customerId: id }, [], { minProperties: 1, maxProperties: 1 }),
  PreviewRequest: closed(
    {
      cutOff: date,
      transactionTypes: {
        type: 'array',
        items: { enum: ['time', 'expense', 'material', 'fee'] },
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
      },
      orgUnit: str({ minLength: 1, maxLength: 64 }),
      milestoneIds: { type: 'array', items: id, uniqueItems: true, maxItems: 200 },
    },
    ['cutOff'],
  ),
  Preview: obj(
    {
      token: str(),
      outcome: { enum: ['draft', 'nothing_to_invoice'] },
      invoice: nullable(
        obj(
          {
            currency: str(),
            totals: ref('Totals'),
            lines: { type: 'array', items: { type: 'object' } },
            details: { type: 'array', items: ref('InvoiceDetail') },
          },
          ['totals', 'lines', 'details'],
        ),
      ),
      excluded: { type: 'array', items: obj({ kind: str(), id: str(), reason: str() }, ['kind', 'id', 'reason']) },
    },
    ['token', 'outcome', 'invoice', 'excluded'],
  ),
  FinishRequest: closed({ token: str({ minLength: 1, maxLength: 4_000_000 }) }, ['token']),
  PostalAddress: closed(
    {
      lines: { type: 'array', items: str({ minLength: 1, maxLength: 100 }), minItems: 1, maxItems: 3 },
      postalCode: nullable(str({ minLength: 1, maxLength: 16 })),
      city: str({ minLength: 1, maxLength: 100 }),
      subdivision: nullable(str({ minLength: 1, maxLength: 100 })),
      country: str({ pattern: '^[A-Z0-9]{2}$', description: 'ISO 3166-1 alpha-2' }),
    },
    ['lines', 'postalCode', 'city', 'subdivision', 'country'],
  ),
  ElectronicAddress: closed(
    {
      scheme: str({ pattern: '^\\d{4}$', description: 'Peppol EAS code, e.g. 0106 (KvK), 0208 (KBO)' }),
      identifier: str({ minLength: 1, maxLength: 50 }),
    },
    ['scheme', 'identifier'],
  ),
  CustomerInput: closed(
    {
      name: str({ minLength: 1, maxLength: 200 }),
      address: str({
        minLength: 1,
        maxLength: 1000,
        description: 'Legacy free-text address (read only on old customers)',
        'x-multiline': true,
      }),
      postalAddress: ref('PostalAddress'),
      electronicAddress: nullable(ref('ElectronicAddress')),
      email: nullable(str({ format: 'email', maxLength: 254 })),
      taxId: nullable(str({ minLength: 1, maxLength: 32 })),
      language: str({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }),
      reverseCharge: { type: 'boolean' },
      paymentTermsDays: nullable({
        type: 'integer',
        minimum: 0,
        maximum: 365,
        description: "Default payment terms of the customer's projects (a project's own terms win)",
      }),
    },
    ['name', 'postalAddress', 'email', 'taxId', 'language'],
  ),
  Customer: obj(
    {
      id: str(),
      name: str(),
      address: str(),
      postalAddress: nullable(ref('PostalAddress')),
      electronicAddress: nullable(ref('ElectronicAddress')),
      email: nullable(str()),
      taxId: nullable(str()),
      language: str(),
      reverseCharge: { type: 'boolean' },
      paymentTermsDays: nullable({ type: 'integer' }),
      version: { type: 'integer' },
    },
    ['id', 'name', 'version'],
  ),
  ContractLine: closed(
    {
      id,
      description: str({ minLength: 1, maxLength: 200 }),
      billingMethod: { enum: ['time_and_material', 'fixed_price'] },
      notToExceed: nullable({ type: 'integer', minimum: 0, maximum: 9007199254740991 }),
    },
    ['id', 'description', 'billingMethod'],
  ),
  ProjectInput: closed(
    {
      name: str({ minLength: 1, maxLength: 200 }),
      customerId: id,
      currency: str({ pattern: '^[A-Z]{3}$' }),
      orgUnit: nullable(str({ minLength: 1, maxLength: 64 })),
      frequency: { type: 'object', additionalProperties: true },
      contractLines: { type: 'array', items: ref('ContractLine'), minItems: 1, maxItems: 50 },
      paymentTermsDays: nullable({
        type: 'integer',
        minimum: 0,
        maximum: 365,
        description: "Absent or null: the customer's payment terms (else 30 days) apply to the project's invoices",
      }),
      buyerReference: nullable(str({ minLength: 1, maxLength: 100 })),
    },
    ['name', 'customerId', 'currency', 'orgUnit', 'frequency', 'contractLines'],
  ),
  Project: obj(
    {
      id: str(),
      name: str(),
      customerId: str(),
      currency: str(),
      orgUnit: nullable(str()),
      frequency: { type: 'object', additionalProperties: true },
      contractLines: { type: 'array', items: obj({ id: str(), description: str(), billingMethod: str() }, ['id']) },
      buyerReference: nullable(str()),
      paymentTermsDays: nullable({ type: 'integer' }),
      version: { type: 'integer' },
    },
    ['id', 'name', 'customerId', 'currency', 'version'],
  ),
  RunDate: obj({ runDate: date, cutOff: date }, ['runDate', 'cutOff']),
  TransactionInput: closed(
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
  ),
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
  MilestoneInput: closed(
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
  ),
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
  Run: obj(
    {
      projectId: str(),
      runDate: date,
      cutOff: date,
      status: { enum: ['pending', 'running', 'invoiced', 'nothing_to_invoice', 'failed'] },
      attempts: { type: 'integer' },
      invoiceId: nullable(str()),
      failure: nullable(
        obj({ error: str(), cause: str(), state: str(), executionId: nullable(str()), at: str() }, ['error', 'cause']),
      ),
    },
    ['projectId', 'runDate', 'status'],
  ),
  RunCounts: obj(
    {
      runDate: date,
      total: { type: 'integer' },
      counts: { type: 'object', additionalProperties: { type: 'integer' } },
    },
    ['runDate', 'total', 'counts'],
  ),
  RunDetail: obj({ run: ref('Run'), attempts: { type: 'array', items: { type: 'object' } } }, ['run', 'attempts']),
  Restart: obj({ runDate: date, projectIds: { type: 'array', items: str() }, executionArn: nullable(str()) }, [
    'runDate',
    'projectIds',
    'executionArn',
  ]),
};

interface Param {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema: Schema;
}

export interface Operation {
  readonly summary: string;
  /** Longer text; default: the summary, the roles, the preconditions. */
  readonly description?: string;
  readonly parameters?: readonly Param[];
  /** Component schema name of the body. */
  readonly body?: string;
  /** Media types the JSON body may come in (default `application/json`); any other, or none, is 415. */
  readonly contentTypes?: readonly string[];
  /** The request body is a document of this media type (read as text, ApiRequest.rawBody), not JSON; others: 415. */
  readonly bodyMedia?: string;
  /** Success status and the component schema name of its body (null: no body). */
  readonly success: readonly [number, string | null];
  /** Another success status with the same body (e.g. 200 for a document imported before, beside 201). */
  readonly alsoSuccess?: number;
  /** Sends an ETag (and, on writes, needs If-Match). */
  readonly etag?: 'read' | 'write';
  /** The success body is a document of this media type instead of JSON. */
  readonly media?: string;
  /** An archived document: 503 problem+json with Retry-After while it is not archived yet. */
  readonly archived?: true;
}

const path = (name: string, schema: Schema = id): Param => ({ name, in: 'path', required: true, schema });
const query = (name: string, schema: Schema, required = false): Param => ({ name, in: 'query', required, schema });
const limit = query('limit', str({ pattern: '^([1-9]|[1-9]\\d|[1-4]\\d\\d|500)$' }));
const cursor = query('cursor', str({ minLength: 1, maxLength: 2048 }));
const invoiceId = path('invoiceId');

export const operations: Readonly<Record<string, Operation>> = {
  'GET /health': { summary: 'Health of the API and its table', success: [200, null] },
  'GET /openapi.json': { summary: 'This document', success: [200, null] },
  'GET /invoices': {
    summary:
      'Invoices, newest first, with filters (runDate: the invoices the invoice run of that run date made) and an opaque cursor',
    parameters: [
      query('status', {
        enum: ['building', 'draft', 'in_review', 'issued', 'partially_paid', 'paid', 'cancelled', 'discarded'],
      }),
      query('customerId', id),
      query('projectId', id),
      query('from', date),
      query('to', date),
      query('runDate', date),
      limit,
      cursor,
    ],
    success: [200, 'InvoicePage'],
  },
  'GET /invoices/{invoiceId}': {
    summary: 'An invoice with its lines and the first page of its details',
    parameters: [invoiceId, limit],
    success: [200, 'InvoiceWithDetails'],
    etag: 'read',
  },
  'DELETE /invoices/{invoiceId}': {
    summary: 'Discard a draft (its transactions become invoiceable again)',
    parameters: [invoiceId],
    success: [204, null],
    etag: 'write',
  },
  'PATCH /invoices/{invoiceId}': {
    summary: 'Edit the header of a draft: buyer reference, purchase-order number, notes, payment terms',
    parameters: [invoiceId],
    body: 'EditHeader',
    success: [200, 'ChangeResult'],
    etag: 'write',
  },
  'POST /invoices/{invoiceId}/details': {
    summary: 'Add a manual detail to a draft (its transaction is created, billed, at Send)',
    parameters: [invoiceId],
    body: 'ManualDetail',
    success: [201, 'ChangeResult'],
    etag: 'write',
  },
  'GET /invoices/{invoiceId}/excluded': {
    summary: 'Work the draft does not bill, with the reason: over the not-to-exceed limit, on hold, not approved',
    parameters: [invoiceId],
    success: [200, 'ExcludedList'],
  },
  'POST /invoices/{invoiceId}/submit': {
    summary: 'Submit a draft for review (review before sending)',
    parameters: [invoiceId],
    success: [200, 'ChangeResult'],
    etag: 'write',
  },
  'POST /invoices/{invoiceId}/approve': {
    summary: 'Approve an invoice in review; only another billing user than the one who submitted it',
    parameters: [invoiceId],
    success: [200, 'ChangeResult'],
    etag: 'write',
  },
  'POST /invoices/{invoiceId}/return': {
    summary: 'Return an invoice in review to draft, with a comment',
    parameters: [invoiceId],
    body: 'ReturnToDraft',
    success: [200, 'ChangeResult'],
    etag: 'write',
  },
  'GET /invoices/{invoiceId}/details': {
    summary: 'Details of an invoice in (date, id) order, paged',
    parameters: [invoiceId, limit, cursor],
    success: [200, 'DetailPage'],
  },
  'PATCH /invoices/{invoiceId}/details/{detailId}': {
    summary: 'Edit a detail of a draft',
    parameters: [invoiceId, path('detailId')],
    body: 'EditDetail',
    success: [200, 'ChangeResult'],
    etag: 'write',
  },
  'DELETE /invoices/{invoiceId}/details/{detailId}': {
    summary: 'Remove a detail from a draft (it becomes invoiceable again)',
    parameters: [invoiceId, path('detailId')],
    success: [200, 'ChangeResult'],
    etag: 'write',
  },
  'GET /invoices/{invoiceId}/history': {
    summary: 'Every change: who, when, values before and after',
    parameters: [invoiceId, limit, cursor],
    success: [200, 'AuditPage'],
  },
  'POST /invoices/{invoiceId}/recalculate': {
    summary: 'Recalculate a draft',
    parameters: [invoiceId],
    body: 'Recalculate',
    success: [200, 'ChangeResult'],
    etag: 'write',
  },
  'POST /invoices/{invoiceId}/payments': {
    summary: 'Record a payment (partial allowed, overpayment refused)',
    parameters: [invoiceId],
    body: 'Payment',
    success: [200, 'ChangeResult'],
    etag: 'write',
  },
  'POST /invoices/{invoiceId}/payments/{paymentId}/reversal': {
    summary: 'Reverse a payment',
    parameters: [invoiceId, path('paymentId')],
    body: 'Reversal',
    success: [200, 'ChangeResult'],
    etag: 'write',
  },
  'POST /invoices/{invoiceId}/send': {
    summary: 'Send to customer: number, issue, e-mail with PDF and UBL (once)',
    parameters: [invoiceId],
    success: [200, 'SendResult'],
    etag: 'write',
  },
  'POST /invoices/{invoiceId}/credit-notes': {
    summary: 'Credit an issued invoice, fully (cancels it) or partly; e-mails the credit note',
    parameters: [invoiceId],
    body: 'CreditRequest',
    success: [201, 'CreditResult'],
    etag: 'write',
  },
  'GET /invoices/{invoiceId}/deliveries': {
    summary: 'The delivery log of the invoice e-mail',
    parameters: [invoiceId],
    success: [200, 'DeliveryList'],
  },
  'POST /invoices/{invoiceId}/deliveries': {
    summary: 'Resend an issued invoice (a new delivery of the same documents)',
    parameters: [invoiceId],
    body: 'Resend',
    success: [202, 'Delivery'],
  },
  'GET /invoices/{invoiceId}/pdf': {
    summary: 'The archived PDF of an issued invoice or credit note (rendered once from its frozen snapshot)',
    parameters: [invoiceId],
    success: [200, null],
    media: 'application/pdf',
    archived: true,
  },
  'GET /invoices/{invoiceId}/ubl': {
    summary: 'The archived UBL 2.1 e-invoice (Peppol BIS Billing 3.0) of an issued invoice or credit note',
    parameters: [invoiceId],
    success: [200, null],
    media: 'application/xml',
    archived: true,
  },
  'GET /settings': { summary: "The firm's settings", success: [200, 'Settings'] },
  'PATCH /settings': {
    summary: "Change the firm's settings (review before sending)",
    body: 'SettingsChange',
    success: [200, 'Settings'],
  },
  'GET /invoices/{invoiceId}/reminders': {
    summary:
      "An invoice's reminders (level, date, e-mail status), pauses with their reasons, failures and the next level",
    parameters: [invoiceId],
    success: [200, 'ReminderHistory'],
    etag: 'read',
  },
  'POST /invoices/{invoiceId}/reminders/pause': {
    summary: 'Pause reminders on an open invoice, with a reason (a dispute); 409 when paused already or not open',
    parameters: [invoiceId],
    body: 'ReminderPauseInput',
    success: [200, 'ReminderPauseResult'],
    etag: 'write',
  },
  'POST /invoices/{invoiceId}/reminders/resume': {
    summary: 'Resume reminders on an invoice, with a reason; 409 when not paused',
    parameters: [invoiceId],
    body: 'ReminderPauseInput',
    success: [200, 'ReminderPauseResult'],
    etag: 'write',
  },
  'GET /overdue-invoices': {
    summary:
      'Open issued invoices due before a date (default today), oldest due first, with days overdue and the last reminder',
    parameters: [query('date', date), limit, cursor],
    success: [200, 'OverduePage'],
  },
  'GET /customers': { summary: 'Customers by name', parameters: [limit, cursor], success: [200, 'CustomerPage'] },
  'POST /customers': { summary: 'Create a customer', body: 'CustomerCreate', success: [201, 'Customer'], etag: 'read' },
  'GET /customers/{customerId}': {
    summary: 'A customer',
    parameters: [path('customerId')],
    success: [200, 'Customer'],
    etag: 'read',
  },
  'PUT /customers/{customerId}': {
    summary: 'Change a customer',
    parameters: [path('customerId')],
    body: 'CustomerInput',
    success: [200, 'Customer'],
    etag: 'write',
  },
  'GET /projects': { summary: 'Projects by name', parameters: [limit, cursor], success: [200, 'ProjectPage'] },
  'POST /projects': { summary: 'Create a project', body: 'ProjectCreate', success: [201, 'Project'], etag: 'read' },
  'GET /projects/{projectId}': {
    summary: 'A project',
    parameters: [path('projectId')],
    success: [200, 'Project'],
    etag: 'read',
  },
  'PUT /projects/{projectId}': {
    summary: 'Change a project',
    parameters: [path('projectId')],
    body: 'ProjectInput',
    success: [200, 'Project'],
    etag: 'write',
  },
  'GET /projects/{projectId}/run-dates': {
    summary: "A project's coming run dates with their cut-offs",
    parameters: [path('projectId'), query('from', date, true), query('to', date, true)],
    success: [200, 'RunDateList'],
  },
  'POST /projects/{projectId}/transactions/import': {
    summary:
      'Import time and expense entries from CSV: every row validated first (422 with row, field, message; nothing written), then all written; the same file again adds nothing',
    parameters: [path('projectId')],
    body: 'TransactionImport',
    success: [200, 'ImportResult'],
  },
  'POST /projects/{projectId}/invoice-preview': {
    summary: 'Manual invoicing, Next: what would be invoiced (writes nothing)',
    parameters: [path('projectId')],
    body: 'PreviewRequest',
    success: [200, 'Preview'],
  },
  'POST /projects/{projectId}/invoices': {
    summary: 'Manual invoicing, Finish: create the previewed draft',
    parameters: [path('projectId')],
    body: 'FinishRequest',
    success: [201, 'Invoice'],
    etag: 'read',
  },
  'GET /transactions': {
    summary: 'Transactions of a project',
    parameters: [query('projectId', id, true), limit, cursor],
    success: [200, 'TransactionPage'],
  },
  'POST /transactions': {
    summary: 'Record a transaction',
    body: 'TransactionCreate',
    success: [201, 'Transaction'],
    etag: 'read',
  },
  'GET /transactions/{transactionId}': {
    summary: 'A transaction',
    parameters: [path('transactionId')],
    success: [200, 'Transaction'],
    etag: 'read',
  },
  'PUT /transactions/{transactionId}': {
    summary: 'Change an unbilled transaction (409 once invoiced)',
    parameters: [path('transactionId')],
    body: 'TransactionInput',
    success: [200, 'Transaction'],
    etag: 'write',
  },
  'GET /milestones': {
    summary: 'Milestones of a project',
    parameters: [query('projectId', id, true)],
    success: [200, 'MilestoneList'],
  },
  'POST /milestones': {
    summary: 'Create a milestone',
    body: 'MilestoneCreate',
    success: [201, 'Milestone'],
    etag: 'read',
  },
  'PUT /milestones/{milestoneId}': {
    summary: 'Change a milestone (e.g. mark ready for invoicing); 409 once invoiced',
    parameters: [path('milestoneId')],
    body: 'MilestoneInput',
    success: [200, 'Milestone'],
    etag: 'write',
  },
  'POST /bank-statements': {
    summary:
      'Import a CAMT.053 bank statement (001.02 to 001.08): credit entries become payments (by reference), proposals (amount and debtor) or unmatched; duplicates, debits, other currencies and accounts are reported and ignored',
    bodyMedia: 'application/xml',
    success: [201, 'BankStatement'],
    alsoSuccess: 200,
  },
  'GET /bank-statements': {
    summary: 'Imported bank statements, newest first',
    parameters: [limit, cursor],
    success: [200, 'BankStatementPage'],
  },
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
  'GET /runs': {
    summary: 'Runs of a run date, counted per status',
    parameters: [query('runDate', date, true)],
    success: [200, 'RunCounts'],
  },
  'GET /runs/failed': {
    summary: 'Failed runs, newest run date first',
    parameters: [limit, cursor],
    success: [200, 'RunPage'],
  },
  'GET /runs/{projectId}/{runDate}': {
    summary: 'A run with its attempts and error',
    parameters: [path('projectId'), path('runDate', date)],
    success: [200, 'RunDetail'],
  },
  'POST /runs/{runDate}/restart': {
    summary: 'Restart every failed run of a run date',
    parameters: [path('runDate', date)],
    success: [202, 'Restart'],
  },
  'POST /runs/{projectId}/{runDate}/restart': {
    summary: 'Restart one failed run',
    parameters: [path('projectId'), path('runDate', date)],
    success: [202, 'Restart'],
  },
};

for (const name of ['Customer', 'Project', 'Transaction', 'Milestone']) {
  const input = schemas[`${name}Input`] as { properties: Record<string, Schema> };
  schemas[`${name}Create`] = { ...input, properties: { id, ...input.properties } };
}
const reminderPause = nullable(obj({ reason: str(), by: str(), at: str() }, ['reason', 'by', 'at']));
const lastReminder = nullable(obj({ level: { type: 'integer' }, date }, ['level', 'date']));
schemas.ReminderPauseInput = closed({ reason: str({ minLength: 1, maxLength: 500, 'x-multiline': true }) }, ['reason']);
schemas.ReminderPauseResult = obj({ invoice: ref('Invoice'), paused: reminderPause }, ['invoice', 'paused']);
schemas.OverdueInvoice = obj(
  {
    invoiceId: str(),
    number: nullable(str()),
    customer: str(),
    projectId: str(),
    dueDate: date,
    daysOverdue: { type: 'integer' },
    openAmount: minor,
    currency: str(),
    status: { enum: ['issued', 'partially_paid'] },
    version: { type: 'integer' },
    lastReminder,
    paused: reminderPause,
  },
  ['invoiceId', 'dueDate', 'daysOverdue', 'openAmount', 'currency', 'lastReminder', 'paused'],
);
schemas.OverduePage = obj({ date, items: { type: 'array', items: ref('OverdueInvoice') }, next: nullable(str()) }, [
  'date',
  'items',
  'next',
]);
schemas.ReminderHistory = obj(
  {
    invoiceId: str(),
    number: nullable(str()),
    status: str(),
    version: { type: 'integer' },
    dueDate: nullable(date),
    daysOverdue: { type: 'integer' },
    openAmount: minor,
    currency: str(),
    paused: reminderPause,
    next: nullable(obj({ level: { type: 'integer' }, on: date }, ['level', 'on'])),
    reminders: {
      type: 'array',
      items: obj(
        {
          level: { type: 'integer' },
          date,
          daysOverdue: { type: 'integer' },
          openAmount: minor,
          lateInterest: nullable(obj({ interest: minor, compensation: minor }, ['interest', 'compensation'])),
          subject: nullable(str()),
          to: nullable(str()),
          deliveryStatus: { enum: ['queued', 'sending', 'sent', 'failed', 'unknown'] },
          sentAt: nullable(str()),
        },
        ['level', 'date', 'openAmount', 'deliveryStatus'],
      ),
    },
    pauses: {
      type: 'array',
      items: obj(
        { action: { enum: ['paused', 'resumed'] }, reason: str(), by: str(), at: str(), version: { type: 'integer' } },
        ['action', 'reason', 'by', 'at'],
      ),
    },
    failures: { type: 'array', items: obj({ date, error: str(), at: str() }, ['date', 'error']) },
  },
  ['invoiceId', 'status', 'version', 'openAmount', 'currency', 'paused', 'next', 'reminders', 'pauses', 'failures'],
);
schemas.InvoicePage = page('Invoice');
schemas.DetailPage = page('InvoiceDetail');
schemas.AuditPage = page('AuditEntry');
schemas.CustomerPage = page('Customer');
schemas.ProjectPage = page('Project');
schemas.TransactionPage = page('Transaction');
schemas.RunPage = page('Run');
schemas.MilestoneList = obj({ items: { type: 'array', items: ref('Milestone') } }, ['items']);
schemas.BankStatementPage = page('BankStatementSummary');
schemas.RunDateList = obj({ items: { type: 'array', items: ref('RunDate') } }, ['items']);

const problemResponse = {
  description: 'A problem (RFC 9457)',
  content: { 'application/problem+json': { schema: ref('Problem') } },
};

function operationObject(routeKey: string, operation: Operation): Record<string, unknown> {
  const [method] = routeKey.split(' ');
  const route = routes.find((candidate) => `${candidate.method} ${candidate.path}` === routeKey);
  const headers: Param[] = [];
  if (operation.etag === 'write' && method !== 'POST')
    headers.push({ name: 'If-Match', in: 'header', required: true, schema: str() });
  if (operation.etag === 'write' && method === 'POST')
    headers.push({ name: 'If-Match', in: 'header', required: true, schema: str() });
  if (method === 'POST')
    headers.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      schema: str({ minLength: 8, maxLength: 128 }),
    });
  const [status, body] = operation.success;
  return {
    operationId: routeKey.replace(/[^A-Za-z0-9]+/g, '_'),
    summary: operation.summary,
    description: operation.description ?? descriptionOf(routeKey, operation, route),
    tags: [tagOf(routeKey)],
    ...(route && route.access !== 'public'
      ? { security: [{ cognito: [] }], 'x-factuur-roles': route.access }
      : { security: [] }),
    parameters: [...(operation.parameters ?? []), ...headers],
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              (operation.contentTypes ?? ['application/json']).map((type) => [
                type,
                { schema: ref(operation.body as string) },
              ]),
            ),
          },
        }
      : {}),
    ...(operation.bodyMedia
      ? {
          requestBody: {
            required: true,
            content: { [operation.bodyMedia]: { schema: str({ contentMediaType: operation.bodyMedia }) } },
          },
        }
      : {}),
    responses: {
      [String(status)]: {
        description: 'Success',
        ...(operation.etag ? { headers: { ETag: { schema: str() } } } : {}),
        ...(body ? { content: { 'application/json': { schema: ref(body) } } } : {}),
        ...(operation.media
          ? { content: { [operation.media]: { schema: str({ contentMediaType: operation.media }) } } }
          : {}),
      },
      ...(route && route.access !== 'public'
        ? {
            '401': gatewayAnswer(
              "No valid ID token (API Gateway's JWT authorizer, or an access token refused by the API)",
              true,
            ),
          }
        : {}),
      '404': gatewayAnswer('No such route (API Gateway), or no such resource (problem+json)', true),
      '413': gatewayAnswer('The body is over 10 MB (API Gateway) or over 6 MB (the Lambda payload)', false),
      '429': gatewayAnswer('Throttled by API Gateway', false),
      '503': operation.archived
        ? {
            ...gatewayAnswer(
              'Issued, not archived yet: the documents are rendered and archived within seconds of the issue; ' +
                'retry after Retry-After seconds (problem+json). Or API Gateway could not reach the function in time',
              true,
            ),
            headers: { 'Retry-After': { schema: str({ pattern: '^[0-9]+$' }) } },
          }
        : gatewayAnswer('API Gateway could not reach the function in time', false),
      ...(operation.alsoSuccess
        ? {
            [String(operation.alsoSuccess)]: {
              description: 'Success (nothing changed)',
              ...(body ? { content: { 'application/json': { schema: ref(body) } } } : {}),
            },
          }
        : {}),
      '4XX': problemResponse,
      '5XX': problemResponse,
    },
  };
}

/** The tag of an operation: its resource, the first segment of the path. */
function tagOf(routeKey: string): string {
  return (
    routeKey
      .split(' ')[1]
      ?.split('/')[1]
      ?.replace(/\.json$/, '') ?? 'api'
  );
}

function descriptionOf(routeKey: string, operation: Operation, route: (typeof routes)[number] | undefined): string {
  const [method] = routeKey.split(' ');
  const who = !route || route.access === 'public' ? 'Public.' : `Roles: ${route.access.join(', ')}.`;
  const preconditions = [
    operation.etag === 'write' ? 'Needs If-Match with the current ETag (428 without, 412 when stale).' : '',
    method === 'POST' ? 'Needs an Idempotency-Key.' : '',
    operation.body ? `Body: ${(operation.contentTypes ?? ['application/json']).join(' or ')} (415 otherwise).` : '',
  ].filter(Boolean);
  return [`${operation.summary}.`, who, ...preconditions].join(' ');
}

/**
 * API Gateway's own answers, before or instead of the function: `{"message": "..."}` as application/json
 * (401 Unauthorized, 404 Not Found, 413 Request Entity Too Large, 429 Too Many Requests, 503 Service Unavailable).
 * Where the function also answers that status (401, 404), it does so as problem+json.
 */
function gatewayAnswer(description: string, alsoProblem: boolean): Record<string, unknown> {
  return {
    description,
    // The function's problem+json first (what a client meets most), then API Gateway's own `{"message"}`.
    content: {
      ...(alsoProblem ? { 'application/problem+json': { schema: ref('Problem') } } : {}),
      'application/json': { schema: ref('GatewayMessage') },
    },
  };
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [routeKey, operation] of Object.entries(operations)) {
    const [method, routePath] = routeKey.split(' ') as [string, string];
    paths[routePath] ??= {};
    paths[routePath][method.toLowerCase()] = operationObject(routeKey, operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'factuur portal API',
      version: '1.0.0',
      contact: { name: 'factuur', url: 'https://factuur.dev' },
      license: { name: 'Proprietary', url: 'https://factuur.dev/license' },
      description:
        'Project invoicing. JSON in and out; errors are RFC 9457 problem+json with `field`. Invoices carry a version: reads send an ETag, writes need If-Match (428 without, 412 when stale). Every POST needs an Idempotency-Key (same key and body: the first result; other body: 422; in flight: 409).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    // Each deployment has its own API Gateway URL (the stack's output); locally npm start serves it here.
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: "The stack's HTTP API",
        variables: { apiId: { default: 'api' }, region: { default: 'eu-west-1' } },
      },
      { url: 'http://127.0.0.1:4600', description: 'npm start (FACTUUR_PORT_BASE 4600)' },
    ],
    tags: [...new Set(Object.keys(operations).map(tagOf))]
      .sort()
      .map((name) => ({ name, description: `The ${name} resource` })),
    components: {
      schemas,
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  };
}
