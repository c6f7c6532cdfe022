import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { routes } from '../../../infra/definitions/routes.ts';
import { roles } from '../../../infra/definitions/roles.ts';
import { decodeClaims, forgeToken } from '../../support/tokens.ts';
import { cloud } from '../clients.ts';
import { call, manualDraft, setupProject, tokenFor, transactionBody } from './support.ts';

const usersByRole = { viewer: 'viewer', billing: 'billing', operator: 'operator', admin: 'admin' } as const;

describe('portal API guards', () => {
  it('role matrix: no token, expired, wrong audience -> 401; a role without access -> 403; nothing changes', async () => {
    const { projectId } = await setupProject();
    const { invoice } = await manualDraft(projectId);
    const real = await tokenFor('billing');
    const claims = decodeClaims(real);
    const expired = await forgeToken(cloud.dataDir, {
      ...claims,
      iat: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    const wrongAudience = await forgeToken(cloud.dataDir, { ...claims, aud: 'someone-else' });
    const fill = (path: string) =>
      path
        .replace('{invoiceId}', invoice.id)
        .replace('{projectId}', projectId)
        .replace('{runDate}', '2026-11-01')
        .replace(/\{\w+\}/g, 'x-1');
    for (const route of routes.filter((r) => r.access !== 'public')) {
      const path = fill(route.path);
      for (const token of [undefined, expired, wrongAudience]) {
        const response = await call(route.method, path, {
          token,
          ...(route.method === 'GET' ? {} : { body: {} }),
          ifMatch: 1,
        });
        expect(response.status, `${route.method} ${route.path}`).toBe(401);
      }
      const access = route.access as readonly string[];
      for (const role of roles.filter((r) => !access.includes(r))) {
        // admin is also a viewer (demo user groups): it may read
        if (role === 'admin' && access.includes('viewer')) continue;
        const response = await call(route.method, path, {
          as: usersByRole[role],
          ...(route.method === 'GET' ? {} : { body: {} }),
          ifMatch: 1,
        });
        expect(response.status, `${role} on ${route.method} ${route.path}`).toBe(403);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
      }
    }
    const after = await call('GET', `/invoices/${invoice.id}`, { as: 'viewer' });
    expect(after.body.version).toBe(1);
    expect(after.body.detailCount).toBe(3);
  });

  it('bad input (fast-check) is always a 4xx problem+json naming a field, never a 5xx, and changes nothing', async () => {
    const { projectId } = await setupProject();
    const { invoice } = await manualDraft(projectId);
    const detailId = encodeURIComponent(`t:t-${projectId.slice(2)}-0`);
    const junk = fc.oneof(
      fc.anything(),
      fc.dictionary(fc.constantFrom('quantity', 'unitPrice', 'billingType', 'tax', 'description', 'x'), fc.anything()),
    );
    await fc.assert(
      fc.asyncProperty(junk, async (body) => {
        const response = await call('PATCH', `/invoices/${invoice.id}/details/${detailId}`, {
          as: 'billing',
          ifMatch: 1,
          rawBody: JSON.stringify(body) ?? '',
        });
        // a valid edit can be generated (e.g. {description: "a"}): then it is 200 and we undo nothing, so only count versions of refused ones
        if (response.status === 200) return;
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(typeof response.body.field).toBe('string');
      }),
      { numRuns: 40 },
    );
    const badTransactions = fc.record(
      {
        projectId: fc.oneof(fc.constant(projectId), fc.string()),
        type: fc.oneof(fc.constant('time'), fc.string()),
        date: fc.oneof(fc.constant('2026-10-01'), fc.string(), fc.integer()),
        quantity: fc.oneof(fc.constant('1'), fc.string(), fc.double()),
        unitPrice: fc.oneof(fc.string(), fc.integer()),
        tax: fc.anything(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(badTransactions, async (partial) => {
        const response = await call('POST', '/transactions', {
          as: 'admin',
          body: { ...transactionBody(projectId, undefined, '2026-10-01'), ...partial, tax: partial.tax ?? 'not a tax' },
        });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(typeof response.body.field).toBe('string');
      }),
      { numRuns: 40 },
    );
    const payments = fc.record(
      {
        paymentId: fc.string(),
        amount: fc.oneof(fc.integer(), fc.double(), fc.string()),
        currency: fc.string(),
        date: fc.string(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(payments, async (body) => {
        const response = await call('POST', `/invoices/${invoice.id}/payments`, { as: 'billing', ifMatch: 1, body });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 30 },
    );
    const transactions = await call('GET', `/transactions?projectId=${projectId}`, { as: 'viewer' });
    expect(transactions.body.items).toHaveLength(3);
    const after = await call('GET', `/invoices/${invoice.id}/history`, { as: 'viewer' });
    expect(
      after.body.items.every((entry: { action: string }) => ['createManual', 'editDetail'].includes(entry.action)),
    ).toBe(true);
    for (const [path, field] of [
      ['/invoices?cursor=bm90LWEta2V5', 'cursor'],
      ['/invoices?status=nope', 'status'],
      ['/invoices?limit=0', 'limit'],
    ] as const) {
      const response = await call('GET', path, { as: 'viewer' });
      expect(response.status).toBe(400);
      expect(response.body.field).toBe(field);
    }
  });

  it('two concurrent edits with the same ETag: one wins, the other gets 412 with the current version; nothing is lost', async () => {
    const { projectId, transactionIds } = await setupProject();
    const { invoice } = await manualDraft(projectId);
    const edit = (id: string, quantity: string) =>
      call('PATCH', `/invoices/${invoice.id}/details/${encodeURIComponent(`t:${id}`)}`, {
        as: 'billing',
        ifMatch: 1,
        body: { quantity },
      });
    const results = await Promise.all([edit(transactionIds[0] as string, '1'), edit(transactionIds[1] as string, '3')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const loser = results.find((r) => r.status === 412)!;
    expect(loser.body.currentVersion).toBe(2);
    expect(loser.headers.get('etag')).toBe('"2"');
    const retried = call(
      'PATCH',
      `/invoices/${invoice.id}/details/${encodeURIComponent(`t:${results[0]!.status === 412 ? transactionIds[0] : transactionIds[1]}`)}`,
      { as: 'billing', ifMatch: 2, body: { quantity: results[0]!.status === 412 ? '1' : '3' } },
    );
    expect((await retried).status).toBe(200);
    const details = await call('GET', `/invoices/${invoice.id}/details`, { as: 'viewer' });
    const quantities = Object.fromEntries(
      details.body.items.map((d: { id: string; quantity: string }) => [d.id, d.quantity]),
    );
    expect(quantities[`t:${transactionIds[0]}`]).toBe('1');
    expect(quantities[`t:${transactionIds[1]}`]).toBe('3');
    const missing = await call(
      'PATCH',
      `/invoices/${invoice.id}/details/${encodeURIComponent(`t:${transactionIds[2]}`)}`,
      { as: 'billing', body: { quantity: '1' } },
    );
    expect(missing.status).toBe(428);
  });

  it('a retried POST with the same Idempotency-Key has one effect; another body with that key is 422', async () => {
    const key = randomUUID();
    const body = {
      name: 'Idempotent B.V.',
      postalAddress: { lines: ['Weg 1'], postalCode: null, city: 'Amsterdam', subdivision: null, country: 'GB' },
      email: null,
      taxId: null,
      language: 'nl',
    };
    const first = await call('POST', '/customers', { as: 'admin', body, idempotencyKey: key });
    const second = await call('POST', '/customers', { as: 'admin', body, idempotencyKey: key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    const other = await call('POST', '/customers', {
      as: 'admin',
      body: { ...body, name: 'Other' },
      idempotencyKey: key,
    });
    expect(other.status).toBe(422);
    expect(other.body.field).toBe('Idempotency-Key');
    const none = await call('POST', '/customers', { as: 'admin', body, idempotencyKey: null });
    expect(none.status).toBe(400);

    const { projectId } = await setupProject();
    const preview = await call('POST', `/projects/${projectId}/invoice-preview`, {
      as: 'billing',
      body: { cutOff: '2026-10-31' },
    });
    const finishKey = randomUUID();
    const [a, b] = [
      await call('POST', `/projects/${projectId}/invoices`, {
        as: 'billing',
        body: { token: preview.body.token },
        idempotencyKey: finishKey,
      }),
      await call('POST', `/projects/${projectId}/invoices`, {
        as: 'billing',
        body: { token: preview.body.token },
        idempotencyKey: finishKey,
      }),
    ];
    expect(a.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    const list = await call('GET', `/invoices?projectId=${projectId}`, { as: 'viewer' });
    expect(list.body.items).toHaveLength(1);
    // Finish again with another key: everything is on the first invoice now, so 409 listing it, nothing created
    const again = await call('POST', `/projects/${projectId}/invoices`, {
      as: 'billing',
      body: { token: preview.body.token },
    });
    expect(again.status).toBe(409);
    expect(again.body.missing.length).toBe(3);
    expect((await call('GET', `/invoices?projectId=${projectId}`, { as: 'viewer' })).body.items).toHaveLength(1);
  });
});
