/**
 * The binding of Send to customer and resend (functions/sending/send-to-customer.ts) to the adapters: DynamoDB for
 * the invoices, the number series and the outbox; Step Functions for starting a delivery. What api/invoice-sending
 * imports: none of the delivery's document and e-mail libraries (those are bound in sending.ts, which re-exports
 * this), so the function people wait for stays small (bench/bundles.ts).
 */
import { applyIssue, completeBilling } from '../../adapters/dynamodb/apply-effects.ts';
import { dynamoDeliveries } from '../../adapters/dynamodb/deliveries-store.ts';
import { firmProfile } from '../../adapters/dynamodb/firm-store.ts';
import { loadInvoice } from '../../adapters/dynamodb/invoice-changes-store.ts';
import { invoiceHeader } from '../../adapters/dynamodb/invoices-store.ts';
import { lastInSeries } from '../../adapters/dynamodb/number-series-store.ts';
import { projectNames } from '../../adapters/dynamodb/projects-store.ts';
import { startDelivery } from '../../adapters/stepfunctions/delivery-executions.ts';
import type { Issuing, SendPorts } from '../../sending/ports.ts';
import * as sending from '../../sending/send-to-customer.ts';

export const dynamoIssuing: Issuing = {
  load: loadInvoice,
  lastInSeries: (year) => lastInSeries('invoice', year),
  apply: applyIssue,
  completeBilling,
};

export const invoices = { header: invoiceHeader };
export const firm = { profile: firmProfile };

export const sendPorts = (): SendPorts => ({
  invoices,
  issuing: dynamoIssuing,
  firm,
  projects: { names: projectNames },
  deliveries: dynamoDeliveries,
  starter: { start: startDelivery },
});

/** Binds a use case to its ports (read when called). */
export function bound<P, A extends unknown[], R>(
  ports: () => P,
  useCase: (ports: P, ...args: A) => R,
): (...args: A) => R {
  return (...args) => useCase(ports(), ...args);
}

export const sendToCustomer = bound(sendPorts, sending.sendToCustomer);
export const resendInvoice = bound(sendPorts, sending.resendInvoice);
/** The issue alone (no delivery started): the bench and the demo seed. */
export const issueInvoice = bound(sendPorts, sending.issueInvoice);
