import type { Role } from './roles.ts';

/**
 * The route table of the portal API. The CDK stack makes one HTTP API route (and one function per handler) from
 * each entry; the local HTTP server dispatches with the same table. One source of truth for routes.
 *
 * `handler` names a module under functions/handlers/ (without `.ts`) that exports `handler`.
 * `access` is 'public' (no token) or the roles allowed; API Gateway checks the token (JWT authorizer),
 * the handler checks the role: `middy(handler).use(authorize())` from functions/shared/auth.ts looks the route up
 * by the event's routeKey (`${method} ${path}`) and answers 401/403 problem+json.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/invoices/{invoiceId}`. */
  readonly path: string;
  readonly handler: string;
  readonly access: 'public' | readonly Role[];
}

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', handler: 'api/health', access: 'public' },
];

/** Every handler module the routes use, each once. */
export function routeHandlers(): string[] {
  return [...new Set(routes.map((route) => route.handler))];
}
