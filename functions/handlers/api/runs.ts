import { failedRuns, runWithAttempts } from '../../adapters/dynamodb/runs-store.ts';
import { index } from '../../adapters/dynamodb/keys.ts';
import { restartFailedRuns } from '../../invoice-runs/restart-runs.ts';
import { reconciledRunsOfDate, reconcileRunningRuns, reconcileRuns } from '../../invoice-runs/reconcile-runs.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { type ApiRequest, decodeCursor, encodeCursor, httpApi, limitOf, notFound } from '../../shared/http-api.ts';
import { runOperations } from '../wiring/invoice-runs.ts';
import { invoiceRunOperations, invoiceRunSchemas } from '../../api/openapi/invoice-runs.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/**
 * /runs (one Lambda): operators see runs per date, failed runs, one run with its attempts, and restart failed ones.
 * Every read first fails the runs whose execution is no longer running (stale runs), so what operators see is what
 * Step Functions knows.
 */
/** Adopted: the failed-runs listing checks at most this many running runs first; the schedule checks them all. */
const RECONCILE_ON_READ = 500;

/** A run that is not failed is refused by the use case (RunNotFailed, a Conflict: 409 in problems.ts). */
async function restart(request: ApiRequest, input: { runDate: string; projectId?: string }) {
  const result = await restartFailedRuns(runOperations, input, { now: request.now, firmTimeZone: firmTimeZone() });
  return { status: 202, body: result };
}

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = { operations: invoiceRunOperations, schemas: invoiceRunSchemas };

export const handler = httpApi(contract, {
  'GET /runs': async (request) => {
    const runDate = request.query.runDate as string;
    const runs = await reconciledRunsOfDate(runOperations, runDate);
    const counts: Record<string, number> = {};
    for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
    return { status: 200, body: { runDate, total: runs.length, counts } };
  },
  'GET /runs/failed': async (request) => {
    const start = decodeCursor(request.query.cursor, ['pk', 'sk', 'gsi2pk', 'gsi2sk'], {
      gsi2pk: index.failedRuns(),
    });
    if (!start) await reconcileRunningRuns(runOperations, { maxRuns: RECONCILE_ON_READ });
    const page = await failedRuns(limitOf(request), start);
    return { status: 200, body: { items: page.runs, next: encodeCursor(page.next) } };
  },
  'GET /runs/{projectId}/{runDate}': async (request) => {
    const found = await runWithAttempts(request.path.projectId as string, request.path.runDate as string);
    if (!found) throw notFound(`run of ${request.path.projectId} on ${request.path.runDate}`);
    const [run = found.run] = await reconcileRuns(runOperations, [found.run]);
    return { status: 200, body: { ...found, run } };
  },
  'POST /runs/{runDate}/restart': (request) => restart(request, { runDate: request.path.runDate as string }),
  'POST /runs/{projectId}/{runDate}/restart': (request) =>
    restart(request, { runDate: request.path.runDate as string, projectId: request.path.projectId as string }),
});
