import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { cloud } from '../clients.ts';
import {
  call,
  expectContract,
  manualDraft,
  monthlyProjectBody,
  setupProject,
  tokenFor,
  transactionBody,
} from './support.ts';

/** Helpers of the bank statement tests (API and fault tests). */
/** POST /bank-statements with an XML body (checked against the contract like every call). */
export async function postStatement(
  xml: string,
  options: { as?: 'billing' | 'viewer'; contentType?: string; key?: string } = {},
) {
  const response = await fetch(`${cloud.api}/bank-statements`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await tokenFor(options.as ?? 'billing')}`,
      'content-type': options.contentType ?? 'application/xml',
      'idempotency-key': options.key ?? randomUUID(),
    },
    body: xml,
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  expectContract('POST', '/bank-statements', response.status, response.headers.get('content-type'), body);
  return { status: response.status, body };
}

/** A sent invoice of a new customer (Belgian when `belgian`), with its payment reference. */
export async function sentInvoice(belgian = false) {
  const suffix = randomUUID().slice(0, 8);
  let projectId: string;
  if (belgian) {
    const customer = await call('POST', '/customers', {
      as: 'admin',
      body: {
        id: `c-${suffix}`,
        name: `Klant ${suffix}`,
        address: 'Noorderlaan 1\n2030 Antwerpen',
        email: `be-${suffix}@example.com`,
        taxId: 'BE0123456749',
        language: 'nl',
      },
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    expect((await call('POST', '/projects', { as: 'admin', body: monthlyProjectBody(suffix) })).status).toBe(201);
    expect(
      (
        await call('POST', '/transactions', {
          as: 'admin',
          body: transactionBody(`p-${suffix}`, `t-${suffix}`, '2026-10-02'),
        })
      ).status,
    ).toBe(201);
    projectId = `p-${suffix}`;
  } else {
    projectId = (await setupProject(suffix, 2)).projectId;
  }
  const { invoice, etag } = await manualDraft(projectId);
  const sent = await call('POST', `/invoices/${invoice.id}/send`, { as: 'billing', ifMatch: etag });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  const issued = (await call('GET', `/invoices/${invoice.id}`, { as: 'viewer' })).body;
  return { ...issued, customerName: `Klant ${suffix}` } as {
    id: string;
    number: string;
    version: number;
    customerId: string;
    customerName: string;
    paymentReference: string;
    totals: { total: number; balance: number; paid: number };
    status: string;
  };
}
