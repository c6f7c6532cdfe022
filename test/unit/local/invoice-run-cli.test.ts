import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, todayInZone } from '../../../functions/domain/index.ts';

/** `npm run invoice-run` as a user meets it: a run date in the future, a local cloud that does not answer. */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'factuur-cli-'));
// Ports nothing listens on (the local cloud is "down").
writeFileSync(
  path.join(dataDir, 'urls.json'),
  JSON.stringify({ dynamodb: 'http://127.0.0.1:9', ses: 'http://127.0.0.1:9', stepfunctions: 'http://127.0.0.1:9' }),
);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function invoiceRun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'local/invoice-run.ts', ...args], {
      cwd: root,
      env: { ...process.env, FACTUUR_DATA_DIR: dataDir, AWS_MAX_ATTEMPTS: '1' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run invoice-run', () => {
  it('refuses a run date after today in the firm zone, before starting anything', async () => {
    const tomorrow = addDays(todayInZone(new Date(), 'Europe/Amsterdam'), 14);
    const result = await invoiceRun('--date', tomorrow);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--date ${tomorrow} is after today`);
    expect(result.stderr).not.toContain('    at ');
  }, 60_000);

  it('says which local service does not answer and exits 1, without a stack trace', async () => {
    const result = await invoiceRun('--date', '2004-01-15');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not answer \(.*ECONNREFUSED.*\)\. Is 'npm start' running\?/);
    expect(result.stderr).not.toContain('    at ');
  }, 60_000);
});
