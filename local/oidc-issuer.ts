import http from 'node:http';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { errors, type Account, type Adapter, type AdapterPayload, type Configuration } from 'oidc-provider';
import {
  defaultScope,
  demoUser,
  demoUsers,
  passwordGrantType,
  portalClientId,
  requestPasswordGrant,
  type DemoUser,
} from './demo-users.ts';
import { loopback } from './ports.ts';

export {
  defaultScope,
  demoUser,
  demoUsers,
  passwordGrantType,
  portalClientId,
  requestPasswordGrant,
  type DemoUser,
  type TokenSet,
} from './demo-users.ts';

/**
 * The local stand-in for the Cognito user pool: a real OpenID Connect issuer (oidc-provider) on 127.0.0.1 whose
 * ID tokens look like Cognito's (RS256, `cognito:groups`, `cognito:username`, `token_use: "id"`, `aud` = the
 * app client id). The HTTP API twin verifies them the way API Gateway's JWT authorizer does.
 *
 * - Demo users `viewer`, `billing`, `operator`, `admin`; the password of each is its user name (local only).
 * - One public app client, `factuur-portal` (like a Cognito app client without a secret): authorization code +
 *   PKCE for the portal, and the resource-owner password grant (`grant_type=password`, RFC 6749 §4.3, a custom
 *   grant here because oidc-provider has none) for scripts and tests — Cognito's USER_PASSWORD_AUTH counterpart.
 * - The bearer token for the API is the ID token (as with Cognito + an HTTP API JWT authorizer whose audience is
 *   the app client id). The access token is opaque and good for the issuer's userinfo endpoint only.
 * - The RS256 signing key is generated once and kept in `<dataDir>/oidc/jwks.json`, so tokens survive restarts.
 *   Sessions, grants and codes live in memory.
 */
export interface OidcIssuerOptions {
  /** 0 lets the OS pick a free port. */
  readonly port: number;
  /** The signing key is kept in `<dataDir>/oidc/jwks.json`. */
  readonly dataDir: string;
  /** Where the portal may be sent back after login (and logout). */
  readonly portalRedirectUris?: readonly string[];
  readonly log?: (message: string) => void;
}

export interface OidcIssuer {
  /** `http://127.0.0.1:<port>`, the `iss` of every token. */
  readonly issuer: string;
  readonly port: number;
  readonly jwksUri: string;
  readonly tokenEndpoint: string;
  readonly clientId: string;
  /** What the HTTP API's JWT authorizer needs: `startHttpApi({ ..., authorizer: issuer.authorizer })`. */
  readonly authorizer: { readonly issuer: string; readonly audience: readonly string[]; readonly jwksUri: string };
  /** The API bearer token (ID token) of a demo user, fetched from the real token endpoint. */
  issueToken(username: string, options?: IssueTokenOptions): Promise<string>;
  close(): Promise<void>;
}

export interface IssueTokenOptions {
  /** Defaults to the user name (the demo password). */
  readonly password?: string;
  readonly scope?: string;
}

export const defaultPortalRedirectUris = ['http://127.0.0.1:4604/', 'http://127.0.0.1:4604/callback'] as const;

/** Where the private signing key (a JWKS) is kept. */
export function signingKeysFile(dataDir: string): string {
  return path.join(dataDir, 'oidc', 'jwks.json');
}

/** The JWKS file: created with a fresh RS256 key on first use, read afterwards. */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<{ keys: JWK[] }> {
  const file = signingKeysFile(dataDir);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys?: JWK[] };
    if (Array.isArray(stored.keys) && stored.keys.length > 0) return { keys: stored.keys };
    throw new Error(`${file} holds no keys; delete it to have a new key made`);
  }
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const key: JWK = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ keys: [key] }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { keys: [key] };
}

function account(user: DemoUser): Account {
  return {
    accountId: user.sub,
    claims: (use) => ({
      sub: user.sub,
      'cognito:username': user.username,
      'cognito:groups': [...user.groups],
      email: user.email,
      email_verified: true,
      name: user.name,
      ...(use === 'id_token' ? { token_use: 'id' } : {}),
    }),
  };
}

/** oidc-provider's storage, in memory (its own in-memory adapter prints a warning on every start). */
function memoryAdapterFactory(): (name: string) => Adapter {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number | undefined }>();
  const grants = new Map<string, Set<string>>();
  const uids = new Map<string, string>();
  const userCodes = new Map<string, string>();
  return (name) => {
    const key = (id: string) => `${name}:${id}`;
    const read = (fullKey: string | undefined): AdapterPayload | undefined => {
      if (!fullKey) return undefined;
      const entry = store.get(fullKey);
      if (!entry) return undefined;
      if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
        store.delete(fullKey);
        return undefined;
      }
      return entry.payload;
    };
    return {
      async upsert(id, payload, expiresIn) {
        store.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
        if (payload.grantId) {
          const members = grants.get(payload.grantId) ?? new Set<string>();
          members.add(key(id));
          grants.set(payload.grantId, members);
        }
        if (payload.uid) uids.set(payload.uid, key(id));
        if (payload.userCode) userCodes.set(payload.userCode, key(id));
      },
      async find(id) {
        return read(key(id));
      },
      async findByUid(uid) {
        return read(uids.get(uid));
      },
      async findByUserCode(userCode) {
        return read(userCodes.get(userCode));
      },
      async consume(id) {
        const entry = store.get(key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const member of grants.get(grantId) ?? []) store.delete(member);
        grants.delete(grantId);
      },
    };
  };
}

interface PasswordGrantParams {
  readonly username?: string;
  readonly password?: string;
  readonly scope?: string;
}

export async function startOidcIssuer(options: OidcIssuerOptions): Promise<OidcIssuer> {
  const log = options.log ?? (() => undefined);
  const jwks = await loadOrCreateSigningKeys(options.dataDir);
  const redirectUris = [...(options.portalRedirectUris ?? defaultPortalRedirectUris)];

  let handle: http.RequestListener = (_request, response) => {
    response.writeHead(503).end();
  };
  const server = http.createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, loopback, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${loopback}:${port}`;
  const portalOrigins = new Set(redirectUris.map((uri) => new URL(uri).origin));

  const configuration: Configuration = {
    adapter: memoryAdapterFactory(),
    jwks,
    clients: [
      {
        client_id: portalClientId,
        client_name: 'factuur portal',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', passwordGrantType],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris,
        id_token_signed_response_alg: 'RS256',
      },
    ],
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub', 'cognito:username', 'cognito:groups', 'token_use'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Cognito puts every scope's claims in the ID token, not only in userinfo.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const user = demoUsers.find((candidate) => candidate.sub === sub);
      return user ? account(user) : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      // No sender-constrained tokens: the API twin (like API Gateway) would not check them.
      dPoP: { enabled: false },
      revocation: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    clientBasedCORS: (_ctx, origin) => portalOrigins.has(origin),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: {
      IdToken: 3600,
      AccessToken: 3600,
      AuthorizationCode: 300,
      Interaction: 600,
      Session: 12 * 3600,
      Grant: 12 * 3600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `${out.error}: ${out.error_description ?? ''}\n`;
    },
  };
  const provider = new Provider(issuer, configuration);

  provider.registerGrantType<PasswordGrantParams>(
    passwordGrantType,
    async (ctx) => {
      const { username, password } = ctx.oidc.params;
      const scope = ctx.oidc.params.scope ?? defaultScope;
      const user = username ? demoUser(username) : undefined;
      // Demo users only: the password is the user name.
      if (!user || password !== user.username) throw new errors.InvalidGrant('unknown user or wrong password');
      if (!scope.split(' ').includes('openid'))
        throw new errors.InvalidScope('the scope must include openid', 'openid');
      const client = ctx.oidc.client;
      const found = account(user);
      ctx.oidc.entity('Account', found);

      const grant = new provider.Grant({ accountId: user.sub, clientId: client.clientId });
      grant.addOIDCScope(scope);
      const grantId = await grant.save();
      const accessToken = new provider.AccessToken({
        accountId: user.sub,
        client,
        grantId,
        gty: passwordGrantType,
        scope,
      });
      const accessTokenValue = await accessToken.save();

      const idToken = new provider.IdToken(
        { ...(await found.claims('id_token', scope, {}, [])), sub: user.sub },
        { ctx },
      );
      // IdToken reads `scope` to pick the claims; the type omits the writable property.
      Object.assign(idToken, { scope });
      idToken.set('auth_time', Math.floor(Date.now() / 1000));

      ctx.body = {
        access_token: accessTokenValue,
        id_token: await idToken.issue({ use: 'idtoken' }),
        token_type: 'Bearer',
        expires_in: accessToken.expiration,
        scope,
      };
    },
    ['username', 'password', 'scope'],
  );

  const callback = provider.callback();
  handle = (request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!interaction) {
      void callback(request, response);
      return;
    }
    handleInteraction(provider, request, response, interaction[2] !== undefined).catch((error: unknown) => {
      log(`oidc interaction: ${String(error)}`);
      if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(
        `The sign-in could not go on: ${error instanceof Error ? error.message : String(error)}\nStart again from the portal.\n`,
      );
    });
  };

  const tokenEndpoint = provider.urlFor('token');
  const jwksUri = provider.urlFor('jwks');
  log(
    `OpenID Connect issuer on ${issuer} (client ${portalClientId}; demo users ${demoUsers.map((user) => user.username).join(', ')}; password = user name)`,
  );

  return {
    issuer,
    port,
    jwksUri,
    tokenEndpoint,
    clientId: portalClientId,
    authorizer: { issuer, audience: [portalClientId], jwksUri },
    issueToken: async (username, tokenOptions = {}) =>
      (await requestPasswordGrant(tokenEndpoint, username, tokenOptions.password ?? username, tokenOptions.scope))
        .idToken,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const page = (title: string, content: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.3rem 0}input{padding:.4rem}button{padding:.5rem}.error{color:#b00}</style>
</head><body><h1>${title}</h1>${content}</body></html>`;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

async function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The sign-in pages: a user name and password form for the login prompt; consent is given without asking, as
 * for a first-party app client.
 */
async function handleInteraction(
  provider: Provider,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  isLoginPost: boolean,
): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  const { uid, prompt, params } = details;
  if (prompt.name === 'login') {
    let error = '';
    if (isLoginPost && request.method === 'POST') {
      const form = await readForm(request);
      const user = demoUser(form.get('username') ?? '');
      if (user && form.get('password') === user.username) {
        await provider.interactionFinished(
          request,
          response,
          { login: { accountId: user.sub } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      error = '<p class="error">Unknown user or wrong password.</p>';
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(
      page(
        'Sign in to factuur (local)',
        `${error}<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label>User name <input name="username" autofocus required></label>
<label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in</button></form>
<p>Demo users: ${demoUsers.map((user) => `<code>${user.username}</code>`).join(', ')}; the password is the user name.</p>`,
      ),
    );
    return;
  }
  if (prompt.name === 'consent') {
    const accountId = details.session?.accountId;
    const clientId = typeof params.client_id === 'string' ? params.client_id : undefined;
    if (!accountId || !clientId) throw new Error('no signed-in user for this request');
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId });
    if (!grant) throw new Error('the grant of this request has expired');
    const missingScope = prompt.details.missingOIDCScope;
    if (Array.isArray(missingScope)) grant.addOIDCScope(missingScope.join(' '));
    const missingClaims = prompt.details.missingOIDCClaims;
    if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims.map(String));
    const missingResourceScopes = prompt.details.missingResourceScopes;
    if (missingResourceScopes && typeof missingResourceScopes === 'object') {
      for (const [indicator, scopes] of Object.entries(missingResourceScopes)) {
        if (Array.isArray(scopes)) grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    const grantId = await grant.save();
    await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  throw new Error(`unexpected prompt ${prompt.name}`);
}
