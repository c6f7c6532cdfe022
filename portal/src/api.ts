import createClient from 'openapi-fetch';
import type { paths } from './api-schema.ts';

/** The portal API client: bearer ID token, ETag/If-Match, Idempotency-Key on POST, problem+json errors. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly field?: string;
  readonly currentVersion?: number;
  readonly [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly etag: string | null;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** The version read: sent as If-Match: "<version>". */
  readonly ifMatch?: number;
  /** Every POST needs one; pass the same key to retry the same request. */
  readonly idempotencyKey?: string;
  /** A document body sent as is (e.g. a CAMT.053 statement as application/xml) instead of JSON. */
  readonly document?: { readonly content: string; readonly contentType: string };
}

export interface Api {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  get<T>(path: string): Promise<T>;
  blob(path: string): Promise<Blob>;
}

export function newKey(): string {
  return crypto.randomUUID();
}

export function createApi(apiUrl: string, token: () => string, onUnauthorized: () => void): Api {
  async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${token()}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.document) headers['content-type'] = options.document.contentType;
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    if (method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? newKey();
    let response: Response;
    try {
      response = await fetch(`${apiUrl}${path}`, {
        method,
        headers,
        ...(options.document
          ? { body: options.document.content }
          : options.body !== undefined
            ? { body: JSON.stringify(options.body) }
            : {}),
      });
    } catch (error) {
      throw new ApiError(0, {
        status: 0,
        title: 'network',
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    if (response.status === 401) onUnauthorized();
    if (!response.ok) {
      const text = await response.text();
      let problem: Problem = { status: response.status, title: response.statusText };
      try {
        problem = { ...problem, ...(JSON.parse(text) as object) };
      } catch {
        if (text) problem = { ...problem, detail: text.slice(0, 300) };
      }
      throw new ApiError(response.status, problem);
    }
    return response;
  }
  return {
    async request<T>(method: string, path: string, options: RequestOptions = {}) {
      const response = await send(method, path, options);
      const text = await response.text();
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : undefined) as T,
        etag: response.headers.get('etag'),
      };
    },
    async get<T>(path: string) {
      const response = await send('GET', path);
      return (await response.json()) as T;
    },
    async blob(path: string) {
      // An archived document (GET /pdf, /ubl) just after Send answers 503 (Retry-After) until it is archived.
      for (let attempt = 0; ; attempt++) {
        try {
          return await (await send('GET', path)).blob();
        } catch (error) {
          if (!(error instanceof ApiError) || error.status !== 503 || attempt >= 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      }
    },
  };
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// The typed client: openapi-fetch over the paths generated from the contract (api-schema.ts). Paths, parameters,
// bodies and answers are checked by the compiler; a change of the contract that a page does not follow fails
// `npm run typecheck`.

export type Client = ReturnType<typeof createClient<paths>>;

export function createTypedClient(apiUrl: string, token: () => string, onUnauthorized: () => void): Client {
  const client = createClient<paths>({ baseUrl: apiUrl });
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${token()}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
      return response;
    },
  });
  return client;
}

/** The answer of a typed call, or its problem thrown as ApiError (network failures too). */
export async function answer<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; etag: string | null }> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    throw new ApiError(0, {
      status: 0,
      title: 'network',
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  const { response } = result;
  if (!response.ok) {
    const problem = (typeof result.error === 'object' && result.error !== null ? result.error : {}) as object;
    throw new ApiError(response.status, { status: response.status, title: response.statusText, ...problem });
  }
  return { data: result.data as T, etag: response.headers.get('etag') };
}

/** The headers of a versioned write: If-Match with the version read (and for a POST its Idempotency-Key). */
export const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });
export const postHeaders = (version: number, key: string = newKey()) => ({
  'If-Match': `"${version}"`,
  'Idempotency-Key': key,
});
