import { describe, expect, it } from 'vitest';
import { call, high, setupProject, transactionBody, useLocalCloudFromTests } from './support.ts';

describe('portal API: setup data and runs', () => {
  it('customers, projects, transactions and milestones: create, change with If-Match, 412 when stale, run dates with cut-offs', async () => {
    const { customerId, projectId } = await setupProject();
    const customer = await call('GET', `/customers/${customerId}`, { as: 'viewer' });
    expect(customer.headers.get('etag')).toBe('"1"');
    const { id: _id, version: _v, ...fields } = customer.body;
    const changed = await call('PUT', `/customers/${customerId}`, {
      as: 'admin',
      ifMatch: 1,
      body: { ...fields, language: 'en' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.version).toBe(2);
    const stale = await call('PUT', `/customers/${customerId}`, {
      as: 'admin',
      ifMatch: 1,
      body: { ...fields, language: 'de' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(2);
    expect(
      (await call('GET', '/customers?limit=500', { as: 'viewer' })).body.items.some(
        (c: { id: string }) => c.id === customerId,
      ),
    ).toBe(true);

    const project = await call('GET', `/projects/${projectId}`, { as: 'viewer' });
    const { id: _pid, version: _pv, ...projectFields } = project.body;
    const badFrequency = await call('PUT', `/projects/${projectId}`, {
      as: 'admin',
      ifMatch: 1,
      body: { ...projectFields, frequency: { period: 'yearly' } },
    });
    expect(badFrequency.status).toBe(422);
    expect(badFrequency.body.field).toMatch(/period|frequency/);
    const runDates = await call('GET', `/projects/${projectId}/run-dates?from=2026-12-01&to=2027-02-28`, {
      as: 'viewer',
    });
    expect(runDates.body.items).toEqual([
      { runDate: '2026-12-01', cutOff: '2026-11-30' },
      { runDate: '2027-01-01', cutOff: '2026-12-31' },
      { runDate: '2027-02-01', cutOff: '2027-01-31' },
    ]);

    const milestone = await call('POST', '/milestones', {
      as: 'admin',
      body: {
        projectId,
        contractLineId: 'cl-1',
        description: 'Oplevering',
        amount: 250000,
        date: '2026-10-15',
        readyForInvoicing: false,
        tax: high,
      },
    });
    expect(milestone.status).toBe(201);
    const ready = await call('PUT', `/milestones/${milestone.body.id}`, {
      as: 'admin',
      ifMatch: 1,
      body: {
        projectId,
        contractLineId: 'cl-1',
        description: 'Oplevering',
        amount: 250000,
        date: '2026-10-15',
        readyForInvoicing: true,
        tax: high,
      },
    });
    expect(ready.status).toBe(200);
    expect(ready.body.readyForInvoicing).toBe(true);
    const preview = await call('POST', `/projects/${projectId}/invoice-preview`, {
      as: 'billing',
      body: { cutOff: '2026-10-31', transactionTypes: ['expense'] },
    });
    expect(preview.body.invoice.details.map((d: { id: string }) => d.id)).toEqual([`m:${milestone.body.id}`]);
    expect(preview.body.excluded.filter((e: { reason: string }) => e.reason === 'filtered_out')).toHaveLength(3);

    const transaction = await call('POST', '/transactions', {
      as: 'admin',
      body: transactionBody(projectId, undefined, '2026-10-20', { type: 'expense', unit: 'piece' }),
    });
    const { id: tid, version: _tv, billingState: _b, reservedBy: _r, ...tfields } = transaction.body;
    const updated = await call('PUT', `/transactions/${tid}`, {
      as: 'admin',
      ifMatch: 1,
      body: { ...tfields, quantity: '3' },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    const unknownLine = await call('PUT', `/transactions/${tid}`, {
      as: 'admin',
      ifMatch: 2,
      body: { ...tfields, contractLineId: 'nope' },
    });
    expect(unknownLine.status).toBe(422);
    expect(unknownLine.body.field).toBe('contractLineId');
  });

  it('operators see runs per date, failed runs and one run, and restart failed runs', async () => {
    const { projectId } = await setupProject();
    useLocalCloudFromTests();
    const { claimRun, failRun } = await import('../../../functions/adapters/dynamodb/run-claims.ts');
    const runDate = '2026-12-01';
    await claimRun(projectId, runDate, '2026-11-30', 'arn:exec:test-1', new Date().toISOString());
    await failRun(projectId, runDate, '2026-11-30', {
      error: 'InjectedBug',
      cause: 'test',
      state: 'InvoiceProject',
      executionId: 'arn:exec:test-1',
      at: new Date().toISOString(),
    });
    const counts = await call('GET', `/runs?runDate=${runDate}`, { as: 'operator' });
    expect(counts.body.counts.failed).toBeGreaterThanOrEqual(1);
    const failed = await call('GET', '/runs/failed?limit=50', { as: 'viewer' });
    expect(failed.body.items.some((run: { projectId: string }) => run.projectId === projectId)).toBe(true);
    const run = await call('GET', `/runs/${projectId}/${runDate}`, { as: 'operator' });
    expect(run.body.run.failure.error).toBe('InjectedBug');
    expect(run.body.attempts).toHaveLength(1);
    const restarted = await call('POST', `/runs/${projectId}/${runDate}/restart`, { as: 'operator' });
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(202);
    expect(restarted.body.projectIds).toEqual([projectId]);
    expect(restarted.body.executionArn).toMatch(/^arn:aws:states:/);
    const missing = await call('GET', `/runs/${projectId}/2026-01-01`, { as: 'operator' });
    expect(missing.status).toBe(404);
  });
});
