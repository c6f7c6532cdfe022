import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npm run reminder-run -- --date YYYY-MM-DD [--json]`: runs the reminder-run workflow of the running local cloud for
 * a date, through the same StartExecution the daily schedule makes, and ends with a summary; the last line is
 * `{"date":…,"due":N,"sent":N,"skipped":N}`. A date after today in the firm's time zone is refused. Running a date
 * again sends nothing new: each level goes to an invoice once.
 */
const { values } = parseArgs({
  options: { date: { type: 'string' }, json: { type: 'boolean', default: false } },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const date = values.date ?? fail('Usage: npm run reminder-run -- --date YYYY-MM-DD [--json]');
if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
  fail(`--date must be YYYY-MM-DD, not ${date}`);
const dataDir = process.env.FACTUUR_DATA_DIR ?? path.resolve(import.meta.dirname, '..', '.local');
let urls: { dynamodb: string; ses: string; stepfunctions: string };
try {
  urls = JSON.parse(readFileSync(path.join(dataDir, 'urls.json'), 'utf8')) as typeof urls;
} catch {
  fail(`No local cloud found (${path.join(dataDir, 'urls.json')}). Start it with 'npm start'.`);
}

const { handlerEnvironment, stateMachineArn } = await import('./cloud.ts');
Object.assign(process.env, handlerEnvironment(urls, 'factuur'), { POWERTOOLS_LOG_LEVEL: 'ERROR' });
const { todayInZone } = await import('../functions/domain/index.ts');
const { firmTimeZone } = await import('../functions/shared/firm.ts');
const today = todayInZone(new Date(), firmTimeZone());
if (date > today) fail(`--date ${date} is in the future (today is ${today} in ${firmTimeZone()}); refused.`);
const { startInvoiceRun, stepFunctionsClient, waitForExecution } = await import('./invoice-run-client.ts');

const sfn = stepFunctionsClient(urls.stepfunctions);
const executionArn = await startInvoiceRun(sfn, stateMachineArn('reminder-run'), { date });
if (!values.json) console.log(`Execution ${executionArn}`);
const execution = await waitForExecution(sfn, executionArn);
if (execution.status !== 'SUCCEEDED')
  fail(`The reminder run ended ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`);
const summary = JSON.parse(execution.output ?? '{}') as {
  date: string;
  due: number;
  sent: number;
  skipped: number;
  failed: number;
};
if (!values.json)
  console.log(
    `Reminders for ${date}: ${summary.due} invoice(s) due, ${summary.sent} sent, ${summary.skipped} skipped, ${summary.failed} failed.`,
  );
if (summary.failed > 0)
  console.error(
    `${summary.failed} invoice(s) failed; see GET /invoices/{id}/reminders. Running the date again retries them.`,
  );
console.log(JSON.stringify({ date: summary.date, due: summary.due, sent: summary.sent, skipped: summary.skipped }));
if (summary.failed > 0) process.exitCode = 1;
