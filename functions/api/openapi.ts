import { commonSchemas } from './openapi/common.ts';
import { buildDocument } from './openapi/document.ts';
import { invoiceRunOperations, invoiceRunSchemas } from './openapi/invoice-runs.ts';
import { invoiceOperations, invoiceSchemas } from './openapi/invoices.ts';
import { manualInvoicingOperations, manualInvoicingSchemas } from './openapi/manual-invoicing.ts';
import { bankStatementOperations, invoicePaymentOperations, paymentSchemas } from './openapi/payments.ts';
import { recordedWorkOperations, recordedWorkSchemas, transactionImportOperations } from './openapi/recorded-work.ts';
import { reminderOperations, reminderSchemas } from './openapi/reminders.ts';
import type { Operation, Operations, Schemas } from './openapi/schema.ts';
import { sendingOperations, sendingSchemas } from './openapi/sending.ts';
import { customerAndProjectOperations, settingsOperations, setupSchemas } from './openapi/setup.ts';

export type { Operation } from './openapi/schema.ts';

/**
 * THE contract of the portal API: an OpenAPI 3.1 document (JSON Schema 2020-12), served at GET /openapi.json.
 * Each feature writes its operations and component schemas in functions/api/openapi/<feature>.ts; what every
 * operation shares (security, headers, API Gateway's answers, problems) is added by openapi/document.ts.
 * Requests are validated against the operation's `parameters` and `requestBody` schemas
 * (functions/shared/http/validation.ts); tests check every response against the operation's responses.
 * Operations are keyed by the route table's routeKey, so a route without an operation fails a unit test.
 */
export const operations: Readonly<Record<string, Operation>> = {
  'GET /health': { summary: 'Health of the API and its table', success: [200, null] },
  'GET /openapi.json': { summary: 'This document', success: [200, null] },
  ...invoiceOperations,
  ...invoicePaymentOperations,
  ...sendingOperations,
  ...settingsOperations,
  ...reminderOperations,
  ...customerAndProjectOperations,
  ...transactionImportOperations,
  ...manualInvoicingOperations,
  ...recordedWorkOperations,
  ...bankStatementOperations,
  ...invoiceRunOperations,
} satisfies Operations;

/**
 * The order of the component schemas as the document has always listed them: the served bytes and the portal's
 * generated types (portal/src/api-schema.ts) follow it, and test/unit/api/openapi-snapshot.test.ts holds both.
 */
const schemaOrder = (
  'GatewayMessage Problem TaxRate Totals Invoice PaymentRecord Review EditHeader ManualDetail ReturnToDraft ' +
  'ExcludedWork ExcludedList TransactionImport ImportResult Settings SettingsChange InvoiceDetail AuditEntry ' +
  'InvoiceWithDetails Delivery DeliveryList SendResult Resend CreditRequest CreditResult ChangeResult EditDetail ' +
  'Recalculate Payment Reversal BankEntryOutcome BankStatement BankStatementSummary Assignment PreviewRequest ' +
  'Preview FinishRequest PostalAddress ElectronicAddress CustomerInput Customer ContractLine ProjectInput Project ' +
  'RunDate TransactionInput Transaction MilestoneInput Milestone Run RunCounts RunDetail Restart CustomerCreate ' +
  'ProjectCreate TransactionCreate MilestoneCreate ReminderPauseInput ReminderPauseResult OverdueInvoice ' +
  'OverduePage ReminderHistory InvoicePage DetailPage AuditPage CustomerPage ProjectPage TransactionPage RunPage ' +
  'MilestoneList BankStatementPage RunDateList'
).split(' ');

const featureSchemas: Schemas = {
  ...commonSchemas,
  ...invoiceSchemas,
  ...sendingSchemas,
  ...paymentSchemas,
  ...reminderSchemas,
  ...setupSchemas,
  ...recordedWorkSchemas,
  ...manualInvoicingSchemas,
  ...invoiceRunSchemas,
};

/** Every feature's schemas in the document's order (each listed once, none left out: checked on load). */
function inDocumentOrder(schemas: Schemas): Schemas {
  const unlisted = Object.keys(schemas).filter((name) => !schemaOrder.includes(name));
  const missing = schemaOrder.filter((name) => !(name in schemas));
  if (unlisted.length || missing.length)
    throw new Error(`openapi.ts schemaOrder: add ${unlisted.join(', ') || '-'}; remove ${missing.join(', ') || '-'}`);
  return Object.fromEntries(schemaOrder.map((name) => [name, schemas[name]!]));
}

/** The component schemas (what request validation resolves `$ref`s against, without building the whole document). */
export const componentSchemas: Readonly<Schemas> = inDocumentOrder(featureSchemas);

export function openApiDocument(): Record<string, unknown> {
  return buildDocument(componentSchemas, operations);
}
