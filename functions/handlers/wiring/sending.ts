/**
 * The binding of functions/sending/ (Send to customer, resend, the deliveries) to the adapters: DynamoDB for the
 * invoices, the number series, the outbox and the credit notes; S3 for the archive; SES for the e-mail; Step
 * Functions for starting a delivery. Shared by the handlers that send (api/invoice-sending), deliver
 * (workflow/sweep-outbox) and remind (the reminder run's e-mail). The ports are built per call: the table, bucket
 * and sender come from the environment.
 */
import { applyIssue, completeBilling } from '../../adapters/dynamodb/apply-effects.ts';
import { pendingCreditNotes } from '../../adapters/dynamodb/credit-note-store.ts';
import { dynamoDeliveries } from '../../adapters/dynamodb/deliveries-store.ts';
import { firmProfile } from '../../adapters/dynamodb/firm-store.ts';
import { loadInvoice } from '../../adapters/dynamodb/invoice-changes-store.ts';
import { invoiceHeader } from '../../adapters/dynamodb/invoices-store.ts';
import { lastInSeries } from '../../adapters/dynamodb/number-series-store.ts';
import { projectNames } from '../../adapters/dynamodb/projects-store.ts';
import { s3DocumentArchive } from '../../adapters/s3/document-archive.ts';
import { definitelyNotSent, sendRawEmail } from '../../adapters/ses/mailer.ts';
import { startDelivery } from '../../adapters/stepfunctions/delivery-executions.ts';
import * as delivering from '../../sending/deliver-invoice.ts';
import type { DeliveryPorts, Issuing, SendPorts } from '../../sending/ports.ts';
import * as sending from '../../sending/send-to-customer.ts';
import { bound } from './bound.ts';
import { resumeCreditNote } from './credit-notes.ts';

export const dynamoIssuing: Issuing = {
  load: loadInvoice,
  lastInSeries: (year) => lastInSeries('invoice', year),
  apply: applyIssue,
  completeBilling,
};

const invoices = { header: invoiceHeader };
const firm = { profile: firmProfile };

/** Send's binding for the bench, the demo seeds and the tests (the Send handler composes the same itself). */
export const sendPorts = (): SendPorts => ({
  invoices,
  issuing: dynamoIssuing,
  firm,
  projects: { names: projectNames },
  deliveries: dynamoDeliveries,
  starter: { start: startDelivery },
});

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

export const sendToCustomer = bound(sendPorts, sending.sendToCustomer);
export const resendInvoice = bound(sendPorts, sending.resendInvoice);
/** The issue alone (no delivery started): the bench and the demo seed. */
export const issueInvoice = bound(sendPorts, sending.issueInvoice);
export const deliverInvoice = bound(deliveryPorts, delivering.deliverInvoice);
export const deliverInvoiceNow = bound(deliveryPorts, delivering.deliverInvoiceNow);
export const sweepOutbox = bound(deliveryPorts, delivering.sweepOutbox);
