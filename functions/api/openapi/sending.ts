import {
  change,
  closed,
  decimal,
  invoiceId,
  list,
  nullable,
  obj,
  type Operation,
  type Operations,
  ref,
  type Schemas,
  str,
} from './schema.ts';

/** Send to customer, credit notes, deliveries and the archived documents (functions/sending). */
export const sendingSchemas: Schemas = {
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
  DeliveryList: list('Delivery'),
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
};

/** An archived document of an issued invoice, in its own media type. */
const archivedDocument = (summary: string, media: string): Operation => ({
  summary,
  parameters: [invoiceId],
  success: [200, null],
  media,
  archived: true,
});

export const sendingOperations: Operations = {
  'POST /invoices/{invoiceId}/send': change(
    'Send to customer: number, issue, e-mail with PDF and UBL (once)',
    [invoiceId],
    undefined,
    'SendResult',
  ),
  'POST /invoices/{invoiceId}/credit-notes': change(
    'Credit an issued invoice, fully (cancels it) or partly; e-mails the credit note',
    [invoiceId],
    'CreditRequest',
    'CreditResult',
    201,
  ),
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
  'GET /invoices/{invoiceId}/pdf': archivedDocument(
    'The archived PDF of an issued invoice or credit note (rendered once from its frozen snapshot)',
    'application/pdf',
  ),
  'GET /invoices/{invoiceId}/ubl': archivedDocument(
    'The archived UBL 2.1 e-invoice (Peppol BIS Billing 3.0) of an issued invoice or credit note',
    'application/xml',
  ),
};
