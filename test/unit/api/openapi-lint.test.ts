import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/api/openapi.ts';

/**
 * The contract as outside tools read it: Spectral's `oas` ruleset (.spectral.json) and Redocly's recommended rules
 * (redocly.yaml) on the generated document, offline, with no finding of any severity.
 */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const dir = mkdtempSync(path.join(os.tmpdir(), 'factuur-openapi-'));
const file = path.join(dir, 'openapi.json');
writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
const environment = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the OpenAPI document under the linters', () => {
  it('Spectral (oas ruleset): no error, warning, info or hint', async () => {
    const { stdout } = await run(
      bin('spectral'),
      ['lint', '--fail-severity=hint', '--format=json', '-r', path.join(root, '.spectral.json'), file],
      { cwd: root, env: environment, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const json = stdout.slice(stdout.indexOf('['), stdout.lastIndexOf(']') + 1);
    const findings = JSON.parse(json || 'null') as { code: string; path: string[] }[] | null;
    expect(findings, stdout).not.toBeNull();
    expect((findings ?? []).map((finding) => `${finding.code} at ${finding.path.join('.')}`)).toEqual([]);
  }, 120_000);

  it('Redocly (recommended): valid, no warning', async () => {
    const result = await run(bin('redocly'), ['lint', '--config', path.join(root, 'redocly.yaml'), file], {
      cwd: root,
      env: environment,
    }).catch((error: { stdout?: string; stderr?: string; code?: number }) => error);
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    expect(output).toContain('Your API description is valid');
    expect(output).not.toMatch(/warning/i);
  }, 120_000);
});
