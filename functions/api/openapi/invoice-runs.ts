import { date, nullable, obj, type Operations, page, paged, path, query, ref, type Schemas, str } from './schema.ts';

/** Invoice runs (functions/invoice-runs): runs of a run date, failed runs, their attempts, restarts. */
export const invoiceRunSchemas: Schemas = {
  Run: obj(
    {
      projectId: str(),
      runDate: date,
      cutOff: date,
      status: { enum: ['pending', 'running', 'invoiced', 'nothing_to_invoice', 'failed'] },
      attempts: { type: 'integer' },
      invoiceId: nullable(str()),
      failure: nullable(
        obj({ error: str(), cause: str(), state: str(), executionId: nullable(str()), at: str() }, ['error', 'cause']),
      ),
    },
    ['projectId', 'runDate', 'status'],
  ),
  RunCounts: obj(
    {
      runDate: date,
      total: { type: 'integer' },
      counts: { type: 'object', additionalProperties: { type: 'integer' } },
    },
    ['runDate', 'total', 'counts'],
  ),
  RunDetail: obj({ run: ref('Run'), attempts: { type: 'array', items: { type: 'object' } } }, ['run', 'attempts']),
  Restart: obj({ runDate: date, projectIds: { type: 'array', items: str() }, executionArn: nullable(str()) }, [
    'runDate',
    'projectIds',
    'executionArn',
  ]),
  RunPage: page('Run'),
};

const runDate = path('runDate', date);

export const invoiceRunOperations: Operations = {
  'GET /runs': {
    summary: 'Runs of a run date, counted per status',
    parameters: [query('runDate', date, true)],
    success: [200, 'RunCounts'],
  },
  'GET /runs/failed': paged('Failed runs, newest run date first', [], 'RunPage'),
  'GET /runs/{projectId}/{runDate}': {
    summary: 'A run with its attempts and error',
    parameters: [path('projectId'), runDate],
    success: [200, 'RunDetail'],
  },
  'POST /runs/{runDate}/restart': {
    summary: 'Restart every failed run of a run date',
    parameters: [runDate],
    success: [202, 'Restart'],
  },
  'POST /runs/{projectId}/{runDate}/restart': {
    summary: 'Restart one failed run',
    parameters: [path('projectId'), runDate],
    success: [202, 'Restart'],
  },
};
