import { randomUUID } from 'node:crypto';
import { addDays, type InvoiceFrequency, type TaxRate, type TransactionType } from '../../functions/domain/index.ts';
import type { CustomerRecord, ProjectRecord, TransactionRecord } from '../../functions/adapters/dynamodb/items.ts';
import { putCustomer, putProject } from '../../functions/adapters/dynamodb/projects-store.ts';
import { putNewTransaction } from '../../functions/adapters/dynamodb/transactions-store.ts';

/** Test data written through the stores, with ids unique to the test so tests can share one table. */
export const vatHigh: TaxRate = { code: 'NL-HIGH', category: 'S', rate: '21' };
export const vatLow: TaxRate = { code: 'NL-LOW', category: 'AA', rate: '9' };

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function givenCustomer(overrides: Partial<CustomerRecord> = {}): Promise<CustomerRecord> {
  const customer: CustomerRecord = {
    id: uniqueId('c'),
    name: 'Gemeente Teststad',
    address: 'Markt 1\n1234 AB Teststad',
    email: 'crediteuren@teststad.example',
    taxId: 'NL001234567B01',
    language: 'nl',
    version: 1,
    ...overrides,
  };
  await putCustomer(customer);
  return customer;
}

export async function givenProject(
  customerId: string,
  frequency: InvoiceFrequency,
  overrides: Partial<ProjectRecord> = {},
): Promise<ProjectRecord> {
  const id = overrides.id ?? uniqueId('p');
  const project: ProjectRecord = {
    id,
    name: `Project ${id}`,
    customerId,
    currency: 'EUR',
    orgUnit: 'Advies',
    frequency,
    contractLines: [{ id: `${id}-tm`, description: 'Advies (nacalculatie)', billingMethod: 'time_and_material' }],
    paymentTermsDays: 30,
    version: 1,
    ...overrides,
  };
  await putProject(project);
  return project;
}

export function transaction(
  project: ProjectRecord,
  n: number,
  date: string,
  overrides: Partial<TransactionRecord> = {},
): TransactionRecord {
  const types: TransactionType[] = ['time', 'expense', 'material', 'fee'];
  const type = types[n % 4] as TransactionType;
  return {
    id: `${project.id}-t${String(n).padStart(6, '0')}`,
    projectId: project.id,
    type,
    date,
    contractLineId: project.contractLines[0]!.id,
    resource: type === 'time' ? 'Sanne de Vries' : null,
    orgUnit: 'Advies',
    description: `Werk ${n}`,
    quantity: type === 'time' ? `${1 + (n % 8)}.25` : '1',
    unit: type === 'time' ? 'hour' : 'piece',
    unitPrice: type === 'time' ? '112.50' : `${10 + (n % 90)}.99`,
    tax: n % 5 === 0 ? vatLow : vatHigh,
    billingType: 'chargeable',
    approved: true,
    onHold: false,
    reservedBy: null,
    version: 1,
    billingState: 'unbilled',
    ...overrides,
  };
}

export async function givenTransactions(transactions: readonly TransactionRecord[], inFlight = 16): Promise<void> {
  for (let start = 0; start < transactions.length; start += inFlight) {
    await Promise.all(transactions.slice(start, start + inFlight).map((item) => putNewTransaction(item)));
  }
}

export function monthlyOn(days: (number | 'last')[], billingStart: string): InvoiceFrequency {
  return {
    period: 'monthly',
    runsPerPeriod: days.length,
    runDayMode: 'dayOfPeriod',
    rules: days.map((day) => ({ day })),
    billingStart,
  };
}

export function weeklyOn(
  weekday: 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday',
  billingStart: string,
): InvoiceFrequency {
  return { period: 'weekly', runsPerPeriod: 1, runDayMode: 'weekdayOfPeriod', rules: [{ weekday }], billingStart };
}

export { addDays };
