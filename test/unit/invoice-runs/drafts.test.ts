import { afterEach, describe, expect, it } from 'vitest';
import { buildInvoice, type InvoiceDetail } from '../../../functions/domain/index.ts';
import { BATCH_SIZE, findDueProjects, PAGE_SIZE } from '../../../functions/invoice-runs/find-due-projects.ts';
import { invoiceProject, runInvoiceId } from '../../../functions/invoice-runs/invoice-project.ts';
import { setFaultPlan } from '../../../functions/shared/faults.ts';
import { milestone, project, tx } from '../domain/fixtures.ts';
import { MemoryRuns } from './memory-ports.ts';
import { budget, monthlyOn, runWorkflow, weeklyOn } from './workflow.ts';

/** The run steps on the in-memory ports: due projects, one draft per due project, a step repeated or interrupted. */
const RUN_DATE = '2027-02-01'; // a Monday; cut-off 2027-01-31
const NOW = new Date('2027-02-01T05:00:00.000Z');
const EXEC = 'arn:aws:states:eu-west-1:1:execution:invoice-run:first';

function books(): MemoryRuns {
  const memory = new MemoryRuns();
  memory.addProject(project({ id: 'P1' }), monthlyOn(1));
  memory.addTransaction('P1', tx('t1'));
  memory.addTransaction('P1', tx('t2', { date: '2027-01-20', quantity: '1.5' }));
  memory.addTransaction('P1', tx('t-after', { date: '2027-02-01' })); // after the cut-off
  memory.addMilestone('P1', milestone('m1'));
  memory.addProject(project({ id: 'P2' }), weeklyOn('monday'));
  memory.addTransaction('P2', tx('t3', { date: '2027-01-30' }));
  memory.addProject(project({ id: 'P3' }), monthlyOn(1)); // due, nothing to invoice
  memory.addProject(project({ id: 'P4' }), weeklyOn('friday')); // not due on a Monday
  memory.addTransaction('P4', tx('t4'));
  memory.addProject(project({ id: 'P5' }), monthlyOn(1, '2027-03-01')); // billing starts later
  memory.addTransaction('P5', tx('t5'));
  return memory;
}

/** What the run must have written for a project: the domain's draft built from the same books. */
function expectedDetails(memory: MemoryRuns, projectId: string): readonly InvoiceDetail[] {
  const built = buildInvoice({
    invoiceId: runInvoiceId(projectId, RUN_DATE),
    origin: { kind: 'run' },
    project: memory.projects.get(projectId)!.project,
    transactions: [...memory.transactions.values()].filter((t) => t.projectId === projectId),
    milestones: [...memory.milestones.values()].filter((m) => m.projectId === projectId),
    runDate: RUN_DATE,
    cutOff: '2027-01-31',
  });
  if (built.outcome !== 'draft') throw new Error('expected a draft');
  // As stored: sorted by id, in chunks.
  return [...built.invoice.details].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The books as a test compares them: headers, details, reservations, runs (writes and attempts left out). */
function snapshot(memory: MemoryRuns) {
  const byId = <T extends { id: string }>(items: Iterable<T>) => [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    headers: byId(memory.headers.values()).map(({ createdAt: _c, ...header }) => header),
    chunks: [...memory.chunks.keys()].sort().map((id) => [id, memory.chunksOf(id)]),
    transactions: byId(memory.transactions.values()).map((t) => [t.id, t.billingState, t.reservedBy]),
    milestones: byId(memory.milestones.values()).map((m) => [m.id, m.invoicedBy]),
    runs: [...memory.runs.values()].map((run) => [run.projectId, run.status, run.invoiceId]).sort(),
  };
}

afterEach(() => {
  setFaultPlan(undefined);
  delete process.env.FACTUUR_FAULT_INJECTION;
});

describe('due projects', () => {
  it('a run date finds exactly the projects whose frequency runs on it, from their billing start', async () => {
    const page = await findDueProjects(books().ports(), { runDate: RUN_DATE });
    expect(page.projectIds.sort()).toEqual(['P1', 'P2', 'P3']);
    expect(page).toMatchObject({ runDate: RUN_DATE, cutOff: '2027-01-31', cursor: null });
    expect(page.batches.flat().sort()).toEqual(['P1', 'P2', 'P3']);
  });

  it('many projects come page by page, each once, in batches of BATCH_SIZE', async () => {
    const memory = new MemoryRuns();
    const count = PAGE_SIZE * 2 + 15;
    for (let n = 0; n < count; n++)
      memory.addProject(project({ id: `P${String(n).padStart(4, '0')}` }), n % 2 ? monthlyOn(1) : weeklyOn('monday'));
    memory.addProject(project({ id: 'X' }), weeklyOn('friday'));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await findDueProjects(memory.ports(), { runDate: RUN_DATE, cursor });
      expect(page.projectIds.length).toBeLessThanOrEqual(PAGE_SIZE);
      expect(page.batches.every((batch) => batch.length <= BATCH_SIZE)).toBe(true);
      expect(page.batches.flat()).toEqual(page.projectIds);
      seen.push(...page.projectIds);
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(count);
    expect(seen).toHaveLength(count);
  });

  it('a restart names its projects; a cursor the workflow did not make is refused (field cursor)', async () => {
    const ports = books().ports();
    expect(await findDueProjects(ports, { runDate: RUN_DATE, projectIds: ['P4'] })).toMatchObject({
      projectIds: ['P4'],
      batches: [['P4']],
      cursor: null,
    });
    await expect(findDueProjects(ports, { runDate: RUN_DATE, cursor: 'bm90IGEgY3Vyc29y' })).rejects.toMatchObject({
      name: 'ValidationFailed',
      field: 'cursor',
    });
    await expect(findDueProjects(ports, { runDate: '2027-02-30' })).rejects.toMatchObject({ field: 'runDate' });
  });
});

describe('a draft per due project', () => {
  it('the run makes one draft per due project with work, exactly the domain build, its work reserved', async () => {
    const memory = books();
    const [summary] = await runWorkflow(memory.ports(), { runDate: RUN_DATE }, EXEC, NOW);
    expect(summary).toEqual({
      runDate: RUN_DATE,
      due: 3,
      created: 2,
      invoiced: 2,
      nothingToInvoice: 1,
      failed: 0,
      running: 0,
    });
    for (const projectId of ['P1', 'P2']) {
      const invoiceId = runInvoiceId(projectId, RUN_DATE);
      expect(memory.headers.get(invoiceId)).toMatchObject({ status: 'draft', projectId, customerId: 'C1' });
      expect(memory.headers.get(invoiceId)?.buildKey).toBeUndefined();
      expect(memory.detailsOf(invoiceId)).toEqual(expectedDetails(memory, projectId));
      expect(memory.runs.get(`${projectId}#${RUN_DATE}`)).toMatchObject({
        status: 'invoiced',
        invoiceId,
        completedBy: EXEC,
        attempts: 1,
      });
    }
    const p1 = runInvoiceId('P1', RUN_DATE);
    expect(memory.transactions.get('t1')).toMatchObject({ billingState: 'reserved', reservedBy: p1 });
    expect(memory.milestones.get('m1')?.invoicedBy).toBe(p1);
    expect(memory.transactions.get('t-after')).toMatchObject({ billingState: 'unbilled', reservedBy: null });
    expect(memory.transactions.get('t4')?.reservedBy).toBeNull();
    expect(memory.runs.get(`P3#${RUN_DATE}`)).toMatchObject({ status: 'nothing_to_invoice', invoiceId: null });
    expect(memory.headers.has(runInvoiceId('P3', RUN_DATE))).toBe(false);
    expect([...memory.runs.keys()].sort()).toEqual([`P1#${RUN_DATE}`, `P2#${RUN_DATE}`, `P3#${RUN_DATE}`]);
  });

  it('not-to-exceed counts what the other invoices of the project take of the line', async () => {
    const memory = new MemoryRuns();
    memory.addProject(
      project({
        id: 'P1',
        contractLines: [
          { id: 'CL1', description: 'Consulting', billingMethod: 'time_and_material', notToExceed: 500_00 },
        ],
      }),
      monthlyOn(1),
    );
    memory.headers.set('older', {
      id: 'older',
      projectId: 'P1',
      lines: [{ contractLineId: 'CL1', net: 300_00 }],
    } as never);
    memory.addTransaction('P1', tx('t1', { quantity: '1' })); // 100.00
    memory.addTransaction('P1', tx('t2', { date: '2027-01-11', quantity: '2' })); // 200.00: over the limit
    const result = await invoiceProject(
      memory.ports(),
      { projectId: 'P1', runDate: RUN_DATE, executionId: EXEC },
      budget(),
    );
    expect(result.status).toBe('invoiced');
    const invoiceId = runInvoiceId('P1', RUN_DATE);
    expect(memory.detailsOf(invoiceId).map((detail) => detail.id)).toEqual(['t:t1']);
    expect(memory.excluded.get(invoiceId)).toHaveLength(1);
    expect(memory.transactions.get('t2')?.billingState).toBe('unbilled');
  });
});

describe('a step repeated or interrupted bills nothing twice', () => {
  it('running the date again (another execution) answers from the finished runs and writes nothing', async () => {
    const memory = books();
    await runWorkflow(memory.ports(), { runDate: RUN_DATE }, EXEC, NOW);
    const before = snapshot(memory);
    const writes = new Map(memory.writes);
    const [again] = await runWorkflow(memory.ports(), { runDate: RUN_DATE }, `${EXEC}-again`, NOW);
    expect(again).toMatchObject({ due: 3, created: 0, invoiced: 2, nothingToInvoice: 1 });
    expect(snapshot(memory)).toEqual(before);
    expect(memory.writes).toEqual(writes);
    expect(
      await invoiceProject(memory.ports(), { projectId: 'P1', runDate: RUN_DATE, executionId: 'x' }, budget()),
    ).toEqual({ status: 'invoiced', invoiceId: runInvoiceId('P1', RUN_DATE) });
  });

  const points = [
    'claimed',
    'built',
    'header-written',
    'chunks-written',
    'reserved',
    'before-complete',
    'draft-complete',
  ];
  it.each(points)('a crash at %s, then the retry: the same draft, each transaction reserved once', async (point) => {
    const clean = books();
    await runWorkflow(clean.ports(), { runDate: RUN_DATE }, EXEC, NOW);

    const memory = books();
    process.env.FACTUUR_FAULT_INJECTION = 'on';
    let crashes = 0;
    setFaultPlan((at) => (at === `invoice-project:${point}:P1` && crashes++ === 0 ? 'crash' : undefined));
    const [first] = await runWorkflow(memory.ports(), { runDate: RUN_DATE }, EXEC, NOW);
    expect(crashes).toBe(1);
    expect(first?.failed).toBe(1);
    expect(memory.runs.get(`P1#${RUN_DATE}`)?.failure).toMatchObject({ error: 'Runtime.ExitError' });
    await runWorkflow(memory.ports(), { runDate: RUN_DATE, projectIds: ['P1'] }, `${EXEC}-restart`, NOW);
    expect(snapshot(memory)).toEqual(snapshot(clean));
    expect(memory.runs.get(`P1#${RUN_DATE}`)?.attempts).toBe(2);
    expect(memory.writes.get('reserve')).toBe(clean.writes.get('reserve'));
  });

  it('a first attempt looks up no draft and replaces no excluded items; a retry reads what the first one left', async () => {
    const memory = books();
    const base = memory.ports();
    const calls = { header: 0, replaceExcluded: 0 };
    const ports = {
      ...base,
      drafts: {
        ...base.drafts,
        header: (invoiceId: string) => {
          calls.header++;
          return base.drafts.header(invoiceId);
        },
        replaceExcluded: (invoiceId: string, excluded: Parameters<typeof base.drafts.replaceExcluded>[1]) => {
          calls.replaceExcluded++;
          return base.drafts.replaceExcluded(invoiceId, excluded);
        },
      },
    };
    const input = (projectId: string) => ({ projectId, runDate: RUN_DATE, executionId: EXEC });
    expect(await invoiceProject(ports, input('P2'), budget())).toMatchObject({ status: 'invoiced' });
    expect(calls).toEqual({ header: 0, replaceExcluded: 0 });

    process.env.FACTUUR_FAULT_INJECTION = 'on';
    setFaultPlan((at) => (at === 'invoice-project:header-written:P1' ? 'crash' : undefined));
    await expect(invoiceProject(ports, input('P1'), budget())).rejects.toMatchObject({ name: 'Runtime.ExitError' });
    setFaultPlan(undefined);
    const invoiceId = runInvoiceId('P1', RUN_DATE);
    expect(await invoiceProject(ports, input('P1'), budget())).toEqual({ status: 'invoiced', invoiceId });
    expect(calls).toEqual({ header: 1, replaceExcluded: 1 });
    expect(memory.detailsOf(invoiceId)).toEqual(expectedDetails(memory, 'P1'));
  });

  it('a transaction another invoice took between two attempts leaves the draft; the rest completes', async () => {
    const memory = books();
    process.env.FACTUUR_FAULT_INJECTION = 'on';
    setFaultPlan((at) => (at === 'invoice-project:chunks-written:P1' ? 'crash' : undefined));
    const ports = memory.ports();
    await expect(
      invoiceProject(ports, { projectId: 'P1', runDate: RUN_DATE, executionId: EXEC }, budget()),
    ).rejects.toMatchObject({ name: 'Runtime.ExitError' });
    const invoiceId = runInvoiceId('P1', RUN_DATE);
    expect(memory.detailsOf(invoiceId).map((d) => d.id)).toContain('t:t2');
    const t2 = memory.transactions.get('t2')!;
    memory.transactions.set('t2', { ...t2, billingState: 'reserved', reservedBy: 'manual-invoice' });
    setFaultPlan(undefined);
    let result = await invoiceProject(ports, { projectId: 'P1', runDate: RUN_DATE, executionId: EXEC }, budget());
    while (result.status === 'building')
      result = await invoiceProject(ports, { projectId: 'P1', runDate: RUN_DATE, executionId: EXEC }, budget());
    expect(result).toEqual({ status: 'invoiced', invoiceId });
    expect(memory.detailsOf(invoiceId).map((d) => d.id)).not.toContain('t:t2');
    expect(memory.transactions.get('t2')?.reservedBy).toBe('manual-invoice');
    expect(memory.transactions.get('t1')?.reservedBy).toBe(invoiceId);
  });

  it('a begun draft whose work went meanwhile gives everything back and the run ends with nothing to invoice', async () => {
    const memory = new MemoryRuns();
    memory.addProject(project({ id: 'P1' }), monthlyOn(1));
    memory.addTransaction('P1', tx('t1'));
    process.env.FACTUUR_FAULT_INJECTION = 'on';
    setFaultPlan((at) => (at === 'invoice-project:reserved:P1' ? 'crash' : undefined));
    const ports = memory.ports();
    const input = { projectId: 'P1', runDate: RUN_DATE, executionId: EXEC };
    await expect(invoiceProject(ports, input, budget())).rejects.toMatchObject({ name: 'Runtime.ExitError' });
    setFaultPlan(undefined);
    const invoiceId = runInvoiceId('P1', RUN_DATE);
    expect(memory.transactions.get('t1')?.reservedBy).toBe(invoiceId);
    // The work is put on hold meanwhile: the rebuild has nothing to invoice.
    const t1 = memory.transactions.get('t1')!;
    memory.transactions.set('t1', { ...t1, onHold: true });
    expect(await invoiceProject(ports, input, budget())).toEqual({ status: 'nothing_to_invoice' });
    expect(memory.headers.has(invoiceId)).toBe(false);
    expect(memory.detailsOf(invoiceId)).toEqual([]);
    expect(memory.transactions.get('t1')).toMatchObject({ billingState: 'unbilled', reservedBy: null });
    expect(memory.runs.get(`P1#${RUN_DATE}`)).toMatchObject({ status: 'nothing_to_invoice' });
  });

  it('a large draft is built over several calls when time runs short, and completes once', async () => {
    const memory = new MemoryRuns();
    memory.addProject(project({ id: 'P1' }), monthlyOn(1));
    for (let n = 0; n < 1000; n++) memory.addTransaction('P1', tx(`t${String(n).padStart(4, '0')}`));
    const input = { projectId: 'P1', runDate: RUN_DATE, executionId: EXEC };
    const results: string[] = [];
    for (let call = 0; call < 20; call++) {
      let looks = 0;
      // Enough time for two slices of writes per call, then the budget says hand back.
      const result = await invoiceProject(
        memory.ports(),
        input,
        budget(undefined, () => (looks++ < 2 ? 60_000 : 1_000)),
      );
      results.push(result.status);
      if (result.status !== 'building') break;
      expect(result.detailsWritten).toBeGreaterThan(0);
    }
    expect(results.at(-1)).toBe('invoiced');
    expect(results.filter((status) => status === 'building').length).toBeGreaterThanOrEqual(2);
    const invoiceId = runInvoiceId('P1', RUN_DATE);
    expect(memory.detailsOf(invoiceId)).toHaveLength(1000);
    // 1,000 details in 20 chunks of 50, each written once.
    expect(memory.writes.get('chunk')).toBe(20);
    expect(memory.writes.get('reserve')).toBe(1000);
    expect(memory.writes.get('complete')).toBe(1);
    expect([...memory.transactions.values()].every((t) => t.reservedBy === invoiceId)).toBe(true);
  });

  it('refuses a call without its fields (named), and a project that does not exist (ProjectNotFound)', async () => {
    const ports = books().ports();
    await expect(invoiceProject(ports, { runDate: RUN_DATE, executionId: EXEC }, budget())).rejects.toMatchObject({
      field: 'projectId',
    });
    await expect(invoiceProject(ports, { projectId: 'P1', runDate: RUN_DATE }, budget())).rejects.toMatchObject({
      field: 'executionId',
    });
    await expect(
      invoiceProject(ports, { projectId: 'nope', runDate: RUN_DATE, executionId: EXEC }, budget()),
    ).rejects.toMatchObject({ name: 'ProjectNotFound' });
  });
});
