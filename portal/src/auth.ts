import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { PortalConfig } from './config.ts';

/**
 * Sign-in with the OpenID Connect issuer (Cognito on AWS, the local issuer locally): authorization code + PKCE,
 * public client. The API takes the ID token as bearer token (API Gateway's JWT authorizer, audience = client id).
 */
export type Role = 'viewer' | 'billing' | 'operator' | 'admin';

export interface Session {
  readonly user: User;
  readonly username: string;
  readonly roles: readonly Role[];
  readonly idToken: string;
}

export function createUserManager(config: PortalConfig): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${origin}/`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: config.scope ?? 'openid email profile',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    loadUserInfo: false,
  });
}

export function sessionOf(user: User | null): Session | undefined {
  if (!user || user.expired || !user.id_token) return undefined;
  const groups = user.profile['cognito:groups'];
  const known: Role[] = ['viewer', 'billing', 'operator', 'admin'];
  const roles = Array.isArray(groups) ? known.filter((role) => (groups as unknown[]).includes(role)) : [];
  const username = String(
    user.profile['cognito:username'] ?? user.profile.preferred_username ?? user.profile.name ?? user.profile.sub,
  );
  return { user, username, roles, idToken: user.id_token };
}

let completing: Promise<{ user: User | null; returnTo: string | undefined }> | undefined;

/**
 * Completes a sign-in when the issuer sent the browser back with ?code&state; returns the hash route to restore.
 * Once per page load: the state is single-use (React's StrictMode runs effects twice in development).
 */
export function completeSignIn(manager: UserManager): Promise<{ user: User | null; returnTo: string | undefined }> {
  completing ??= completeSignInOnce(manager);
  return completing;
}

async function completeSignInOnce(manager: UserManager): Promise<{ user: User | null; returnTo: string | undefined }> {
  const params = new URLSearchParams(window.location.search);
  if (!(params.has('code') || params.has('error')) || !params.has('state'))
    return { user: await manager.getUser(), returnTo: undefined };
  try {
    const user = await manager.signinRedirectCallback();
    const state = user.state as { returnTo?: string } | undefined;
    return { user, returnTo: state?.returnTo };
  } finally {
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname === '/callback' ? '/' : window.location.pathname}${window.location.hash}`,
    );
  }
}
