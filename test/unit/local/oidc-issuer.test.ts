import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  demoUsers,
  portalClientId,
  signingKeysFile,
  startOidcIssuer,
  type OidcIssuer,
} from '../../../local/oidc-issuer.ts';
import { startHttpApi, type HttpApi } from '../../../local/http-api.ts';
import { testRoutes } from '../../fixtures/routes.ts';
import { decodeClaims, forgeToken } from '../../support/tokens.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const dataDir = mkdtempSync(path.join(tmpdir(), 'factuur-oidc-'));
let issuer: OidcIssuer;

beforeAll(async () => {
  issuer = await startOidcIssuer({ port: 0, dataDir, portalRedirectUris: ['http://127.0.0.1:4604/callback'] });
});
afterAll(async () => {
  await issuer?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What local/http-api.ts's verifyBearer (API Gateway's JWT authorizer) checks. */
async function verifyAsApiGateway(token: string, jwksUri: string, issuerUrl: string) {
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUri)), {
    issuer: issuerUrl,
  });
  const audiences = [payload.aud ?? [], payload.client_id ?? []].flat().map(String);
  expect(audiences).toContain(portalClientId);
  return { payload, protectedHeader };
}

describe('local OpenID Connect issuer', () => {
  it('publishes discovery and an RS256 JWKS on 127.0.0.1 at the port it got', async () => {
    expect(issuer.issuer).toBe(`http://127.0.0.1:${issuer.port}`);
    expect(issuer.port).toBeGreaterThan(0);
    const discovery = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery).toMatchObject({
      issuer: issuer.issuer,
      jwks_uri: issuer.jwksUri,
      token_endpoint: issuer.tokenEndpoint,
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'password']));
    const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d'); // public part only
    expect(statSync(signingKeysFile(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('issues a Cognito-like ID token for billing through the token endpoint, verifiable as API Gateway does', async () => {
    const token = await issuer.issueToken('billing');
    const { payload, protectedHeader } = await verifyAsApiGateway(token, issuer.jwksUri, issuer.issuer);
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      iss: issuer.issuer,
      aud: portalClientId,
      sub: demoUsers.find((user) => user.username === 'billing')?.sub,
      'cognito:username': 'billing',
      'cognito:groups': ['billing'],
      email: 'billing@demo.factuur.test',
      name: 'Bram Billing',
      token_use: 'id',
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
    const admin = decodeClaims(await issuer.issueToken('admin'));
    expect(admin['cognito:groups']).toEqual(['admin', 'viewer']);
  });

  it('refuses a wrong password and an unknown user', async () => {
    await expect(issuer.issueToken('billing', { password: 'nope' })).rejects.toThrow(/invalid_grant/);
    await expect(issuer.issueToken('mallory')).rejects.toThrow(/invalid_grant/);
  });

  it("runs the portal's authorization code flow with PKCE (login form, no consent page)", async () => {
    const jar = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: {
          ...(init.headers as Record<string, string>),
          cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        },
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const index = pair.indexOf('=');
        jar.set(pair.slice(0, index), pair.slice(index + 1));
      }
      return response;
    };
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://127.0.0.1:4604/callback';
    const authorize = new URL(`${issuer.issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: portalClientId,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st4te',
      nonce: 'n0nce',
    }).toString();
    let response = await go(authorize.href);
    expect(response.status).toBe(303);
    const loginPage = new URL(response.headers.get('location') ?? '', issuer.issuer);
    response = await go(loginPage.href);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('name="password"');
    const wrong = await go(`${loginPage.href}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'operator', password: 'guess' }).toString(),
    });
    expect(await wrong.text()).toContain('Unknown user or wrong password');
    response = await go(`${loginPage.href}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'operator', password: 'operator' }).toString(),
    });
    // login -> resume -> consent (granted without asking) -> resume -> back to the portal with a code
    let location = response.headers.get('location') ?? '';
    for (let hop = 0; hop < 6 && !location.startsWith(redirectUri); hop++) {
      response = await go(new URL(location, issuer.issuer).href);
      location = response.headers.get('location') ?? '';
    }
    const callback = new URL(location);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('st4te');
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();
    const tokenResponse = await fetch(issuer.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:4604' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: portalClientId,
        code: code ?? '',
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    });
    expect(tokenResponse.status).toBe(200);
    expect(tokenResponse.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4604');
    const tokens = (await tokenResponse.json()) as { id_token: string };
    const { payload } = await verifyAsApiGateway(tokens.id_token, issuer.jwksUri, issuer.issuer);
    expect(payload).toMatchObject({
      'cognito:username': 'operator',
      'cognito:groups': ['operator'],
      email: 'operator@demo.factuur.test',
      nonce: 'n0nce',
      token_use: 'id',
    });
  });

  it('keeps its signing key across a restart with the same data directory: an old token still verifies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'factuur-oidc-restart-'));
    try {
      const first = await startOidcIssuer({ port: 0, dataDir: dir });
      const token = await first.issueToken('viewer');
      const { port } = first;
      const firstKeys = await (await fetch(first.jwksUri)).json();
      await first.close();
      // Let fetch's keep-alive pool see the closed sockets before the same host:port is asked again.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await startOidcIssuer({ port, dataDir: dir });
      try {
        expect(await (await fetch(second.jwksUri)).json()).toEqual(firstKeys);
        const { payload } = await verifyAsApiGateway(token, second.jwksUri, second.issuer);
        expect(payload['cognito:groups']).toEqual(['viewer']);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the HTTP API twin with the issuer as its JWT authorizer', () => {
  let api: HttpApi;
  beforeAll(async () => {
    api = await startHttpApi({ port: 0, routes: testRoutes, authorizer: issuer.authorizer });
  });
  afterAll(async () => {
    await api?.close();
  });

  const get = (route: string, token?: string) =>
    fetch(`${api.url}${route}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const protectedRoute = '/invoices/inv-1/whoami';

  it('lets anyone call the public route, without a caller', async () => {
    const response = await get('/public/whoami');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ routeKey: 'GET /public/whoami', caller: null });
  });

  it('answers 401 like API Gateway without a token, with an expired one, a wrong audience or a foreign key', async () => {
    const good = decodeClaims(await issuer.issueToken('billing'));
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string | undefined][] = [
      ['no token', undefined],
      ['garbage', 'not-a-jwt'],
      ['expired', await forgeToken(dataDir, { ...good, iat: now - 7200, exp: now - 3600 })],
      ['wrong audience', await forgeToken(dataDir, { ...good, aud: 'some-other-client' })],
      ['wrong issuer', await forgeToken(dataDir, { ...good, iss: 'http://127.0.0.1:1' })],
      ['foreign key', await forgeToken(dataDir, good, { key: 'foreign' })],
      ["foreign key claiming the issuer's kid", await forgeToken(dataDir, good, { key: 'foreign', reuseKid: true })],
      ['no exp', await forgeToken(dataDir, (({ exp: _exp, ...rest }) => rest)(good))],
      ['no kid', await forgeToken(dataDir, good, { noKid: true })],
      ['iat in the future', await forgeToken(dataDir, { ...good, iat: now + 600 })],
    ];
    for (const [label, token] of cases) {
      const response = await get(protectedRoute, token);
      expect({ label, status: response.status }).toEqual({ label, status: 401 });
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
    }
    // The control: the issuer's key and the issuer's claims do pass.
    expect((await get(protectedRoute, await forgeToken(dataDir, good))).status).toBe(200);
  });

  it('passes an access token (client_id, no aud) like API Gateway, and the function answers 401: ID tokens only', async () => {
    const { aud: _aud, email: _email, name: _name, ...good } = decodeClaims(await issuer.issueToken('billing'));
    const access = await forgeToken(dataDir, { ...good, token_use: 'access', client_id: 'factuur-portal' });
    const response = await get(protectedRoute, access);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('answers malformed percent-encoding in the path with 400, as API Gateway does', async () => {
    const response = await fetch(`${api.url}/invoices/%E0%A4%A/whoami`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'Bad Request' });
    const fine = await fetch(`${api.url}/public/echo/caf%C3%A9`, { method: 'POST' });
    expect(((await fine.json()) as { pathParameters: unknown }).pathParameters).toEqual({ name: 'café' });
  });

  it('answers 413 over 10 MB before reading the body or checking the token, and over 6 MB (Lambda) after', async () => {
    const { request } = await import('node:http');
    const url = new URL(`${api.url}/invoices/inv-1/whoami`);
    // Announce 11 MB, send 1 KB: the answer comes at once (nothing more is read), not after a body or a token.
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-length': String(11 * 1024 * 1024) },
        },
        (incoming) => {
          resolve(incoming.statusCode ?? 0);
          incoming.resume();
          outgoing.destroy();
        },
      );
      outgoing.on('error', reject);
      outgoing.write(Buffer.alloc(1024, 'a'));
    });
    expect(status).toBe(413);
    const sixPlus = await fetch(`${api.url}/public/echo/big`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `"${'a'.repeat(6 * 1024 * 1024)}"`,
    });
    expect(sixPlus.status).toBe(413);
    expect(await sixPlus.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('hands bytes that are not UTF-8 to the function base64-encoded, never decoded with U+FFFD', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]); // {"a":"\xC3("}
    const response = await fetch(`${api.url}/public/echo/bytes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    const echoed = (await response.json()) as { isBase64Encoded: boolean; body: string };
    expect(echoed.isBase64Encoded).toBe(true);
    expect(Buffer.from(echoed.body, 'base64')).toEqual(bytes);
  });

  it('answers 403 problem+json to viewer on the billing route', async () => {
    const response = await get(protectedRoute, await issuer.issueToken('viewer'));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'https://factuur.dev/problems/forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'GET /invoices/{invoiceId}/whoami needs the role billing; viewer has the role viewer.',
      requiredRoles: ['billing'],
    });
  });

  it('answers 200 to billing, and the handler gets the caller from the claims API Gateway passes', async () => {
    const response = await get(protectedRoute, await issuer.issueToken('billing'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      routeKey: 'GET /invoices/{invoiceId}/whoami',
      caller: {
        userId: demoUsers.find((user) => user.username === 'billing')?.sub,
        username: 'billing',
        email: 'billing@demo.factuur.test',
        name: 'Bram Billing',
        roles: ['billing'],
      },
    });
  });
});
