import { describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PutCommand, GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const repositoryRoot = path.resolve(import.meta.dirname, '../..');

async function freePortBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const free = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((offset) => isFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function startLocalCloudProcess(dataDir: string, portBase: number): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      FACTUUR_DATA_DIR: dataDir,
      FACTUUR_PORT_BASE: String(portBase),
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Waits for npm start to print something; when it exits or times out first, the error shows what it printed. */
async function waitFor(
  start: { child: ChildProcess; output: () => string },
  expected: string,
  what: string,
  timeoutMillis: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!start.output().includes(expected)) {
    if (start.child.exitCode !== null)
      throw new Error(`npm start exited (${start.child.exitCode}) before ${what}; its output:\n${start.output()}`);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMillis / 1000} s waiting for ${what}; its output:\n${start.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function processesUsing(dataDir: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dataDir));
}

describe('npm start', () => {
  it('prints its URLs, answers /health, stops every child on Ctrl-C, and keeps its data for the next start', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'factuur-start-'));
    const portBase = await freePortBase();
    try {
      const first = startLocalCloudProcess(dataDir, portBase);
      await waitFor(
        first,
        'local cloud is up',
        'npm start to come up',
        // DynamoDB Local's JVM on a 2-core machine busy with the other integration tests can take a minute or more
        150_000,
      );
      const urls = JSON.parse(readFileSync(path.join(dataDir, 'urls.json'), 'utf8')) as Record<string, string>;
      expect(Object.keys(urls)).toEqual(expect.arrayContaining(['api', 'inbox', 'dynamodb', 'stepfunctions', 's3']));
      expect(first.output()).toContain(urls.api);
      // local S3, the archive of issued documents, on the next port
      expect(urls.s3).toBe(`http://127.0.0.1:${portBase + 6}`);
      expect(first.output()).toContain(urls.s3);
      // the portal: built portal/dist plus a /config.json pointing at this cloud
      expect(urls.portal).toBe(`http://127.0.0.1:${portBase + 4}`);
      expect(first.output()).toContain(urls.portal);
      const portalConfig = (await (await fetch(`${urls.portal}/config.json`)).json()) as Record<string, string>;
      expect(portalConfig).toMatchObject({ apiUrl: urls.api, issuer: urls.oidc, clientId: 'factuur-portal' });
      const health = await fetch(`${urls.api}/health`);
      expect(health.status).toBe(200);
      await waitFor(first, 'Demo data seeded', 'the demo data', 120_000);

      const documents = DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: urls.dynamodb,
          region: 'eu-west-1',
          credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
        }),
      );
      await documents.send(new PutCommand({ TableName: 'factuur', Item: { pk: 'TEST', sk: 'KEPT', value: 42 } }));

      first.child.kill('SIGINT');
      await new Promise((resolve) => first.child.once('exit', resolve));
      expect(processesUsing(dataDir)).toEqual([]);
      expect(await isFree(portBase + 2)).toBe(true);
      expect(await isFree(portBase + 6)).toBe(true);

      const second = startLocalCloudProcess(dataDir, portBase);
      await waitFor(second, 'Demo data', 'the second npm start', 60_000);
      expect(second.output()).toContain('Demo data: already there.');
      const { Item } = await documents.send(new GetCommand({ TableName: 'factuur', Key: { pk: 'TEST', sk: 'KEPT' } }));
      expect(Item?.value).toBe(42);
      second.child.kill('SIGINT');
      await new Promise((resolve) => second.child.once('exit', resolve));
      expect(processesUsing(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 400_000);

  it('refuses clearly, leaving nothing behind, when a port is taken', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'factuur-start-'));
    const portBase = await freePortBase();
    const blocker = net.createServer().listen(portBase + 2, '127.0.0.1');
    try {
      const attempt = startLocalCloudProcess(dataDir, portBase);
      const code = await new Promise((resolve) => attempt.child.once('exit', resolve));
      expect(code).toBe(1);
      expect(attempt.output()).toMatch(new RegExp(`Port ${portBase + 2} for DynamoDB Local is taken`));
      expect(processesUsing(dataDir)).toEqual([]);
      expect(existsSync(path.join(dataDir, 'urls.json'))).toBe(false);
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
