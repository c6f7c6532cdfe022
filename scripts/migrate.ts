import { parseArgs } from 'node:util';

/**
 * `npm run migrate -- --table <name> [--region <region>]`: upgrades the data of a deployed table to this version
 * (README, "Upgrading"). Idempotent: run it again after a crash or to check (it then moves nothing).
 */
const { values } = parseArgs({ options: { table: { type: 'string' }, region: { type: 'string' } } });
if (!values.table) {
  console.error('usage: npm run migrate -- --table <name> [--region <region>]');
  process.exit(2);
}
process.env.TABLE_NAME = values.table;
if (values.region) process.env.AWS_REGION = values.region;
// Imported after the environment is set (the adapter's client and table name come from it).
const { moveTransactionsIntoProjects } = await import(
  '../functions/adapters/dynamodb/migrations/transactions-in-project.ts'
);
const outcome = await moveTransactionsIntoProjects();
console.log(
  `transactions moved into their project's partition: ${outcome.moved}, left for a repeat: ${outcome.skipped}`,
);
if (outcome.skipped > 0) process.exitCode = 1;
const { migrateDetailItems } = await import('../functions/adapters/dynamodb/migrations/detail-chunks.ts');
console.log(`invoice details moved into (or rewritten as) compressed chunk items: ${await migrateDetailItems()}`);
