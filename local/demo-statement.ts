import { firmProfile } from '../functions/adapters/dynamodb/firm-store.ts';
import { invoiceHeader } from '../functions/adapters/dynamodb/invoices-store.ts';
import { issueInvoice } from '../functions/handlers/wiring/sending.ts';
import { putCustomer, putProject } from '../functions/adapters/dynamodb/projects-store.ts';
import { putNewTransaction } from '../functions/adapters/dynamodb/transactions-store.ts';
import { creditorReference } from '../functions/domain/index.ts';
import { finishManualInvoice, previewManualInvoice } from '../functions/handlers/wiring/manual-invoicing.ts';
import type { CustomerRecord, ProjectRecord, TransactionRecord } from '../functions/adapters/dynamodb/items.ts';

/**
 * The demo invoice that the sample bank statement in the repo (local/demo/camt053-sample.xml) pays by its payment
 * reference. Upload that file on the portal's Bank statements page (or POST it to /bank-statements) and the
 * invoice becomes paid; the statement's other entries show the other outcomes (a proposal, unmatched, a debit).
 *
 * Adopted: the sample is a fixed file, so this invoice is fixed too: its own customer and project, two hours of
 * work in October 2026, invoiced manually with cut-off 2026-10-31 and issued on 2026-11-02 as the first invoice of
 * the 2026 series (the seed issues it before anything else), so its number is INV-2026-000001 and its reference
 * RF...INV2026000001 whatever day `npm start` first runs.
 */
export const statementDemo = {
  customerId: 'c-kunstbezit-haarlem',
  projectId: 'p-kunstbezit-archief',
  issueDate: '2026-11-02',
  number: 'INV-2026-000001',
  reference: creditorReference('INV2026000001'),
  /** 10 h x EUR 95.00 + 21 % VAT. */
  total: 114_950,
} as const;

const customer: CustomerRecord = {
  id: statementDemo.customerId,
  name: 'Stichting Kunstbezit Haarlem',
  address: 'Grote Markt 2\n2011 RD Haarlem\nNederland',
  // Structured, as every issued invoice needs (the delivery renders the documents from it).
  postalAddress: { lines: ['Grote Markt 2'], postalCode: '2011 RD', city: 'Haarlem', subdivision: null, country: 'NL' },
  email: 'administratie@kunstbezit.example',
  taxId: 'NL003456789B01',
  language: 'nl',
  version: 1,
};

const project: ProjectRecord = {
  id: statementDemo.projectId,
  name: 'Archiefdigitalisering',
  customerId: statementDemo.customerId,
  currency: 'EUR',
  orgUnit: 'Publieke sector',
  frequency: {
    period: 'monthly',
    runsPerPeriod: 1,
    runDayMode: 'dayOfPeriod',
    rules: [{ day: 'last' }],
    billingStart: '2026-10-01',
    billingEnd: '2026-10-31',
  },
  contractLines: [
    { id: 'p-kunstbezit-archief-tm', description: 'Advies archiefdigitalisering', billingMethod: 'time_and_material' },
  ],
  paymentTermsDays: 30,
  // The e-invoice needs a buyer reference (BT-10, PEPPOL-EN16931-R003); without it the issue is refused.
  buyerReference: 'KBH-2026-031',
  version: 1,
};

function work(n: number, date: string, hours: string): TransactionRecord {
  return {
    id: `${project.id}-t${n}`,
    projectId: project.id,
    type: 'time',
    date,
    contractLineId: 'p-kunstbezit-archief-tm',
    resource: 'Sanne de Vries',
    orgUnit: 'Publieke sector',
    description: 'Advies archiefdigitalisering',
    printedDescription: 'Advies archiefdigitalisering',
    quantity: hours,
    unit: 'hour',
    unitPrice: '95.00',
    tax: { code: 'NL-HIGH', category: 'S', rate: '21' },
    billingType: 'chargeable',
    approved: true,
    onHold: false,
    reservedBy: null,
    version: 1,
    billingState: 'unbilled',
  };
}

/** Seeds the invoice (idempotent: a second call finds it issued). Returns its id. */
export async function seedStatementDemo(): Promise<string> {
  const actor = { username: 'demo-seed', userId: 'demo-seed' };
  await putCustomer(customer);
  await putProject(project);
  for (const transaction of [work(1, '2026-10-12', '6'), work(2, '2026-10-19', '4')])
    await putNewTransaction(transaction);
  const madeOn = new Date('2026-11-02T08:00:00Z');
  const preview = await previewManualInvoice(project.id, { cutOff: '2026-10-31' }, actor, madeOn);
  const draft = await finishManualInvoice(project.id, preview.token, 'demo-statement-invoice', actor, madeOn);
  if (draft.number === null) {
    await issueInvoice(
      draft.id,
      draft.version,
      { actor: actor.username, now: madeOn.toISOString(), today: statementDemo.issueDate },
      actor.userId,
      {
        supplier: await firmProfile(),
        contractLineNames: { 'p-kunstbezit-archief-tm': 'Advies archiefdigitalisering' },
        requireApproval: false,
        to: customer.email as string,
      },
    );
  }
  const issued = await invoiceHeader(draft.id);
  if (issued?.paymentReference !== statementDemo.reference || issued.totals.total !== statementDemo.total)
    console.warn(
      `  demo: the invoice for the sample bank statement is ${issued?.number} (${issued?.paymentReference}), not ${statementDemo.number}: local/demo/camt053-sample.xml will not find it`,
    );
  return draft.id;
}
