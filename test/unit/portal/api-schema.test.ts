import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The portal's API types are generated from the contract (npm run generate:api). Another branch changing
 * functions/api/openapi.ts without regenerating makes this fail.
 */
describe('portal/src/api-schema.ts', () => {
  it('is what `npm run generate:api` makes from functions/api/openapi.ts now', () => {
    let output = '';
    let failed = false;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-api-types.ts', '--check'], {
        stdio: 'pipe',
        encoding: 'utf8',
      });
    } catch (error) {
      failed = true;
      output = String((error as { stderr?: string }).stderr ?? error);
    }
    expect(output).toBe('');
    expect(failed).toBe(false);
  }, 120_000);
});
