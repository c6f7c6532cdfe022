import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { addDays } from '../../functions/domain/index.ts';
import { call, manualDraft, monthlyProjectBody, transactionBody } from '../integration/api/support.ts';

/**
 * Issued invoices for the reminder tests, made the way production makes them (customer, project and work through
 * the API, manual invoicing, Send), only sent "on" an earlier day so that their due date is before the run date.
 * The test process must point its SDK at the local cloud (useLocalCloudFromTests) for the in-process Send.
 */
export async function givenIssuedInvoice(options: {
  readonly issuedOn: string;
  readonly business?: boolean;
  readonly language?: 'nl' | 'en';
  readonly suffix?: string;
}) {
  const suffix = options.suffix ?? randomUUID().slice(0, 8);
  const customer = await call('POST', '/customers', {
    as: 'admin',
    body: {
      id: `c-${suffix}`,
      name: `Klant ${suffix}`,
      postalAddress: {
        lines: ['Straat 1'],
        postalCode: '1000 AA',
        city: 'Amsterdam',
        subdivision: null,
        country: 'NL',
      },
      electronicAddress: { scheme: '0106', identifier: '12345678' },
      email: `klant-${suffix}@example.com`,
      taxId: options.business ? 'NL001234567B01' : null,
      language: options.language ?? 'nl',
    },
  });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const project = await call('POST', '/projects', { as: 'admin', body: monthlyProjectBody(suffix) });
  expect(project.status, JSON.stringify(project.body)).toBe(201);
  const work = await call('POST', '/transactions', {
    as: 'admin',
    body: transactionBody(`p-${suffix}`, `t-${suffix}`, addDays(options.issuedOn, -3)),
  });
  expect(work.status, JSON.stringify(work.body)).toBe(201);
  const { invoice, etag } = await manualDraft(`p-${suffix}`, addDays(options.issuedOn, -1));
  const { sendToCustomer } = await import('../../functions/handlers/wiring/sending.ts');
  const sent = await sendToCustomer(
    invoice.id,
    Number(etag.replaceAll('"', '')),
    { username: 'billing', userId: 'test' },
    new Date(),
    options.issuedOn,
  );
  return sent.invoice;
}
