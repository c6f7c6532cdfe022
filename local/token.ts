import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { demoUser, demoUsers, requestPasswordGrant } from './demo-users.ts';

/**
 * `npm run -s token -- billing`: a bearer token (the ID token) for a demo user of the RUNNING local cloud, on
 * stdout and nothing else, so that
 *
 *   curl -H "Authorization: Bearer $(npm run -s token -- billing)" http://127.0.0.1:4600/...
 *
 * works. It asks the issuer named under `oidc` in .local/urls.json (FACTUUR_DATA_DIR moves .local/) with the
 * password grant. Errors go to stderr, with exit code 1.
 */
const repositoryRoot = path.resolve(import.meta.dirname, '..');
const dataDir = process.env.FACTUUR_DATA_DIR ?? path.join(repositoryRoot, '.local');
const users = demoUsers.map((user) => user.username).join(', ');

function fail(message: string): never {
  process.stderr.write(`npm run token: ${message}\n`);
  process.exit(1);
}

const [username, ...rest] = process.argv.slice(2);
if (!username || rest.length > 0 || username.startsWith('-'))
  fail(`usage: npm run -s token -- <user>   (demo users: ${users})`);
if (!demoUser(username)) fail(`no demo user "${username}"; the demo users are ${users}`);

const urlsFile = path.join(dataDir, 'urls.json');
if (!existsSync(urlsFile)) fail(`the local cloud is not running (no ${urlsFile}); start it with npm start`);
let issuer: string | undefined;
try {
  issuer = (JSON.parse(readFileSync(urlsFile, 'utf8')) as { oidc?: unknown }).oidc as string | undefined;
} catch (error) {
  fail(`cannot read ${urlsFile}: ${String(error)}`);
}
if (typeof issuer !== 'string' || !issuer) fail(`${urlsFile} names no OpenID Connect issuer (oidc); restart npm start`);

let tokenEndpoint: string;
try {
  const discovery = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  if (!discovery.ok) throw new Error(`HTTP ${discovery.status}`);
  tokenEndpoint = String(((await discovery.json()) as { token_endpoint?: unknown }).token_endpoint);
} catch (error) {
  fail(
    `the local cloud is not running (its issuer ${issuer} does not answer: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}); start it with npm start`,
  );
}

try {
  const { idToken } = await requestPasswordGrant(tokenEndpoint, username, username);
  process.stdout.write(`${idToken}\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
