import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { operations } from '../../../functions/api/openapi.ts';
import { todayInZone } from '../../../functions/domain/index.ts';
import { routes } from '../../../infra/definitions/routes.ts';
import { cloud } from '../clients.ts';
import { call, high, manualDraft, setupProject, tokenFor, transactionBody } from './support.ts';

/**
 * Hostile requests at the edge: each answers 4xx problem+json naming the field, and nothing changes (read back).
 */
const today = todayInZone(new Date(), 'Europe/Amsterdam');

/** A raw request (bytes, any content type) to the API twin. */
async function raw(
  method: string,
  path: string,
  body: string | Buffer | undefined,
  headers: Record<string, string>,
  as: 'billing' | 'admin' = 'admin',
) {
  const response = await fetch(`${cloud.api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await tokenFor(as)}`,
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as { field?: string; detail?: string },
  };
}

async function issuedInvoice() {
  const { projectId } = await setupProject();
  const { invoice } = await manualDraft(projectId);
  const sent = await call('POST', `/invoices/${invoice.id}/send`, { as: 'billing', ifMatch: invoice.version });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  return sent.body.invoice as { id: string; version: number; totals: { total: number; balance: number } };
}

describe('stale If-Match on every write route', () => {
  it('answers 412 with currentVersion and the current ETag, and changes nothing, for each route of the table', async () => {
    const { projectId, customerId } = await setupProject();
    const { invoice } = await manualDraft(projectId);
    const detail = (await call('GET', `/invoices/${invoice.id}/details`, { as: 'viewer' })).body.items[0].id;
    const issued = await issuedInvoice();
    const paid = await call('POST', `/invoices/${issued.id}/payments`, {
      as: 'billing',
      ifMatch: issued.version,
      body: { paymentId: 'pay-edge', amount: 100, currency: 'EUR', date: today, method: 'bank' },
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const milestone = await call('POST', '/milestones', {
      as: 'admin',
      body: {
        projectId,
        contractLineId: 'cl-1',
        description: 'Oplevering',
        amount: 1000,
        date: '2026-10-15',
        readyForInvoicing: false,
        tax: high,
      },
    });
    const unbilled = await call('POST', '/transactions', {
      as: 'admin',
      body: transactionBody(projectId, `t-${randomUUID().slice(0, 8)}`, '2026-11-20'),
    });
    expect(unbilled.status).toBe(201);
    const project = (await call('GET', `/projects/${projectId}`, { as: 'viewer' })).body;
    const customer = (await call('GET', `/customers/${customerId}`, { as: 'viewer' })).body;
    const { id: _p, version: _pv, ...projectBody } = project;
    const cases: Record<string, { path: string; body?: unknown; read: string; as: 'billing' | 'admin' }> = {
      'DELETE /invoices/{invoiceId}': {
        path: `/invoices/${invoice.id}`,
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'PATCH /invoices/{invoiceId}/details/{detailId}': {
        path: `/invoices/${invoice.id}/details/${detail}`,
        body: { quantity: '1' },
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'DELETE /invoices/{invoiceId}/details/{detailId}': {
        path: `/invoices/${invoice.id}/details/${detail}`,
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/recalculate': {
        path: `/invoices/${invoice.id}/recalculate`,
        body: {},
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/send': {
        path: `/invoices/${invoice.id}/send`,
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/payments': {
        path: `/invoices/${issued.id}/payments`,
        body: { paymentId: 'pay-stale', amount: 100, currency: 'EUR', date: today, method: 'bank' },
        read: `/invoices/${issued.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/payments/{paymentId}/reversal': {
        path: `/invoices/${issued.id}/payments/pay-edge/reversal`,
        body: { reversalId: 'rev-stale', date: today },
        read: `/invoices/${issued.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/credit-notes': {
        path: `/invoices/${issued.id}/credit-notes`,
        body: { full: true },
        read: `/invoices/${issued.id}`,
        as: 'billing',
      },
      'PATCH /invoices/{invoiceId}': {
        path: `/invoices/${invoice.id}`,
        body: { notes: 'Changed' },
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/details': {
        path: `/invoices/${invoice.id}/details`,
        body: {
          type: 'fee',
          contractLineId: 'cl-1',
          date: '2026-10-26',
          description: 'Reiskosten forfaitair',
          quantity: '1',
          unit: 'stuk',
          unitPrice: '45.00',
          tax: high,
        },
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/submit': {
        path: `/invoices/${invoice.id}/submit`,
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/approve': {
        path: `/invoices/${invoice.id}/approve`,
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/return': {
        path: `/invoices/${invoice.id}/return`,
        body: { comment: 'Changed' },
        read: `/invoices/${invoice.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/reminders/pause': {
        path: `/invoices/${issued.id}/reminders/pause`,
        body: { reason: 'A dispute' },
        read: `/invoices/${issued.id}`,
        as: 'billing',
      },
      'POST /invoices/{invoiceId}/reminders/resume': {
        path: `/invoices/${issued.id}/reminders/resume`,
        body: { reason: 'Settled' },
        read: `/invoices/${issued.id}`,
        as: 'billing',
      },
      'PUT /customers/{customerId}': {
        path: `/customers/${customerId}`,
        body: { ...customer, id: undefined, version: undefined, name: 'Changed' },
        read: `/customers/${customerId}`,
        as: 'admin',
      },
      'PUT /projects/{projectId}': {
        path: `/projects/${projectId}`,
        body: { ...projectBody, name: 'Changed' },
        read: `/projects/${projectId}`,
        as: 'admin',
      },
      'PUT /transactions/{transactionId}': {
        path: `/transactions/${unbilled.body.id}`,
        body: transactionBody(projectId, undefined, '2026-11-20', { description: 'Changed' }),
        read: `/transactions/${unbilled.body.id}`,
        as: 'admin',
      },
      'PUT /milestones/{milestoneId}': {
        path: `/milestones/${milestone.body.id}`,
        body: { ...milestone.body, id: undefined, version: undefined, invoicedBy: undefined, readyForInvoicing: true },
        read: `/milestones?projectId=${projectId}`,
        as: 'admin',
      },
    };
    const writeRoutes = routes
      .map((route) => `${route.method} ${route.path}`)
      .filter((routeKey) => operations[routeKey]?.etag === 'write');
    expect(writeRoutes.length).toBeGreaterThan(10);
    for (const routeKey of writeRoutes) {
      const test = cases[routeKey];
      expect(test, `a stale If-Match case for ${routeKey}`).toBeDefined();
      if (!test) continue;
      const before = await call('GET', test.read, { as: 'viewer' });
      const method = routeKey.split(' ')[0] as string;
      const body = test.body === undefined ? undefined : JSON.parse(JSON.stringify(test.body));
      const response = await call(method, test.path, { as: test.as, ifMatch: 999, ...(body ? { body } : {}) });
      expect({ routeKey, status: response.status }).toEqual({ routeKey, status: 412 });
      expect(response.body.field).toBe('If-Match');
      expect(typeof response.body.currentVersion).toBe('number');
      expect(response.headers.get('etag')).toBe(`"${response.body.currentVersion}"`);
      const after = await call('GET', test.read, { as: 'viewer' });
      expect(after.body, routeKey).toEqual(before.body);
    }
  }, 180_000);

  it('20 parallel sends with different Idempotency-Keys: one 200, the others 412, one number taken', async () => {
    const { projectId } = await setupProject();
    const { invoice } = await manualDraft(projectId);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('POST', `/invoices/${invoice.id}/send`, { as: 'billing', ifMatch: invoice.version }),
      ),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(19);
    for (const refused of results.filter((result) => result.status === 412))
      expect(refused.body.currentVersion).toBeGreaterThan(invoice.version);
  }, 120_000);
});

describe('hostile bodies', () => {
  it('a body without content-type or as text/plain is 415 content-type; nothing changes', async () => {
    const { customerId } = await setupProject();
    const before = await call('GET', `/customers/${customerId}`, { as: 'viewer' });
    const { id: _i, version, ...body } = before.body;
    const variants: Record<string, string>[] = [
      { 'content-type': 'text/plain' },
      {},
      { 'content-type': 'application/json; charset=latin1' },
    ];
    for (const headers of variants) {
      const response = await raw('PUT', `/customers/${customerId}`, JSON.stringify({ ...body, name: 'X' }), {
        ...headers,
        'if-match': `"${version}"`,
      });
      expect({ headers, status: response.status, field: response.body.field }).toEqual({
        headers,
        status: 415,
        field: 'content-type',
      });
      expect(response.contentType).toBe('application/problem+json');
    }
    expect((await call('GET', `/customers/${customerId}`, { as: 'viewer' })).body).toEqual(before.body);
  });

  it('invalid UTF-8 is 400 body, duplicate keys 400 naming the key, control and bidi characters 400 naming the field', async () => {
    const { customerId } = await setupProject();
    const before = await call('GET', `/customers/${customerId}`, { as: 'viewer' });
    const { id: _i, version, ...body } = before.body;
    const json = { 'content-type': 'application/json', 'if-match': `"${version}"` };
    const put = (text: string | Buffer) => raw('PUT', `/customers/${customerId}`, text, json);
    const text = JSON.stringify({ ...body, name: 'NAME' });
    const [head, tail] = text.split('NAME') as [string, string];
    const invalid = Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28]), Buffer.from(tail)]);
    const cases: [string, string | Buffer, string][] = [
      ['invalid UTF-8', invalid, 'body'],
      ['a duplicate key', `${text.slice(0, -1)},"name":"Other"}`, 'name'],
      ['NUL', text.replace('NAME', 'A\\u0000B'), 'name'],
      ['a right-to-left override', text.replace('NAME', 'abc\u202Edef'), 'name'],
      ['a first-strong isolate', text.replace('NAME', 'abc\u2068def'), 'name'],
      ['a lone surrogate', text.replace('NAME', 'abc\\ud800def'), 'name'],
      ['a newline in a one-line field', text.replace('NAME', 'abc\\ndef'), 'name'],
      [
        'a carriage return in a multi-line field',
        JSON.stringify({ ...body, address: 'Straat 1\r\nAmsterdam' }),
        'address',
      ],
      ['an escape character in a key', `${text.slice(0, -1)},"na\\u001bme":"x"}`, 'body'],
    ];
    for (const [what, payload, field] of cases) {
      const response = await put(payload);
      expect({ what, status: response.status, field: response.body.field }).toEqual({ what, status: 400, field });
    }
    expect((await call('GET', `/customers/${customerId}`, { as: 'viewer' })).body).toEqual(before.body);
    // Tab and newline are fine in a multi-line field.
    const multiLine = await put(JSON.stringify({ ...body, address: 'Straat 1\n\t1000 AA Amsterdam' }));
    expect(multiLine.status).toBe(200);
  });

  it('{"amount":1,"amount":1000000} is 400 amount, not a payment of 1,000,000; payment dates are bounded', async () => {
    const issued = await issuedInvoice();
    const payment = { paymentId: 'p-dup', currency: 'EUR', date: today, method: 'bank' };
    const duplicate = await raw(
      'POST',
      `/invoices/${issued.id}/payments`,
      `{"amount":1,${JSON.stringify(payment).slice(1, -1)},"amount":1000000}`,
      { 'content-type': 'application/json', 'if-match': `"${issued.version}"` },
      'billing',
    );
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.field).toBe('amount');
    for (const date of ['0000-01-01', '9999-12-31', '2000-01-01']) {
      const response = await call('POST', `/invoices/${issued.id}/payments`, {
        as: 'billing',
        ifMatch: issued.version,
        body: { ...payment, amount: 100, date },
      });
      expect({ date, status: response.status, field: response.body.field }).toEqual({
        date,
        status: 422,
        field: 'date',
      });
    }
    const after = await call('GET', `/invoices/${issued.id}`, { as: 'viewer' });
    expect({ version: after.body.version, balance: after.body.totals.balance }).toEqual({
      version: issued.version,
      balance: issued.totals.balance,
    });
  });

  it('arrays over their bound answer 400 at once, naming the field (100,000 transaction types)', async () => {
    const { projectId } = await setupProject();
    const huge = Array.from({ length: 100_000 }, (_, n) => n);
    const response = await call('POST', `/projects/${projectId}/invoice-preview`, {
      as: 'billing',
      body: { cutOff: '2026-10-31', transactionTypes: huge },
    });
    expect(response.status).toBe(400);
    expect(response.body.field).toBe('transactionTypes');
  });

  it('a cursor from another listing is 400 cursor on every paged route', async () => {
    const a = await setupProject(undefined, 3);
    const b = await setupProject(undefined, 3);
    const { invoice } = await manualDraft(a.projectId);
    const cursor = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const foreign = {
      transactions: cursor({ pk: `PROJECT#${b.projectId}`, sk: 'TX#2026-10-01#x' }),
      // The right project's partition, but not its transactions (the project item itself).
      projectItem: cursor({ pk: `PROJECT#${a.projectId}`, sk: 'PROJECT' }),
      projectInvoices: cursor({ pk: 'INVOICE#x', sk: 'HEADER', gsi2pk: `PROJECTINVOICES#${b.projectId}`, gsi2sk: 'x' }),
      invoices: cursor({ pk: 'INVOICE#x', sk: 'HEADER', gsi1pk: 'CUSTOMERS', gsi1sk: 'x' }),
      details: cursor({ pk: 'INVOICE#other', sk: 'DETAIL#x' }),
      history: cursor({ pk: `INVOICE#${invoice.id}`, sk: 'DETAIL#x' }),
      customers: cursor({ pk: 'PROJECT#x', sk: 'PROJECT', gsi1pk: 'PROJECTS', gsi1sk: 'x' }),
      projects: cursor({ pk: 'CUSTOMER#x', sk: 'CUSTOMER', gsi1pk: 'CUSTOMERS', gsi1sk: 'x' }),
      failedRuns: cursor({ pk: 'RUN#x#2026-01-01', sk: 'RUN', gsi2pk: `PROJECTINVOICES#${b.projectId}`, gsi2sk: 'x' }),
      overdue: cursor({ pk: 'INVOICE#x', sk: 'HEADER', gsi4pk: 'INVOICES', gsi4sk: 'x' }),
      bankStatements: cursor({ pk: 'INVOICE#x', sk: 'HEADER', gsi1pk: 'INVOICES', gsi1sk: 'x' }),
    };
    const paged = [
      `/transactions?projectId=${a.projectId}&cursor=${foreign.transactions}`,
      `/transactions?projectId=${a.projectId}&cursor=${foreign.projectItem}`,
      `/invoices?projectId=${a.projectId}&cursor=${foreign.projectInvoices}`,
      `/invoices?cursor=${foreign.invoices}`,
      `/invoices/${invoice.id}/details?cursor=${foreign.details}`,
      `/invoices/${invoice.id}/history?cursor=${foreign.history}`,
      `/customers?cursor=${foreign.customers}`,
      `/projects?cursor=${foreign.projects}`,
      `/runs/failed?cursor=${foreign.failedRuns}`,
      `/overdue-invoices?cursor=${foreign.overdue}`,
      `/bank-statements?cursor=${foreign.bankStatements}`,
    ];
    const pagedRoutes = Object.entries(operations)
      .filter(([, operation]) => operation.parameters?.some((parameter) => parameter.name === 'cursor'))
      .map(([routeKey]) => routeKey);
    expect(pagedRoutes).toHaveLength(9);
    for (const path of paged) {
      const response = await call('GET', path, { as: 'viewer' });
      expect({ path, status: response.status, field: response.body.field }).toEqual({
        path,
        status: 400,
        field: 'cursor',
      });
    }
  });
});
