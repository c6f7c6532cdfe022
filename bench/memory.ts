import { writeFileSync } from 'node:fs';
import {
  buildInvoice,
  cutOffFor,
  type Invoice,
  type Project,
  type Transaction,
  type TransactionType,
} from '../functions/domain/index.ts';
import { renderInvoicePdf } from '../functions/documents/invoice-pdf.ts';
import { firmProfile } from '../local/demo-data.ts';
import { argument } from './lib.ts';

/**
 * Peak RSS of building a draft of N details (the domain's buildInvoice, as invoice-project runs it) and, with
 * --pdf, of also rendering its PDF (renderInvoicePdf, as the outbox sweep does), in a fresh Node process.
 * Peak RSS is the process's maxRSS (getrusage), which includes Node and the loaded modules.
 *
 *   tsx bench/memory.ts --details 20000 [--pdf] --out result.json
 */
const details = Number(argument('details', '20000'));
const withPdf = process.argv.includes('--pdf');
const out = argument('out');
const runDate = '2025-03-15';

const baselineRss = process.resourceUsage().maxRSS * 1024;
const project: Project = {
  id: 'p-memory',
  currency: 'EUR',
  customer: {
    name: 'Gemeente Teststad',
    address: 'Markt 1\n1234 AB Teststad',
    email: 'crediteuren@teststad.example',
    taxId: 'NL001234567B01',
    language: 'nl',
  },
  contractLines: [{ id: 'p-memory-tm', description: 'Advies (nacalculatie)', billingMethod: 'time_and_material' }],
  paymentTermsDays: 30,
} as Project;
const types: TransactionType[] = ['time', 'expense', 'material', 'fee'];
const transactions: Transaction[] = Array.from({ length: details }, (_, n) => {
  const type = types[n % 4] as TransactionType;
  return {
    id: `p-memory-t${String(n).padStart(6, '0')}`,
    projectId: project.id,
    type,
    date: `2025-03-${String(1 + (n % 14)).padStart(2, '0')}`,
    contractLineId: 'p-memory-tm',
    resource: type === 'time' ? 'Sanne de Vries' : null,
    orgUnit: 'Advies',
    description: `Werk ${n}`,
    quantity: type === 'time' ? `${1 + (n % 8)}.25` : '1',
    unit: type === 'time' ? 'hour' : 'piece',
    unitPrice: type === 'time' ? '112.50' : `${10 + (n % 90)}.99`,
    tax: n % 5 === 0 ? { code: 'NL-LOW', category: 'AA', rate: '9' } : { code: 'NL-HIGH', category: 'S', rate: '21' },
    billingType: 'chargeable',
    approved: true,
    onHold: false,
    reservedBy: null,
    version: 1,
  } as Transaction;
});

const started = performance.now();
const build = buildInvoice({
  invoiceId: 'inv-memory',
  origin: { kind: 'run' },
  project,
  transactions,
  milestones: [],
  runDate,
  cutOff: cutOffFor(runDate),
});
if (build.outcome !== 'draft' || build.invoice.details.length !== details)
  throw new Error(
    `built ${build.outcome} with ${build.outcome === 'draft' ? build.invoice.details.length : 0} details`,
  );
const buildMillis = performance.now() - started;
let pdfBytes = 0;
let pdfMillis = 0;
if (withPdf) {
  const issued: Invoice = {
    ...build.invoice,
    status: 'issued',
    number: 'INV-2025-000001',
    issueDate: '2025-03-16',
    dueDate: '2025-04-15',
  };
  const pdfStarted = performance.now();
  pdfBytes = (await renderInvoicePdf(issued, firmProfile as never)).length;
  pdfMillis = performance.now() - pdfStarted;
}
writeFileSync(
  out,
  JSON.stringify({
    details,
    pdf: withPdf,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    startRssBytes: baselineRss,
    buildMillis,
    pdfMillis,
    pdfBytes,
  }),
);
