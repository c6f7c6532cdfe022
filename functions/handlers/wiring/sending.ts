/**
 * The binding of functions/sending/ (Send to customer, resend, the deliveries) to the adapters: DynamoDB for the
 * invoices, the number series, the outbox and the credit notes; S3 for the archive; SES for the e-mail; Step
 * Functions for starting a delivery. Shared by the handlers that deliver (workflow/sweep-outbox) and remind (the
 * reminder run's e-mail); Send and resend are bound in send-to-customer.ts (re-exported here), which is all that
 * api/invoice-sending imports. The ports are built per call: the table, bucket and sender come from the environment.
 */
import { pendingCreditNotes } from '../../adapters/dynamodb/credit-note-store.ts';
import { dynamoDeliveries } from '../../adapters/dynamodb/deliveries-store.ts';
import { s3DocumentArchive } from '../../adapters/s3/document-archive.ts';
import { definitelyNotSent, sendRawEmail } from '../../adapters/ses/mailer.ts';
import * as delivering from '../../sending/deliver-invoice.ts';
import type { DeliveryPorts } from '../../sending/ports.ts';
import { resumeCreditNote } from './invoices.ts';
import { bound, dynamoIssuing, firm, invoices } from './send-to-customer.ts';

export { dynamoIssuing, issueInvoice, resendInvoice, sendPorts, sendToCustomer } from './send-to-customer.ts';

export const deliveryPorts = (): DeliveryPorts => ({
  issuing: dynamoIssuing,
  invoices,
  firm,
  archive: s3DocumentArchive,
  deliveries: dynamoDeliveries,
  mailer: { send: sendRawEmail, definitelyNotSent },
  creditNotes: { pending: (upTo) => pendingCreditNotes(upTo), resume: resumeCreditNote },
  ...(process.env.SENDER_EMAIL !== undefined ? { senderEmail: process.env.SENDER_EMAIL } : {}),
});

export const deliverInvoice = bound(deliveryPorts, delivering.deliverInvoice);
export const deliverInvoiceNow = bound(deliveryPorts, delivering.deliverInvoiceNow);
export const sweepOutbox = bound(deliveryPorts, delivering.sweepOutbox);
