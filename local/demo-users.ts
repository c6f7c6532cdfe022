import type { Role } from '../infra/definitions/roles.ts';

/**
 * The demo users of the local issuer and how to get a token for one (kept apart from local/oidc-issuer.ts so
 * that `npm run token` does not load oidc-provider). The password of each demo user is its user name.
 */
export const portalClientId = 'factuur-portal';
export const passwordGrantType = 'password';
export const defaultScope = 'openid email profile';

export interface DemoUser {
  readonly username: string;
  /** Cognito's `sub`: a UUID that never changes. */
  readonly sub: string;
  readonly email: string;
  readonly name: string;
  readonly groups: readonly Role[];
}

/** Every role its own user; admin (setup data) can also read, as a viewer. Password = user name. */
export const demoUsers: readonly DemoUser[] = [
  {
    username: 'viewer',
    sub: '5f0c1d6e-0a4b-4c3e-9a55-1b2c3d4e5f01',
    email: 'viewer@demo.factuur.test',
    name: 'Vera Viewer',
    groups: ['viewer'],
  },
  {
    username: 'billing',
    sub: '5f0c1d6e-0a4b-4c3e-9a55-1b2c3d4e5f02',
    email: 'billing@demo.factuur.test',
    name: 'Bram Billing',
    groups: ['billing'],
  },
  {
    // A second billing user: with review before sending, drafts one billing user submits another approves.
    username: 'reviewer',
    sub: '5f0c1d6e-0a4b-4c3e-9a55-1b2c3d4e5f05',
    email: 'reviewer@demo.factuur.test',
    name: 'Rita Reviewer',
    groups: ['billing'],
  },
  {
    username: 'operator',
    sub: '5f0c1d6e-0a4b-4c3e-9a55-1b2c3d4e5f03',
    email: 'operator@demo.factuur.test',
    name: 'Olga Operator',
    groups: ['operator'],
  },
  {
    username: 'admin',
    sub: '5f0c1d6e-0a4b-4c3e-9a55-1b2c3d4e5f04',
    email: 'admin@demo.factuur.test',
    name: 'Anna Admin',
    groups: ['admin', 'viewer'],
  },
];

export function demoUser(username: string): DemoUser | undefined {
  return demoUsers.find((user) => user.username === username);
}

export interface TokenSet {
  readonly idToken: string;
  readonly accessToken: string;
  readonly expiresIn: number;
}

/** The token endpoint's password grant (what `npm run token` and the tests use). Throws with the issuer's error. */
export async function requestPasswordGrant(
  tokenEndpoint: string,
  username: string,
  password: string,
  scope = defaultScope,
): Promise<TokenSet> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: passwordGrantType, client_id: portalClientId, username, password, scope }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    id_token?: string;
    access_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || !body.id_token || !body.access_token) {
    throw new Error(
      `The issuer refused a token for ${username}: ${body.error ?? response.status} ${body.error_description ?? ''}`.trim(),
    );
  }
  return { idToken: body.id_token, accessToken: body.access_token, expiresIn: body.expires_in ?? 0 };
}
