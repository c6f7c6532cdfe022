import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import path from 'node:path';

/**
 * The portal locally: build portal/ with Vite when portal/dist is missing or older than its sources, and serve
 * portal/dist plus a generated /config.json (the runtime configuration the same build reads on AWS) on 127.0.0.1.
 * Unknown paths fall back to index.html, as the CloudFront distribution does.
 */
export const portalRoot = path.resolve(import.meta.dirname, '..', 'portal');
export const portalDist = path.join(portalRoot, 'dist');

/** The runtime configuration of the portal: /config.json next to index.html. */
export interface PortalConfig {
  readonly apiUrl: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly scope?: string;
  /** Shown in the header (e.g. "local"). */
  readonly environment?: string;
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** True when portal/dist/index.html is missing or older than a source of the portal. */
export function portalBuildIsStale(root = portalRoot): boolean {
  const built = path.join(root, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((name) =>
    newestMtime(path.join(root, name)),
  );
  return Math.max(...sources) > statSync(built).mtimeMs;
}

/** Builds the portal with Vite if it is stale; returns whether it built. */
export async function ensurePortalBuilt(
  log: (message: string) => void = () => undefined,
  root = portalRoot,
): Promise<boolean> {
  if (!portalBuildIsStale(root)) return false;
  log('building the portal (vite build portal)...');
  // A child process with NODE_ENV=production: a test runner's NODE_ENV=test would give React's development build.
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  // Build beside dist and swap it in, so a portal being served (another test, npm start) never sees half a build.
  const outDir = path.join(root, `dist.building-${process.pid}-${Date.now()}`);
  const dist = path.join(root, 'dist');
  const old = path.join(root, `dist.old-${process.pid}-${Date.now()}`);
  try {
    await promisify(execFile)(
      process.execPath,
      [vite, 'build', root, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: root,
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(outDir, dist);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  return true;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface PortalServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startPortalServer(options: {
  port: number;
  config: PortalConfig;
  distDir?: string;
}): Promise<PortalServer> {
  const distDir = path.resolve(options.distDir ?? portalDist);
  const config = JSON.stringify(options.config, null, 2);
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const security = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', ...security });
      response.end();
      return;
    }
    if (url.pathname === '/config.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...security });
      response.end(config);
      return;
    }
    let file = path.join(distDir, path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, ''));
    if (!file.startsWith(distDir) || !existsSync(file) || statSync(file).isDirectory())
      file = path.join(distDir, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...security });
      response.end('The portal is not built: npm run build:portal');
      return;
    }
    const immutable = file.includes(`${path.sep}assets${path.sep}`);
    response.writeHead(200, {
      'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...security,
    });
    response.end(request.method === 'HEAD' ? undefined : readFileSync(file));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
