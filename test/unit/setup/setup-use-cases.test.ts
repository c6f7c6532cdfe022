import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../functions/domain/index.ts';
import { importTransactions } from '../../../functions/setup/import-transactions.ts';
import type { StoredMilestone, TransactionRecord } from '../../../functions/setup/ports.ts';
import {
  changeCustomer,
  changeMilestone,
  changeProject,
  changeTransaction,
  createCustomer,
  createMilestone,
  createProject,
  createTransaction,
} from '../../../functions/setup/setup.ts';
import { Conflict, ImportRefused, NotFound, StaleVersion } from '../../../functions/shared/errors.ts';
import { MemorySetup } from './memory-setup.ts';

/** Setup and the CSV import on the in-memory store: validation, conditional writes, nothing written when refused. */
const high = { code: 'NL-HIGH', category: 'S', rate: '21' } as const;
const customer = {
  id: 'c-1',
  name: 'Klant',
  address: '',
  postalAddress: { lines: ['Straat 1'], postalCode: '1000 AA', city: 'Amsterdam', subdivision: null, country: 'NL' },
  email: 'klant@example.com',
  taxId: null,
  language: 'nl' as const,
};
const project = {
  id: 'p-1',
  name: 'Project',
  customerId: 'c-1',
  currency: 'EUR',
  orgUnit: 'advies',
  frequency: {
    period: 'monthly',
    runsPerPeriod: 1,
    runDayMode: 'dayOfPeriod',
    rules: [{ day: 1 }],
    billingStart: '2026-01-01',
  },
  contractLines: [{ id: 'cl-1', description: 'Advies', billingMethod: 'time_and_material', notToExceed: null }],
} as unknown as Parameters<typeof createProject>[1];
const transaction = {
  projectId: 'p-1',
  type: 'time',
  date: '2026-10-01',
  contractLineId: 'cl-1',
  resource: 'jan',
  orgUnit: 'advies',
  description: 'Werk',
  printedDescription: 'Werk',
  quantity: '2.5',
  unit: 'hour',
  unitPrice: '100.00',
  tax: high,
  billingType: 'chargeable',
  approved: true,
  onHold: false,
} as unknown as Parameters<typeof createTransaction>[1];

let store: MemorySetup;
beforeEach(() => {
  store = new MemorySetup();
});

describe('setup data', () => {
  it('customers and projects: validated, created once, changed at their version', async () => {
    await expect(createCustomer(store, { ...customer, postalAddress: undefined } as never)).rejects.toMatchObject({
      field: 'postalAddress',
    });
    await expect(createCustomer(store, { ...customer, reverseCharge: true })).rejects.toMatchObject({ field: 'taxId' });
    expect(await createCustomer(store, customer)).toMatchObject({ id: 'c-1', version: 1, electronicAddress: null });
    await expect(createCustomer(store, customer)).rejects.toBeInstanceOf(Conflict);
    const { id: _id, ...anonymous } = customer;
    expect((await createCustomer(store, anonymous)).id).toMatch(/^c-/);
    expect(await changeCustomer(store, 'c-1', 1, { ...customer, name: 'Nieuw' })).toMatchObject({ version: 2 });
    await expect(changeCustomer(store, 'c-1', 1, customer)).rejects.toBeInstanceOf(StaleVersion);
    await expect(changeCustomer(store, 'c-9', 1, customer)).rejects.toBeInstanceOf(NotFound);

    await expect(createProject(store, { ...project, customerId: 'c-9' })).rejects.toMatchObject({
      field: 'customerId',
    });
    await expect(createProject(store, { ...project, currency: 'XXX' })).rejects.toMatchObject({ field: 'currency' });
    const twice = [project.contractLines[0], project.contractLines[0]] as typeof project.contractLines;
    await expect(createProject(store, { ...project, contractLines: twice })).rejects.toMatchObject({
      field: 'contractLines[1].id',
    });
    const fixed = [{ id: 'cl-2', description: 'Bouw', billingMethod: 'fixed_price', notToExceed: 100 }];
    await expect(createProject(store, { ...project, contractLines: fixed } as never)).rejects.toMatchObject({
      field: 'contractLines[0].notToExceed',
    });
    expect(await createProject(store, project)).toMatchObject({ id: 'p-1', version: 1 });
    await expect(createProject(store, project)).rejects.toBeInstanceOf(Conflict);
    await expect(changeProject(store, 'p-1', 1, { ...project, currency: 'USD' })).rejects.toMatchObject({
      field: 'currency',
    });
    expect(await changeProject(store, 'p-1', 1, { ...project, name: 'Nieuw' })).toMatchObject({ version: 2 });
    await expect(changeProject(store, 'p-1', 1, project)).rejects.toBeInstanceOf(StaleVersion);
    await expect(changeProject(store, 'p-9', 1, project)).rejects.toBeInstanceOf(NotFound);
  });

  it('transactions and milestones: only unbilled ones change', async () => {
    await createCustomer(store, customer);
    await createProject(store, project);
    await expect(createTransaction(store, { ...transaction, projectId: 'p-9' })).rejects.toMatchObject({
      field: 'projectId',
    });
    await expect(createTransaction(store, { ...transaction, contractLineId: 'cl-9' })).rejects.toMatchObject({
      field: 'contractLineId',
    });
    await expect(createTransaction(store, { ...transaction, quantity: 'x' })).rejects.toBeInstanceOf(ValidationFailed);
    const created = await createTransaction(store, { ...transaction, id: 't-1', resource: undefined } as never);
    expect(created).toMatchObject({
      id: 't-1',
      version: 1,
      billingState: 'unbilled',
      reservedBy: null,
      resource: null,
    });
    await expect(createTransaction(store, { ...transaction, id: 't-1' })).rejects.toBeInstanceOf(Conflict);
    expect(await changeTransaction(store, 't-1', 1, { ...transaction, quantity: '3' })).toMatchObject({ version: 2 });
    await expect(changeTransaction(store, 't-1', 1, transaction)).rejects.toBeInstanceOf(StaleVersion);
    await expect(changeTransaction(store, 't-1', 2, { ...transaction, projectId: 'p-2' })).rejects.toMatchObject({
      field: 'projectId',
    });
    await expect(changeTransaction(store, 't-9', 1, transaction)).rejects.toBeInstanceOf(NotFound);
    store.transactions.set('t-1', {
      ...(store.transactions.get('t-1') as TransactionRecord),
      billingState: 'reserved',
    });
    await expect(changeTransaction(store, 't-1', 2, transaction)).rejects.toBeInstanceOf(Conflict);

    const milestone = {
      projectId: 'p-1',
      contractLineId: 'cl-1',
      description: 'Oplevering',
      date: '2026-10-01',
      amount: 1000_00,
      tax: high,
    } as unknown as Parameters<typeof createMilestone>[1];
    await expect(createMilestone(store, { ...milestone, projectId: 'p-9' })).rejects.toMatchObject({
      field: 'projectId',
    });
    await expect(createMilestone(store, { ...milestone, contractLineId: 'x' })).rejects.toMatchObject({
      field: 'contractLineId',
    });
    expect(await createMilestone(store, { ...milestone, id: 'm-1' })).toMatchObject({ version: 1, invoicedBy: null });
    await expect(createMilestone(store, { ...milestone, id: 'm-1' })).rejects.toBeInstanceOf(Conflict);
    expect(await changeMilestone(store, 'm-1', 1, milestone)).toMatchObject({ version: 2 });
    await expect(changeMilestone(store, 'm-1', 1, milestone)).rejects.toBeInstanceOf(StaleVersion);
    await expect(changeMilestone(store, 'm-9', 1, milestone)).rejects.toBeInstanceOf(NotFound);
    store.milestones.set('p-1#m-1', { ...(store.milestones.get('p-1#m-1') as StoredMilestone), invoicedBy: 'inv-1' });
    await expect(changeMilestone(store, 'm-1', 2, milestone)).rejects.toBeInstanceOf(Conflict);
  });
});

describe('the CSV import of transactions', () => {
  const header = 'externalId;date;type;contractLineId;description;quantity;unit;unitPrice;vatCode;vatCategory;vatRate';
  const row = (id: string, extra = '') => `${id};3-11-2026;time;cl-1;Ontwerp${extra};2,5;uur;95,00;NL-HIGH;S;21`;

  beforeEach(async () => {
    await createCustomer(store, customer);
    await createProject(store, project);
    store.writes = 0;
  });

  it('refuses a file with any wrong row as a whole: every problem named, nothing written', async () => {
    const csv = [header, row('w-1'), 'w-2;31-11-2026;time;cl-9;X;1,5;uur;95;NL-HIGH;S;21', row('w-1')].join('\n');
    const refused = await importTransactions(store, 'p-1', { locale: 'nl', csv }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ImportRefused);
    expect(refused).toMatchObject({
      field: 'csv',
      message: expect.stringMatching(/^3 problem\(s\); nothing was imported\. Row 3, date/),
    });
    expect((refused as ImportRefused).problems).toEqual([
      { row: 3, field: 'date', message: 'not a date (dd-mm-jjjj)' },
      { row: 3, field: 'contractLineId', message: 'the project has no contract line cl-9' },
      { row: 4, field: 'externalId', message: 'the same as row 2' },
    ]);
    expect(store.writes).toBe(0);
    expect(store.transactions.size).toBe(0);
    await expect(importTransactions(store, 'p-9', { locale: 'nl', csv })).rejects.toBeInstanceOf(NotFound);
  });

  it('writes every row once: the same file again adds nothing, a retry after a crash finishes it', async () => {
    const csv = [header, ...Array.from({ length: 40 }, (_, i) => row(`w-${i}`))].join('\n');
    store.failImportAt = 25;
    await expect(importTransactions(store, 'p-1', { locale: 'nl', csv })).rejects.toThrow(/crash/);
    const halfway = store.transactions.size;
    expect(halfway).toBeGreaterThan(0);
    expect(halfway).toBeLessThan(40);
    store.failImportAt = undefined;
    expect(await importTransactions(store, 'p-1', { locale: 'nl', csv })).toEqual({
      rows: 40,
      created: 40 - halfway,
      unchanged: halfway,
    });
    expect(await importTransactions(store, 'p-1', { locale: 'nl', csv })).toEqual({
      rows: 40,
      created: 0,
      unchanged: 40,
    });
    expect(store.transactions.size).toBe(40);
    expect([...store.transactions.values()][0]).toMatchObject({
      projectId: 'p-1',
      quantity: '2.5',
      unitPrice: '95.00',
      printedDescription: 'Ontwerp',
      billingState: 'unbilled',
      version: 1,
    });
  });
});
