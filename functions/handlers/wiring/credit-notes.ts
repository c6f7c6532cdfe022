/**
 * The binding of the credit notes (functions/invoices/credit-notes.ts) to DynamoDB and the delivery workflow:
 * shared by the credit-note route (api/invoice-sending) and the outbox sweep (pending credit notes).
 */
import { dynamoInvoiceChanges } from '../../adapters/dynamodb/apply-effects.ts';
import { dynamoCreditNotes } from '../../adapters/dynamodb/credit-note-store.ts';
import { getDelivery } from '../../adapters/dynamodb/deliveries-store.ts';
import { firmProfile } from '../../adapters/dynamodb/firm-store.ts';
import { startDelivery } from '../../adapters/stepfunctions/delivery-executions.ts';
import * as credits from '../../invoices/credit-notes.ts';
import type { CreditPorts } from '../../invoices/use-cases/credit.ts';

const creditPorts: CreditPorts = { invoices: dynamoInvoiceChanges, credits: dynamoCreditNotes };
const creditNotePorts: credits.CreditNotePorts = {
  ...creditPorts,
  firm: { profile: firmProfile },
  deliveries: { get: getDelivery },
  starter: { start: startDelivery },
};

export const creditInvoice = (
  ...args: Parameters<typeof credits.creditInvoice> extends [unknown, ...infer A] ? A : never
) => credits.creditInvoice(creditNotePorts, ...args);
export const resumeCreditNote = (creditNoteId: string) => credits.resumeCreditNote(creditPorts, creditNoteId);
