import { defaultReminderPlan } from '../functions/domain/reminders.ts';
import { addDays, type InvoiceFrequency, type TaxRate, type TransactionType } from '../functions/domain/index.ts';
import type {
  CustomerRecord,
  MilestoneRecord,
  ProjectRecord,
  TransactionRecord,
} from '../functions/adapters/dynamodb/items.ts';

/**
 * The demo firm: Polder Advies B.V., a Dutch consultancy. Customers at home and abroad (one Belgian customer under
 * reverse charge, one American customer billed in USD, a Dutch consumer), with structured addresses and Peppol ids
 * (KvK 0106, OIN 0190, KBO 0208) where a customer has one; projects on every kind of invoice frequency, a few hundred
 * transactions of every type in the weeks before `today`, and a fixed-price milestone ready to invoice.
 * Deterministic for a given `today` (a small seeded generator, no Math.random).
 */
export const firmProfile = {
  name: 'Polder Advies B.V.',
  address: { line1: 'Keizersgracht 123', postalCode: '1015 CJ', city: 'Amsterdam', country: 'NL' },
  postalAddress: {
    lines: ['Keizersgracht 123'],
    postalCode: '1015 CJ',
    city: 'Amsterdam',
    subdivision: null,
    country: 'NL',
  },
  electronicAddress: { scheme: '0106', identifier: '12345678' },
  vatNumber: 'NL859999999B01',
  chamberOfCommerce: '12345678',
  iban: 'NL91ABNA0417164300',
  bic: 'ABNANL2A',
  email: 'facturen@polderadvies.example',
  timeZone: 'Europe/Amsterdam',
  paymentReferenceFormats: { BE: 'belgian' } as Record<string, 'iso11649' | 'belgian'>,
  // Reminders at +7, +21 and a final notice at +35 days, stating statutory interest to business customers.
  reminderPlan: { ...defaultReminderPlan, lateInterest: true },
};

const high: TaxRate = { code: 'NL-HIGH', category: 'S', rate: '21' };
const low: TaxRate = { code: 'NL-LOW', category: 'AA', rate: '9' };
const outsideScope: TaxRate = { code: 'OUTSIDE', category: 'O', rate: '0' };
const reverseCharge: TaxRate = { code: 'AE', category: 'AE', rate: '0' };

export const demoCustomers: CustomerRecord[] = [
  {
    id: 'c-gemeente-zaanstad',
    name: 'Gemeente Zaanstad',
    postalAddress: {
      lines: ['Stadhuisplein 100'],
      postalCode: '1506 MZ',
      city: 'Zaandam',
      subdivision: null,
      country: 'NL',
    },
    electronicAddress: { scheme: '0190', identifier: '00000001823288444000' },
    email: 'crediteuren@zaanstad.example',
    taxId: 'NL001234567B01',
    language: 'nl',
    version: 1,
  },
  {
    id: 'c-havenbedrijf',
    name: 'Havenbedrijf Rotterdam N.V.',
    postalAddress: {
      lines: ['Wilhelminakade 909'],
      postalCode: '3072 AP',
      city: 'Rotterdam',
      subdivision: null,
      country: 'NL',
    },
    electronicAddress: { scheme: '0106', identifier: '24354561' },
    email: 'invoices@havenbedrijf.example',
    taxId: 'NL812345678B01',
    language: 'nl',
    version: 1,
  },
  {
    id: 'c-antwerp-logistics',
    name: 'Antwerp Logistics NV',
    postalAddress: {
      lines: ['Noorderlaan 147'],
      postalCode: '2030',
      city: 'Antwerpen',
      subdivision: null,
      country: 'BE',
    },
    electronicAddress: { scheme: '0208', identifier: '0123456749' },
    email: 'ap@antwerplogistics.example',
    taxId: 'BE0123456749',
    language: 'en',
    reverseCharge: true,
    version: 1,
  },
  {
    id: 'c-harbor-analytics',
    name: 'Harbor Analytics Inc.',
    postalAddress: {
      lines: ['500 Boylston Street'],
      postalCode: '02116',
      city: 'Boston',
      subdivision: 'MA',
      country: 'US',
    },
    electronicAddress: null,
    email: 'billing@harboranalytics.example',
    taxId: null,
    language: 'en',
    version: 1,
  },
  {
    id: 'c-de-vries',
    name: 'J. de Vries',
    postalAddress: {
      lines: ['Lindenlaan 12'],
      postalCode: '2012 AB',
      city: 'Haarlem',
      subdivision: null,
      country: 'NL',
    },
    electronicAddress: null,
    email: 'j.devries@example.com',
    taxId: null,
    language: 'nl',
    version: 1,
  },
];

interface ProjectPlan {
  readonly record: ProjectRecord;
  readonly tax: TaxRate;
  readonly rate: string;
  readonly transactions: number;
}

function frequency(
  shape: Omit<InvoiceFrequency, 'billingStart' | 'runsPerPeriod'>,
  billingStart: string,
): InvoiceFrequency {
  return { ...shape, runsPerPeriod: shape.rules.length, billingStart };
}

function project(
  id: string,
  name: string,
  customerId: string,
  currency: string,
  orgUnit: string,
  invoiceFrequency: InvoiceFrequency,
  extra: Partial<ProjectRecord> = {},
): ProjectRecord {
  return {
    id,
    name,
    customerId,
    currency,
    orgUnit,
    frequency: invoiceFrequency,
    contractLines: [
      { id: `${id}-tm`, description: 'Advies en uitvoering (nacalculatie)', billingMethod: 'time_and_material' },
    ],
    paymentTermsDays: 30,
    version: 1,
    ...extra,
  };
}

export function demoProjects(today: string): ProjectPlan[] {
  const start = addDays(today, -120);
  return [
    {
      record: project(
        'p-zaanstad-omgevingswet',
        'Omgevingswet implementatie',
        'c-gemeente-zaanstad',
        'EUR',
        'Publieke sector',
        frequency({ period: 'monthly', runDayMode: 'dayOfPeriod', rules: [{ day: 15 }, { day: 'last' }] }, start),
        { buyerReference: 'ZAAN-2026-0147' },
      ),
      tax: high,
      rate: '125.00',
      transactions: 80,
    },
    {
      record: project(
        'p-zaanstad-datalab',
        'Datalab Zaanstad',
        'c-gemeente-zaanstad',
        'EUR',
        'Data & AI',
        frequency({ period: 'weekly', runDayMode: 'weekdayOfPeriod', rules: [{ weekday: 'monday' }] }, start),
        { buyerReference: 'ZAAN-2026-0212' },
      ),
      tax: high,
      rate: '110.00',
      transactions: 60,
    },
    {
      record: project(
        'p-haven-digital-twin',
        'Digital twin haven',
        'c-havenbedrijf',
        'EUR',
        'Data & AI',
        frequency({ period: 'biweekly', runDayMode: 'dayOfPeriod', rules: [{ day: 14 }] }, start),
        {
          buyerReference: 'PO 4500123456',
          contractLines: [
            {
              id: 'p-haven-digital-twin-tm',
              description: 'Ontwikkeling (nacalculatie, plafond)',
              billingMethod: 'time_and_material',
              notToExceed: 2_500_000,
            },
            { id: 'p-haven-digital-twin-fp', description: 'Opleverfase (vaste prijs)', billingMethod: 'fixed_price' },
          ],
        },
      ),
      tax: high,
      rate: '135.00',
      transactions: 70,
    },
    {
      record: project(
        'p-haven-training',
        'Trainingen havenpersoneel',
        'c-havenbedrijf',
        'EUR',
        'Academy',
        frequency(
          { period: 'biweekly', runDayMode: 'weekdayOfPeriod', rules: [{ weekday: 'monday', occurrence: 'first' }] },
          start,
        ),
        { buyerReference: 'PO 4500123789' },
      ),
      tax: low,
      rate: '95.00',
      transactions: 30,
    },
    {
      record: project(
        'p-antwerp-warehouse',
        'Warehouse optimisation',
        'c-antwerp-logistics',
        'EUR',
        'Operations',
        frequency(
          { period: 'monthly', runDayMode: 'weekdayOfPeriod', rules: [{ weekday: 'friday', occurrence: 'last' }] },
          start,
        ),
        { buyerReference: 'AL-WH-2026' },
      ),
      tax: reverseCharge,
      rate: '140.00',
      transactions: 50,
    },
    {
      record: project(
        'p-harbor-forecasting',
        'Demand forecasting',
        'c-harbor-analytics',
        'USD',
        'Data & AI',
        frequency({ period: 'monthly', runDayMode: 'dayOfPeriod', rules: [{ day: 1 }] }, start),
      ),
      tax: outsideScope,
      rate: '175.00',
      transactions: 40,
    },
    {
      record: project(
        'p-zaanstad-archief',
        'Archief digitalisering',
        'c-gemeente-zaanstad',
        'EUR',
        'Publieke sector',
        frequency(
          { period: 'monthly', runDayMode: 'dayOfPeriod', rules: [{ day: 1 }, { day: 8 }, { day: 15 }, { day: 22 }] },
          start,
        ),
        { buyerReference: 'ZAAN-2026-0301' },
      ),
      tax: high,
      rate: '85.00',
      transactions: 40,
    },
    {
      record: project(
        'p-de-vries-verbouwing',
        'Advies verbouwing',
        'c-de-vries',
        'EUR',
        'Academy',
        frequency({ period: 'monthly', runDayMode: 'dayOfPeriod', rules: [{ day: 'last' }] }, start),
      ),
      tax: high,
      rate: '85.00',
      transactions: 40,
    },
  ];
}

/** A small deterministic generator (mulberry32), so the demo is the same for the same day. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const people = [
  { name: 'Sanne de Vries', orgUnit: 'Data & AI' },
  { name: 'Joris Bakker', orgUnit: 'Publieke sector' },
  { name: 'Fatima El Amrani', orgUnit: 'Operations' },
  { name: 'Pieter Jansen', orgUnit: 'Academy' },
];

const work: Record<TransactionType, { descriptions: string[]; unit: string }> = {
  time: {
    descriptions: [
      'Workshop met stakeholders',
      'Analyse en ontwerp',
      'Ontwikkeling',
      'Review en overdracht',
      'Projectoverleg',
    ],
    unit: 'hour',
  },
  expense: { descriptions: ['Reiskosten trein', 'Parkeerkosten', 'Lunch workshop'], unit: 'piece' },
  material: { descriptions: ['Licentie analysesoftware', 'Sensorkit', 'Printwerk rapportage'], unit: 'piece' },
  fee: { descriptions: ['Vergoeding datatoegang', 'Certificeringskosten'], unit: 'piece' },
};

export function demoTransactions(today: string): TransactionRecord[] {
  const random = generator(Number(today.replaceAll('-', '')));
  const transactions: TransactionRecord[] = [];
  for (const plan of demoProjects(today)) {
    for (let n = 0; n < plan.transactions; n++) {
      const roll = random();
      const type: TransactionType = roll < 0.7 ? 'time' : roll < 0.82 ? 'expense' : roll < 0.93 ? 'material' : 'fee';
      const person = people[Math.floor(random() * people.length)] ?? people[0]!;
      const descriptions = work[type].descriptions;
      const quantity =
        type === 'time' ? (Math.round((1 + random() * 7) * 4) / 4).toFixed(2) : String(1 + Math.floor(random() * 3));
      const unitPrice =
        type === 'time' ? plan.rate : (Math.round(10 + random() * 290) + Math.round(random() * 99) / 100).toFixed(2);
      const billingRoll = random();
      transactions.push({
        id: `${plan.record.id}-t${String(n + 1).padStart(4, '0')}`,
        projectId: plan.record.id,
        type,
        date: addDays(today, -1 - Math.floor(random() * 56)),
        contractLineId: plan.record.contractLines[0]!.id,
        resource: type === 'time' ? person.name : null,
        orgUnit: person.orgUnit,
        description: descriptions[Math.floor(random() * descriptions.length)] ?? descriptions[0]!,
        quantity,
        unit: work[type].unit,
        unitPrice,
        tax: type === 'expense' && plan.tax === high && random() < 0.3 ? low : plan.tax,
        billingType: billingRoll < 0.9 ? 'chargeable' : billingRoll < 0.95 ? 'complimentary' : 'non_chargeable',
        approved: random() < 0.95,
        onHold: random() < 0.03,
        reservedBy: null,
        version: 1,
        billingState: 'unbilled',
      });
    }
  }
  return transactions;
}

export function demoMilestones(today: string): MilestoneRecord[] {
  return [
    {
      id: 'ms-digital-twin-oplevering-1',
      projectId: 'p-haven-digital-twin',
      contractLineId: 'p-haven-digital-twin-fp',
      description: 'Oplevering fase 1: digital twin kadeinfrastructuur',
      amount: 1_850_000,
      date: addDays(today, -10),
      readyForInvoicing: true,
      tax: high,
      invoicedBy: null,
    },
    {
      id: 'ms-digital-twin-oplevering-2',
      projectId: 'p-haven-digital-twin',
      contractLineId: 'p-haven-digital-twin-fp',
      description: 'Oplevering fase 2: voorspellend onderhoud',
      amount: 2_400_000,
      date: addDays(today, 45),
      readyForInvoicing: false,
      tax: high,
      invoicedBy: null,
    },
  ];
}
