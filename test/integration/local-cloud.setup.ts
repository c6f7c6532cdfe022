import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalCloud, type LocalCloudUrls } from '../../local/cloud.ts';
import { ensurePortalBuilt } from '../../local/portal.ts';

/**
 * Integration tests get their own local cloud on free ports (never the one `npm start` runs), with DynamoDB
 * in memory. Handlers run in this process; tests reach them only through the APIs, as clients on AWS would.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    localCloud: LocalCloudUrls & { tableName: string; dataDir: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'factuur-test-'));
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  // Build the portal once, before the tests that serve it (test/integration/portal, npm start) run side by side.
  await ensurePortalBuilt();
  const cloud = await startLocalCloud({
    dataDir,
    inMemory: true,
    ports: { api: 0, ses: 0, dynamodb: 0, stepfunctions: 0 },
  });
  // The firm every test invoice is sent from (what an admin records first on AWS).
  const { putFirmProfile } = await import('../../functions/adapters/dynamodb/firm-store.ts');
  const { firmProfile } = await import('../../local/demo-data.ts');
  await putFirmProfile(firmProfile);
  project.provide('localCloud', { ...cloud.urls, tableName: cloud.tableName, dataDir });
  return async () => {
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
