import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm run bench` must keep working: it is how speed, size and cost are measured, and no other test runs it (it
 * broke once unnoticed, when runs for a future date began to be refused). The invoice-run bench at a tiny size, on
 * its own local cloud: the run invoices every project, Send issues through the pre-issue check and the outbox sweep
 * delivers every e-mail. Nothing here is timed.
 */
describe('the invoice-run bench at a tiny size', () => {
  it('runs, invoices every project, sends and delivers', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'factuur-bench-smoke-'));
    try {
      const out = path.join(dir, 'run.json');
      await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          'bench/invoice-run.ts',
          ...['--projects', '4', '--transactions', '3', '--floor-reps', '1', '--floor-sample', '4'],
          ...['--send', '2', '--warm-up', '1', '--run-reps', '1', '--out', out],
        ],
        { timeout: 240_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' } },
      );
      const result = JSON.parse(readFileSync(out, 'utf8')) as {
        invoicesCreated: number;
        projectsMissed: number;
        sending: { invoices: number; deliver: { tasks: Record<string, number> } };
      };
      expect(result.invoicesCreated).toBe(4);
      expect(result.projectsMissed).toBe(0);
      expect(result.sending.invoices).toBe(2);
      expect(result.sending.deliver.tasks.SweepOutbox).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
