import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documents, tableName } from '../functions/adapters/dynamodb/client.ts';
import { keys } from '../functions/adapters/dynamodb/keys.ts';
import { putCustomer, putMilestone, putProject } from '../functions/adapters/dynamodb/projects-store.ts';
import { putFirmProfile } from '../functions/adapters/dynamodb/firm-store.ts';
import { putNewTransaction } from '../functions/adapters/dynamodb/transactions-store.ts';
import { addDays, runDates } from '../functions/domain/index.ts';
import { setFaultPlan } from '../functions/shared/faults.ts';
import { seedOverdueInvoice } from './seed-reminders.ts';
import { demoCustomers, demoMilestones, demoProjects, demoTransactions, firmProfile } from './demo-data.ts';

/**
 * Demo data for `npm start`, written once, on an empty store: the demo firm, its customers, projects, work and
 * milestones, then drafts made the way production makes them, by running the invoice-run workflow for recent run
 * dates. One of those runs fails on purpose (a one-off fault on the American project), so operators have a failed
 * run to look at and restart. The marker item is written last: an interrupted seed is completed by the next start,
 * a finished one is never repeated.
 */
const marker = { pk: 'SEED', sk: 'DEMO' };
export const demoFailingProject = 'p-harbor-forecasting';

export interface SeedOptions {
  readonly today: string;
  /** Runs the invoice-run workflow for a date and waits for it (the same StartExecution the schedule makes). */
  readonly runInvoiceRun: (runDate: string) => Promise<void>;
}

export async function seedDemoData(options: SeedOptions): Promise<boolean> {
  if (await exists(marker)) return false;
  if (!(await exists(keys.firmProfile()))) await putFirmProfile(firmProfile);
  for (const customer of demoCustomers) await putCustomer(customer);
  const plans = demoProjects(options.today);
  for (const plan of plans) await putProject(plan.record);
  for (const milestone of demoMilestones(options.today)) await putMilestone(milestone);
  const transactions = demoTransactions(options.today);
  for (let start = 0; start < transactions.length; start += 16) {
    await Promise.all(transactions.slice(start, start + 16).map((transaction) => putNewTransaction(transaction)));
  }

  const recentRunDates = new Set<string>();
  for (const plan of plans) {
    const latest = runDates(plan.record.frequency, addDays(options.today, -35), addDays(options.today, -1)).at(-1);
    if (latest) recentRunDates.add(latest);
  }
  let failed = false;
  setFaultPlan((point) => {
    if (failed || point !== `invoice-project:built:${demoFailingProject}`) return undefined;
    failed = true;
    return 'bug';
  });
  try {
    for (const runDate of [...recentRunDates].sort()) await options.runInvoiceRun(runDate);
  } finally {
    setFaultPlan(undefined);
  }
  await seedOverdueInvoice(options.today);
  await putIfAbsent({ ...marker, seededAt: new Date().toISOString(), today: options.today });
  return true;
}

async function exists(key: { pk: string; sk: string }): Promise<boolean> {
  const { Item } = await documents.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return Item !== undefined;
}

async function putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
