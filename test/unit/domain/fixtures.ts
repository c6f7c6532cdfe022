import type { CommandContext, Milestone, Project, Transaction } from '../../../functions/domain/index.ts';

export const ctx: CommandContext = { actor: 'user-1', now: '2027-02-01T09:00:00.000Z', today: '2027-02-01' };

export const VAT21 = { code: 'NL-HIGH', category: 'S', rate: '21' } as const;
export const VAT9 = { code: 'NL-LOW', category: 'AA', rate: '9' } as const;
export const VAT0 = { code: 'NL-ZERO', category: 'Z', rate: '0' } as const;

export function project(overrides: Partial<Project> = {}): Project {
  return {
    id: 'P1',
    currency: 'EUR',
    customer: { name: 'Acme BV', address: 'Main 1\nAmsterdam', email: 'ap@acme.test', taxId: 'NL001', language: 'nl' },
    contractLines: [
      { id: 'CL1', description: 'Consulting', billingMethod: 'time_and_material' },
      { id: 'CL2', description: 'Build', billingMethod: 'fixed_price' },
    ],
    paymentTermsDays: 14,
    ...overrides,
  };
}

export function tx(id: string, overrides: Partial<Transaction> = {}): Transaction {
  return {
    id,
    type: 'time',
    date: '2027-01-10',
    contractLineId: 'CL1',
    resource: 'alice',
    orgUnit: 'NL',
    description: `work ${id}`,
    quantity: '2',
    unit: 'hour',
    unitPrice: '100',
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
    description: `milestone ${id}`,
    amount: 500_00,
    date: '2027-01-15',
    readyForInvoicing: true,
    tax: VAT21,
    invoicedBy: null,
    ...overrides,
  };
}
