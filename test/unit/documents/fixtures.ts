/**
 * Issued invoices built through the real domain (buildInvoice + send, creditNote) for the document tests.
 * Fixed numbers, dates and ids, so documents are comparable byte for byte.
 */
import {
  buildInvoice,
  creditNote,
  send,
  type CommandContext,
  type CustomerSnapshot,
  type Invoice,
  type Milestone,
  type Project,
  type Transaction,
} from '../../../functions/domain/index.ts';
import { firmProfile } from '../../../local/demo-data.ts';
import type { FirmProfile } from '../../../functions/documents/firm.ts';

export const ctx: CommandContext = { actor: 'user-1', now: '2027-02-01T09:00:00.000Z', today: '2027-02-01' };
export const RUN_DATE = '2027-02-01';
export const CUT_OFF = '2027-01-31';

export const VAT21 = { code: 'NL-HIGH', category: 'S', rate: '21' } as const;
export const VAT9 = { code: 'NL-LOW', category: 'AA', rate: '9' } as const;

/** The demo firm (local/demo-data.ts) as a FirmProfile. */
const { timeZone: _timeZone, ...demoFirm } = firmProfile;
export const firm: FirmProfile = demoFirm;

export const dutchCustomer: CustomerSnapshot = {
  name: 'Bakkerij De Molen B.V.',
  address: 'Dorpsstraat 1\n3511 AB Utrecht',
  postalAddress: { lines: ['Dorpsstraat 1'], postalCode: '3511 AB', city: 'Utrecht', subdivision: null, country: 'NL' },
  electronicAddress: { scheme: '0106', identifier: '87654321' },
  email: 'crediteuren@demolen.example',
  taxId: 'NL001234567B01',
  language: 'nl',
};

export const belgianCustomer: CustomerSnapshot = {
  name: 'Brouwerij Zenne BV',
  address: 'Grote Markt 1\n1000 Brussel\nBE',
  postalAddress: { lines: ['Grote Markt 1'], postalCode: '1000', city: 'Brussel', subdivision: null, country: 'BE' },
  email: 'ap@zenne.example',
  taxId: 'BE0123456789',
  language: 'en',
  reverseCharge: true,
};

export function project(customer: CustomerSnapshot, overrides: Partial<Project> = {}): Project {
  return {
    id: 'P-100',
    currency: 'EUR',
    customer,
    contractLines: [
      { id: 'CL1', description: 'Advisory', billingMethod: 'time_and_material' },
      { id: 'CL2', description: 'Implementation', billingMethod: 'fixed_price' },
    ],
    paymentTermsDays: 14,
    buyerReference: 'PO-4711',
    ...overrides,
  };
}

export function tx(id: string, overrides: Partial<Transaction> = {}): Transaction {
  return {
    id,
    type: 'time',
    date: '2027-01-10',
    contractLineId: 'CL1',
    resource: 'anna',
    orgUnit: 'NL',
    description: `work ${id}`,
    quantity: '1',
    unit: 'hour',
    unitPrice: '95',
    tax: VAT21,
    billingType: 'chargeable',
    approved: true,
    onHold: false,
    reservedBy: null,
    version: 1,
    ...overrides,
  };
}

export function milestone(id: string, overrides: Partial<Milestone> = {}): Milestone {
  return {
    id,
    contractLineId: 'CL2',
    description: `Milestone ${id}`,
    amount: 1500_00,
    date: '2027-01-20',
    readyForInvoicing: true,
    tax: VAT21,
    invoicedBy: null,
    ...overrides,
  };
}

/** Builds a run draft and sends it with the given number. */
export function issued(
  p: Project,
  transactions: Transaction[],
  milestones: Milestone[] = [],
  number = 'INV-2027-000001',
  invoiceId = 'inv-1',
): Invoice {
  const built = buildInvoice({
    invoiceId,
    origin: { kind: 'run' },
    project: p,
    transactions,
    milestones,
    runDate: RUN_DATE,
    cutOff: CUT_OFF,
  });
  if (built.outcome !== 'draft') throw new Error('nothing to invoice');
  return send(built.invoice, { number }, ctx).invoice;
}

/**
 * Dutch customer: 7.5 h x 95 (21%), 3 x 12.35 material (9%), 2 h complimentary (value 190), a 23.40 expense (21%)
 * and a 1,500 milestone (21%). Net 2,272.95; VAT 21% 469.54 (on 2,235.90), 9% 3.33 (on 37.05); total 2,745.82.
 */
export function dutchInvoice(overrides: Partial<Project> = {}): Invoice {
  return issued(
    project(dutchCustomer, overrides),
    [
      tx('t1', {
        date: '2027-01-05',
        quantity: '7.5',
        description: 'Workshop procesinrichting',
        printedDescription: 'Workshop procesinrichting',
      }),
      tx('t2', {
        date: '2027-01-12',
        type: 'material',
        quantity: '3',
        unit: 'piece',
        unitPrice: '12.35',
        tax: VAT9,
        description: 'Handboeken',
      }),
      tx('t3', { date: '2027-01-14', quantity: '2', billingType: 'complimentary', description: 'Nazorg (kosteloos)' }),
      tx('t4', {
        date: '2027-01-18',
        type: 'expense',
        quantity: '1',
        unit: 'piece',
        unitPrice: '23.40',
        description: 'Treinkaartje Utrecht',
      }),
    ],
    [milestone('m1')],
  );
}

/** Reverse charge (AE) customer in Belgium, English: 10 h x 120 = 1,200.00, no VAT. */
export function reverseChargeInvoice(): Invoice {
  return issued(
    project(belgianCustomer),
    [tx('r1', { quantity: '10', unitPrice: '120', description: 'Advisory sessions' })],
    [],
    'INV-2027-000002',
    'inv-2',
  );
}

/** JPY (exponent 0), English: 3 h x 12,345 = 37,035; VAT 21% 7,777; total 44,812. */
export function yenInvoice(): Invoice {
  return issued(
    project({ ...dutchCustomer, language: 'en' }, { currency: 'JPY' }),
    [tx('j1', { quantity: '3', unitPrice: '12345', description: 'Consulting Tokyo office' })],
    [],
    'INV-2027-000003',
    'inv-3',
  );
}

/** Full credit note on the Dutch invoice. */
export function fullCreditNote(): { invoice: Invoice; creditNote: Invoice } {
  const invoice = dutchInvoice();
  const result = creditNote(
    invoice,
    { creditNoteId: 'cn-1', number: 'CN-2027-000001', full: true },
    { ...ctx, today: '2027-02-10', now: '2027-02-10T10:00:00.000Z' },
  );
  return { invoice: result.invoice, creditNote: result.creditNote };
}

/** `count` time details spread over January, 21%, various quantities and prices. */
export function largeInvoice(count: number): Invoice {
  const transactions: Transaction[] = [];
  for (let i = 0; i < count; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    transactions.push(
      tx(`L${String(i).padStart(6, '0')}`, {
        date: `2027-01-${day}`,
        contractLineId: i % 3 === 0 ? 'CL2' : 'CL1',
        type: i % 5 === 0 ? 'expense' : 'time',
        quantity: `${(i % 8) + 1}.25`,
        unitPrice: `${80 + (i % 40)}.50`,
        description: `Werkzaamheden ticket #${i} — analyse, overleg en uitwerking van de wijzigingen`,
      }),
    );
  }
  return issued(project(dutchCustomer), transactions, [], 'INV-2027-000042', 'inv-big');
}

const WORDS = ['analyse', 'overleg', 'uitwerking', 'migratie', 'review', 'Offerte', 'café', '€ 1.250', '& co', '<api>'];

/** A deterministic description of about `length` characters (words from a fixed list, a marker `[id]` first). */
export function longText(id: string, length: number): string {
  let text = `[${id}]`;
  for (let i = 0; text.length < length; i++) text += ` ${WORDS[(i * 7 + id.length) % WORDS.length]}`;
  return text.slice(0, length);
}

/**
 * A multi-page invoice below the appendix threshold, in `language`: every transaction type on contract line CL1
 * (time, expense, material, fee) and milestones on CL2, descriptions of 150 to 600 characters, the time table
 * long enough to continue over a page, and one detail with a 2,000-character description (`[long]`).
 */
export function multiPageInvoice(language: 'nl' | 'en', longDescription = longText('long', 2000)): Invoice {
  const types = ['time', 'time', 'time', 'expense', 'material', 'fee'] as const;
  const transactions: Transaction[] = [];
  for (let i = 0; i < 36; i++) {
    const id = `mp${String(i).padStart(2, '0')}`;
    const description = longText(id, 150 + ((i * 97) % 450));
    transactions.push(
      tx(id, {
        date: `2027-01-${String((i % 27) + 1).padStart(2, '0')}`,
        type: types[i % types.length]!,
        quantity: `${(i % 5) + 1}.2575`,
        unit: i % 6 === 0 ? 'hour' : 'piece',
        unitPrice: `${90 + i}.1234`,
        description,
        printedDescription: description,
      }),
    );
  }
  transactions.push(tx('long', { description: 'long', printedDescription: longDescription }));
  const customer = language === 'en' ? { ...belgianCustomer } : dutchCustomer;
  return issued(
    project(customer),
    transactions,
    [milestone('m1', { description: longText('m1', 300) }), milestone('m2')],
    'INV-2027-000077',
    'inv-multi',
  );
}
