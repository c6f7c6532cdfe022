import { array, closed, date, decimal, minor, nullable, obj, ref, str, type Schemas } from './schema.ts';

/** The component schemas several features answer with: problems, tax rates, the invoice and its details. */
export const invoiceStatus = {
  enum: ['building', 'draft', 'in_review', 'issued', 'partially_paid', 'paid', 'cancelled', 'discarded'],
};

export const commonSchemas: Schemas = {
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
      taxes: array({ type: 'object' }),
    },
    ['net', 'tax', 'total', 'paid', 'balance'],
  ),
  Invoice: obj(
    {
      id: str(),
      kind: { enum: ['invoice', 'credit_note'] },
      number: nullable(str()),
      status: invoiceStatus,
      projectId: str(),
      customerId: nullable(str()),
      currency: str(),
      cutOff: date,
      version: { type: 'integer', minimum: 0 },
      totals: ref('Totals'),
      lines: array({ type: 'object' }),
      payments: array(ref('PaymentRecord')),
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
  /** What a change of an invoice answers: the invoice and what would still block Send. */
  ChangeResult: obj(
    {
      invoice: ref('Invoice'),
      problems: array(obj({ field: str(), message: str() }, ['field', 'message'])),
    },
    ['invoice', 'problems'],
  ),
};
