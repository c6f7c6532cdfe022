import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud, type LocalCloud } from './cloud.ts';
import { ensurePortalBuilt } from './portal.ts';
import { seedDemoData } from './seed.ts';
import { migrateDetailItems } from '../functions/adapters/dynamodb/migrations/detail-chunks.ts';
import { moveTransactionsIntoProjects } from '../functions/adapters/dynamodb/migrations/transactions-in-project.ts';
import { startInvoiceRun, stepFunctionsClient, waitForExecution } from './invoice-run-client.ts';
import { todayInZone } from '../functions/domain/index.ts';
import { defaultFirmSettings } from '../infra/definitions/firm.ts';

/**
 * `npm start`: the local cloud with demo data, on 127.0.0.1, until Ctrl-C.
 * `npm start -- --fresh` wipes .local/ first. Ports: FACTUUR_PORT_BASE (default 4600) + 0..3, + 4 (the portal,
 * built first when portal/dist is missing or stale, where the issuer sends it back after sign-in) and + 5 (the
 * OpenID Connect issuer), + 6 (local S3, the archive of issued documents);
 * FACTUUR_DATA_DIR moves .local/ elsewhere.
 */
const { values } = parseArgs({ options: { fresh: { type: 'boolean', default: false } } });
const repositoryRoot = path.resolve(import.meta.dirname, '..');
const dataDir = process.env.FACTUUR_DATA_DIR ?? path.join(repositoryRoot, '.local');
const base = Number(process.env.FACTUUR_PORT_BASE ?? 4600);

let cloud: LocalCloud | undefined;
let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the local cloud...');
  await cloud?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  const started = Date.now();
  console.log(`Starting the factuur local cloud (data in ${dataDir})...`);
  await ensurePortalBuilt((message) => console.log(`  ${message}`));
  cloud = await startLocalCloud({
    dataDir,
    fresh: values.fresh,
    runSchedules: true,
    faultInjection: true,
    ports: {
      api: base,
      ses: base + 1,
      dynamodb: base + 2,
      stepfunctions: base + 3,
      oidc: base + 5,
      portal: base + 4,
      s3: base + 6,
    },
    servePortal: true,
    portalRedirectUris: [`http://127.0.0.1:${base + 4}/`, `http://127.0.0.1:${base + 4}/callback`],
    log: (message) => console.log(`  ${message}`),
  });
  const urls = {
    portal: cloud.urls.portal,
    api: cloud.urls.api,
    health: `${cloud.urls.api}/health`,
    inbox: cloud.urls.inbox,
    ses: cloud.urls.ses,
    dynamodb: cloud.urls.dynamodb,
    stepfunctions: cloud.urls.stepfunctions,
    s3: cloud.urls.s3,
    oidc: cloud.urls.oidc,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'urls.json'), `${JSON.stringify(urls, null, 2)}\n`);
  console.log(`\nfactuur local cloud is up (${((Date.now() - started) / 1000).toFixed(1)} s):`);
  for (const [name, url] of Object.entries(urls)) console.log(`  ${name.padEnd(14)}${url}`);
  console.log(
    '\nDemo users viewer, billing, operator, admin (password = user name); a token: npm run -s token -- billing',
  );
  console.log(`Data persists in ${dataDir} (npm start -- --fresh wipes it). Ctrl-C stops everything.\n`);

  // Data of an earlier version (npm start's data persists) is upgraded before the demo is seeded (README, Upgrading).
  const migrated = await moveTransactionsIntoProjects();
  if (migrated.moved > 0) console.log(`Upgraded: ${migrated.moved} transactions moved into their project's partition.`);
  const chunked = await migrateDetailItems();
  if (chunked > 0)
    console.log(`Upgraded: ${chunked} invoice details moved into (or rewritten as) compressed chunk items.`);

  // Demo data comes after the URLs: the cloud answers while the demo invoice runs go through the workflow.
  const sfn = stepFunctionsClient(cloud.urls.stepfunctions);
  const seeded = await seedDemoData({
    today: todayInZone(new Date(), defaultFirmSettings.timeZone),
    runInvoiceRun: async (runDate) => {
      console.log(`  demo: invoice run for ${runDate}`);
      await waitForExecution(sfn, await startInvoiceRun(sfn, cloud!.stateMachineArn('invoice-run'), { runDate }));
    },
  });
  console.log(
    seeded
      ? 'Demo data seeded: Polder Advies B.V. with its customers, projects, work, drafts and one failed run.'
      : 'Demo data: already there.',
  );
} catch (error) {
  console.error(`\nThe local cloud could not start: ${error instanceof Error ? error.message : String(error)}`);
  await stop(1);
}
