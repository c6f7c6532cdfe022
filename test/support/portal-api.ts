import { randomUUID } from 'node:crypto';
import type { LocalCloud } from '../../local/cloud.ts';

/**
 * The portal tests' API calls, signed in as a user of the test cloud's OIDC issuer (a real ID token): JSON body,
 * an Idempotency-Key on every POST, If-Match from a version number (sent as "n") or an ETag as read. One helper for
 * every browser test that makes its data through the API.
 */
export type PortalUser = 'viewer' | 'billing' | 'reviewer' | 'operator' | 'admin';

export interface ApiAnswer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read answers of many routes as JSON
  readonly body: any; // any: each test reads the fields of the route it calls
  readonly etag: string | null;
}

export type PortalApi = (
  method: string,
  urlPath: string,
  as: PortalUser,
  body?: unknown,
  ifMatch?: number | string,
) => Promise<ApiAnswer>;

/** `api(method, path, as, body?, ifMatch?)` against the cloud `cloud()` returns (read at call time). */
export function signedInApi(cloud: () => LocalCloud): PortalApi {
  return async (method, urlPath, as, body, ifMatch) => {
    const local = cloud();
    const headers: Record<string, string> = { authorization: `Bearer ${await local.oidc.issueToken(as)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST') headers['idempotency-key'] = randomUUID();
    if (ifMatch !== undefined) headers['if-match'] = typeof ifMatch === 'number' ? `"${ifMatch}"` : ifMatch;
    const response = await fetch(`${local.urls.api}${urlPath}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, etag: response.headers.get('etag') };
  };
}
