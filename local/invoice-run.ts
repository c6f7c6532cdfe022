import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npm run invoice-run -- --date YYYY-MM-DD [--json]`: runs the invoice-run workflow of the running local cloud for
 * a run date, through the same StartExecution the daily schedule makes, shows progress, and ends with a summary.
 * `npm run invoice-run -- --restart-failed --date YYYY-MM-DD`: restarts that date's failed runs, as operators do.
 */
const { values } = parseArgs({
  options: {
    date: { type: 'string' },
    json: { type: 'boolean', default: false },
    'restart-failed': { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const runDate = values.date ?? fail('Usage: npm run invoice-run -- --date YYYY-MM-DD [--json] [--restart-failed]');
if (!/^\d{4}-\d{2}-\d{2}$/.test(runDate)) fail(`--date must be YYYY-MM-DD, not ${runDate}`);
{
  const { todayInZone } = await import('../functions/domain/index.ts');
  const { firmTimeZone } = await import('../functions/shared/firm.ts');
  const today = todayInZone(new Date(), firmTimeZone());
  if (runDate > today)
    fail(
      `--date ${runDate} is after today (${today} in ${firmTimeZone()}): a run date in the future would bill work up to a cut-off that has not come yet. Run it on or after that date.`,
    );
}
const dataDir = process.env.FACTUUR_DATA_DIR ?? path.resolve(import.meta.dirname, '..', '.local');
let urls: { dynamodb: string; ses: string; stepfunctions: string };
try {
  urls = JSON.parse(readFileSync(path.join(dataDir, 'urls.json'), 'utf8')) as typeof urls;
} catch {
  fail(`No local cloud found (${path.join(dataDir, 'urls.json')}). Start it with 'npm start'.`);
}

// This command is a client of the local cloud, with the environment a handler there has.
const { handlerEnvironment, stateMachineArn } = await import('./cloud.ts');
Object.assign(process.env, handlerEnvironment(urls, 'factuur'), { POWERTOOLS_LOG_LEVEL: 'ERROR' });
const { runsOfDate } = await import('../functions/adapters/dynamodb/runs-store.ts');
const { restartFailedRuns } = await import('../functions/invoice-runs/restart-runs.ts');
const { runOperations } = await import('../functions/handlers/wiring/invoice-runs.ts');
const { startInvoiceRun, stepFunctionsClient, waitForExecution } = await import('./invoice-run-client.ts');

const sfn = stepFunctionsClient(urls.stepfunctions);

/** A local service that does not answer: say which, and how to bring it back, instead of a stack trace. */
function unreachable(error: unknown): string | undefined {
  const codes = new Set<string>();
  for (let cause: unknown = error; cause instanceof Error && codes.size < 10; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') codes.add(code);
    if (cause instanceof AggregateError) for (const inner of cause.errors) codes.add(String(inner?.code));
    codes.add(cause.name);
  }
  if (
    ![...codes].some((code) =>
      ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT', 'TimeoutError'].includes(code),
    )
  )
    return undefined;
  const where = `DynamoDB Local (${urls.dynamodb}) or the Step Functions endpoint (${urls.stepfunctions})`;
  return `${where} does not answer (${[...codes].filter((code) => code.startsWith('E')).join(', ') || 'no connection'}). Is 'npm start' running?`;
}
process.on('uncaughtException', (error) =>
  fail(unreachable(error) ?? String(error instanceof Error ? error.stack : error)),
);
process.on('unhandledRejection', (error) =>
  fail(unreachable(error) ?? String(error instanceof Error ? error.stack : error)),
);
const progress = (line: string) => {
  if (!values.json) process.stdout.write(`\r\x1b[2K${line}`);
};

let executionArn: string;
if (values['restart-failed']) {
  const restart = await restartFailedRuns(runOperations, { runDate });
  if (!restart.executionArn) {
    if (!values.json) console.log(`No failed runs on ${runDate}.`);
    else console.log(JSON.stringify({ runDate, restarted: 0 }));
    process.exit(0);
  }
  if (!values.json)
    console.log(
      `Restarting ${restart.projectIds.length} failed run(s) of ${runDate}: ${restart.projectIds.join(', ')}`,
    );
  executionArn = restart.executionArn;
} else {
  executionArn = await startInvoiceRun(sfn, stateMachineArn('invoice-run'), { runDate });
}
if (!values.json) console.log(`Execution ${executionArn}`);

const execution = await waitForExecution(sfn, executionArn, {
  onPoll: async () => {
    const runs = await runsOfDate(runDate);
    const count = (status: string) => runs.filter((run) => run.status === status).length;
    progress(
      `${runDate}: ${runs.length} due, ${count('invoiced')} invoiced, ${count('nothing_to_invoice')} nothing to invoice, ${count('failed')} failed, ${count('running')} running`,
    );
  },
});
progress('');
if (!values.json) process.stdout.write('\r');
if (execution.status !== 'SUCCEEDED')
  fail(`The invoice run ended ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`);

const summaries = JSON.parse(execution.output ?? '[]') as {
  runDate: string;
  due: number;
  created: number;
  nothingToInvoice: number;
  failed: number;
}[];
const summary = summaries.find((candidate) => candidate.runDate === runDate) ?? {
  runDate,
  due: 0,
  created: 0,
  nothingToInvoice: 0,
  failed: 0,
};
const result = {
  runDate,
  due: summary.due,
  created: summary.created,
  nothingToInvoice: summary.nothingToInvoice,
  failed: summary.failed,
};
if (!values.json) {
  console.log(
    `Run date ${runDate}: ${result.due} project(s) due, ${result.created} draft(s) created, ${result.nothingToInvoice} with nothing to invoice, ${result.failed} failed.`,
  );
}
console.log(JSON.stringify(result));
