import { applyIssue, completeBilling } from '../../adapters/dynamodb/apply-effects.ts';
import { deliveriesOf, dynamoDeliveries } from '../../adapters/dynamodb/deliveries-store.ts';
import { firmProfile } from '../../adapters/dynamodb/firm-store.ts';
import { loadInvoice } from '../../adapters/dynamodb/invoice-changes-store.ts';
import { invoiceHeader } from '../../adapters/dynamodb/invoices-store.ts';
import { lastInSeries } from '../../adapters/dynamodb/number-series-store.ts';
import { projectNames } from '../../adapters/dynamodb/projects-store.ts';
import { startDelivery } from '../../adapters/stepfunctions/delivery-executions.ts';
import { todayInZone } from '../../domain/index.ts';
import type { CreditInput } from '../../invoices/credit-notes.ts';
import { publicHeader } from '../../invoices/public-header.ts';
import type { SendPorts } from '../../sending/ports.ts';
import { resendInvoice, sendToCustomer } from '../../sending/send-to-customer.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { httpApi, notFound, type ApiRequest } from '../../shared/http-api.ts';
import { creditInvoice } from '../wiring/credit-notes.ts';
import { sendingOperations, sendingSchemas } from '../../api/openapi/sending.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/**
 * The invoice routes that issue and e-mail documents: Send to customer, credit notes, resend, the delivery log.
 * No document library here (issue 15, point 4): the documents are rendered, archived and e-mailed by the
 * deliver-invoices workflow these routes start (functions/sending/deliver-invoice.ts); GET /pdf and /ubl read the
 * archive (api/invoice-documents).
 */
/**
 * Send to customer, end to end: this handler -> functions/sending/send-to-customer.ts (the use case) ->
 * functions/domain/commands/send.ts (`issue`: what the issue changes) -> functions/adapters/dynamodb/apply-effects.ts
 * (`applyIssue`: the one transaction that writes it). The adapters, created once, behind the use case's ports.
 */
const sending: SendPorts = {
  invoices: { header: invoiceHeader },
  issuing: {
    load: loadInvoice,
    lastInSeries: (year) => lastInSeries('invoice', year),
    apply: applyIssue,
    completeBilling,
  },
  firm: { profile: firmProfile },
  projects: { names: projectNames },
  deliveries: dynamoDeliveries,
  starter: { start: startDelivery },
};

const actor = (request: ApiRequest) => ({ username: request.caller.username, userId: request.caller.userId });

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = { operations: sendingOperations, schemas: sendingSchemas };

export const handler = httpApi(contract, {
  'POST /invoices/{invoiceId}/send': async (request) => {
    const outcome = await sendToCustomer(
      sending,
      request.path.invoiceId as string,
      request.ifMatch(),
      actor(request),
      request.now,
      todayInZone(request.now, firmTimeZone()),
    );
    if (!outcome.invoice) throw notFound(`invoice ${request.path.invoiceId}`);
    return {
      status: 200,
      body: { invoice: publicHeader(outcome.invoice), delivery: outcome.delivery ?? null },
      version: outcome.invoice.version,
    };
  },
  'POST /invoices/{invoiceId}/credit-notes': async (request) => {
    const outcome = await creditInvoice(
      request.path.invoiceId as string,
      request.ifMatch(),
      request.body as CreditInput,
      request.headers['idempotency-key'] as string,
      actor(request),
      request.now,
      todayInZone(request.now, firmTimeZone()),
    );
    return {
      status: 201,
      body: {
        invoice: publicHeader(outcome.invoice),
        creditNote: publicHeader(outcome.creditNote),
        delivery: outcome.delivery ?? null,
      },
      version: outcome.invoice.version,
    };
  },
  'GET /invoices/{invoiceId}/deliveries': async (request) => {
    const header = await invoiceHeader(request.path.invoiceId as string);
    if (!header) throw notFound(`invoice ${request.path.invoiceId}`);
    return { status: 200, body: { items: await deliveriesOf(header.id) } };
  },
  'POST /invoices/{invoiceId}/deliveries': async (request) => {
    const delivery = await resendInvoice(
      sending,
      request.path.invoiceId as string,
      (request.body as { to?: string } | undefined)?.to,
      actor(request),
      request.now,
    );
    return { status: 202, body: delivery };
  },
});
