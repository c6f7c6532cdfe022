import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { portalClientId, startOidcIssuer, type OidcIssuer } from '../../../local/oidc-issuer.ts';

const repositoryRoot = path.resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'factuur-token-'));
let issuer: OidcIssuer;

beforeAll(async () => {
  issuer = await startOidcIssuer({ port: 0, dataDir });
});
afterAll(async () => {
  await issuer?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm run -s token -- <args>` against the data directory of a "running" cloud. */
function token(args: string[], dir = dataDir): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'local/token.ts', ...args],
      { cwd: repositoryRoot, env: { ...process.env, FACTUUR_DATA_DIR: dir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run token', { timeout: 30_000 }, () => {
  it('prints only the bearer token of the demo user, for the issuer named in urls.json', async () => {
    writeFileSync(path.join(dataDir, 'urls.json'), JSON.stringify({ api: 'http://127.0.0.1:1', oidc: issuer.issuer }));
    const result = await token(['billing']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const { payload } = await jwtVerify(result.stdout.trim(), createRemoteJWKSet(new URL(issuer.jwksUri)), {
      issuer: issuer.issuer,
      audience: portalClientId,
    });
    expect(payload['cognito:groups']).toEqual(['billing']);
  });

  it('fails on stderr with exit code 1 for an unknown user, a missing urls.json, or a cloud that does not answer', async () => {
    const unknown = await token(['mallory']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain(
      'no demo user "mallory"; the demo users are viewer, billing, reviewer, operator, admin',
    );

    const emptyDir = mkdtempSync(path.join(tmpdir(), 'factuur-token-none-'));
    try {
      const notStarted = await token(['billing'], emptyDir);
      expect(notStarted).toMatchObject({ code: 1, stdout: '' });
      expect(notStarted.stderr).toContain('the local cloud is not running');

      writeFileSync(path.join(emptyDir, 'urls.json'), JSON.stringify({ oidc: 'http://127.0.0.1:9' }));
      const stopped = await token(['billing'], emptyDir);
      expect(stopped).toMatchObject({ code: 1, stdout: '' });
      expect(stopped.stderr).toContain('the local cloud is not running (its issuer http://127.0.0.1:9 does not answer');
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
