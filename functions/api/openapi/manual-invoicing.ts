import { closed, date, id, nullable, obj, type Operations, path, ref, type Schemas, str } from './schema.ts';

/** Manual invoicing (functions/manual-invoicing): Next previews, Finish creates the previewed draft. */
export const manualInvoicingSchemas: Schemas = {
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
};

export const manualInvoicingOperations: Operations = {
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
};
