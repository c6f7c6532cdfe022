import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalCloud, LocalCloudOptions } from '../../local/cloud.ts';

export interface TestCloud {
  readonly cloud: LocalCloud;
  /** The cloud's data directory (temporary, removed by `stop`). */
  readonly dataDir: string;
  stop(): Promise<void>;
}

/**
 * A local cloud of one test file's own, its data in a new temporary directory, with the demo firm profile recorded
 * (what an admin records first on AWS). The function modules are imported only once the cloud is up: their clients
 * read the endpoints at module scope.
 */
export async function startTestCloud(name: string, options: Omit<LocalCloudOptions, 'dataDir'>): Promise<TestCloud> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `factuur-${name}-`));
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const { startLocalCloud } = await import('../../local/cloud.ts');
    const cloud = await startLocalCloud({ dataDir, ...options });
    const { putFirmProfile } = await import('../../functions/adapters/dynamodb/firm-store.ts');
    const { firmProfile } = await import('../../local/demo-data.ts');
    await putFirmProfile(firmProfile).catch(async (error: unknown) => {
      await cloud.stop();
      throw error;
    });
    return {
      cloud,
      dataDir,
      async stop() {
        await cloud.stop();
        removeData();
      },
    };
  } catch (error) {
    removeData();
    throw error;
  }
}
