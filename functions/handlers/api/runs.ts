import { failedRuns, runsOfDate, runWithAttempts } from '../../adapters/dynamodb/runs-store.ts';
import { restartFailedRuns, RunNotFailed } from '../../invoice-runs/restart-runs.ts';
import { conflict, decodeCursor, encodeCursor, httpApi, limitOf, notFound } from '../../shared/http-api.ts';

/** /runs (one Lambda): operators see runs per date, failed runs, one run with its attempts, and restart failed ones. */
async function restart(input: { runDate: string; projectId?: string }) {
  try {
    return { status: 202, body: await restartFailedRuns(input) };
  } catch (error) {
    if (error instanceof RunNotFailed) throw conflict(error.message);
    throw error;
  }
}

export const handler = httpApi({
  'GET /runs': async (request) => {
    const runDate = request.query.runDate as string;
    const runs = await runsOfDate(runDate);
    const counts: Record<string, number> = {};
    for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
    return { status: 200, body: { runDate, total: runs.length, counts } };
  },
  'GET /runs/failed': async (request) => {
    const page = await failedRuns(
      limitOf(request),
      decodeCursor(request.query.cursor, ['pk', 'sk', 'gsi2pk', 'gsi2sk']),
    );
    return { status: 200, body: { items: page.runs, next: encodeCursor(page.next) } };
  },
  'GET /runs/{projectId}/{runDate}': async (request) => {
    const found = await runWithAttempts(request.path.projectId as string, request.path.runDate as string);
    if (!found) throw notFound(`run of ${request.path.projectId} on ${request.path.runDate}`);
    return { status: 200, body: found };
  },
  'POST /runs/{runDate}/restart': (request) => restart({ runDate: request.path.runDate as string }),
  'POST /runs/{projectId}/{runDate}/restart': (request) =>
    restart({ runDate: request.path.runDate as string, projectId: request.path.projectId as string }),
});
