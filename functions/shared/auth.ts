import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { roles as knownRoles, type Role } from '../../infra/definitions/roles.ts';
import { routes as routeTable, type RouteDefinition } from '../../infra/definitions/routes.ts';
import { logger } from './powertools.ts';
import { problemResponse } from './problem.ts';

/**
 * Who calls, and may they? API Gateway's JWT authorizer has already checked the token (signature, issuer,
 * audience, expiry) on every non-public route and hands its claims to the function as strings
 * (payload 2.0, `requestContext.authorizer.jwt.claims`); this checks the role, from the Cognito groups.
 *
 *   export const handler = middy(listInvoices).use(authorize());   // access from the route table by routeKey
 *   ... inside the handler: const caller = callerOf(event);
 */
export type RouteAccess = RouteDefinition['access'];

export interface Caller {
  /** Cognito's `sub`: stable, use it to record who did what. */
  readonly userId: string;
  readonly username: string;
  /** From the ID token (absent when the user has none). */
  readonly email: string | undefined;
  readonly name: string | undefined;
  /** The caller's groups that are factuur roles, in the order of `roles`. */
  readonly roles: readonly Role[];
}

/** A claim as API Gateway passes it (strings), or as a test or another integration may (JSON values). */
export type ClaimValue = string | number | boolean | readonly string[];

/** The part of a payload 2.0 event this reads; both APIGatewayProxyEventV2 and its WithJWTAuthorizer variant fit. */
export interface HttpApiEvent {
  readonly routeKey: string;
  readonly requestContext: object;
}

export const problemTypes = {
  unauthenticated: 'https://factuur.dev/problems/unauthenticated',
  forbidden: 'https://factuur.dev/problems/forbidden',
  routeNotConfigured: 'https://factuur.dev/problems/route-not-configured',
} as const;

/** The JWT claims of the event, or undefined when there are none (a public route). */
export function claimsOf(event: HttpApiEvent): Readonly<Record<string, ClaimValue>> | undefined {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } }).authorizer;
  const claims = authorizer?.jwt?.claims;
  return claims && typeof claims === 'object' && Object.keys(claims).length > 0
    ? (claims as Record<string, ClaimValue>)
    : undefined;
}

/**
 * `cognito:groups` exactly as API Gateway's JWT authorizer passes it: the claim's array as one string,
 * `[billing viewer]` (elements joined by single spaces, in brackets). Nothing else is read: not a JSON array string,
 * not a comma list, not an unbracketed name. A group whose name holds a comma, quote or bracket is a group of that
 * whole name (`[sales,admin]` is the group `sales,admin`, not admin); only names equal to a role become roles.
 */
export function parseGroups(value: ClaimValue | undefined): string[] {
  if (typeof value !== 'string' || !value.startsWith('[') || !value.endsWith(']')) return [];
  return value.slice(1, -1).split(' ').filter(Boolean);
}

function claimString(value: ClaimValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The caller from the claims of an ID token, or undefined when there are no claims, no subject, or the token is
 * not an ID token: API Gateway's JWT authorizer also accepts Cognito access tokens (their `client_id` is the
 * audience), but the API takes ID tokens only (`token_use: "id"`), so an access token is 401.
 */
export function callerFromClaims(claims: Readonly<Record<string, ClaimValue>> | undefined): Caller | undefined {
  const userId = claimString(claims?.sub);
  if (!claims || !userId || claims.token_use !== 'id') return undefined;
  const groups = new Set(parseGroups(claims['cognito:groups']));
  return {
    userId,
    username: claimString(claims['cognito:username']) ?? userId,
    email: claimString(claims.email),
    name: claimString(claims.name),
    roles: knownRoles.filter((role) => groups.has(role)),
  };
}

/** The caller of an authorised route. Throws when the event carries no caller (the route is public). */
export function callerOf(event: HttpApiEvent): Caller {
  const caller = callerFromClaims(claimsOf(event));
  if (!caller) throw new Error(`No caller on ${event.routeKey}: the route is public or its JWT authorizer is missing`);
  return caller;
}

export function mayAccess(caller: Caller | undefined, access: RouteAccess): boolean {
  if (access === 'public') return true;
  return caller?.roles.some((role) => access.includes(role)) ?? false;
}

function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** 401 without claims, 403 without an allowed role, undefined when the caller may go on. */
export function accessProblem(event: HttpApiEvent, access: RouteAccess): APIGatewayProxyStructuredResultV2 | undefined {
  if (access === 'public') return undefined;
  const caller = callerFromClaims(claimsOf(event));
  if (!caller) {
    // API Gateway's JWT authorizer answers 401 before the function runs; reaching this means the route is public
    // in the stack but not in the route table (or the other way round).
    logger.error('A protected route was called without JWT claims: is its authorizer missing?', {
      routeKey: event.routeKey,
    });
    return problemResponse(
      {
        type: problemTypes.unauthenticated,
        title: 'Unauthorized',
        status: 401,
        detail: 'This request needs an ID token as bearer token (access tokens are not accepted).',
      },
      { 'www-authenticate': 'Bearer' },
    );
  }
  if (!mayAccess(caller, access)) {
    return problemResponse({
      type: problemTypes.forbidden,
      title: 'Forbidden',
      status: 403,
      detail: `${event.routeKey} needs the role ${listed(access)}; ${caller.username} has ${caller.roles.length ? `the role ${listed(caller.roles)}` : 'no factuur role'}.`,
      requiredRoles: [...access],
    });
  }
  return undefined;
}

/** Middy middleware: answers 401/403 problem+json before the handler runs when the caller may not call it. */
export function requireRole<TEvent extends HttpApiEvent, TContext extends Context = Context>(
  access: RouteAccess,
): MiddlewareObj<TEvent, APIGatewayProxyStructuredResultV2, Error, TContext> {
  return {
    name: 'requireRole',
    before: (request) => accessProblem(request.event, access),
  };
}

/**
 * Middy middleware: the access of the event's route (`routeKey` = "GET /invoices/{invoiceId}") from the route
 * table, checked as requireRole does. A routeKey that is not in the table is a misconfiguration: 500, logged.
 */
export function authorize<TEvent extends HttpApiEvent, TContext extends Context = Context>(
  table: readonly RouteDefinition[] = routeTable,
): MiddlewareObj<TEvent, APIGatewayProxyStructuredResultV2, Error, TContext> {
  const accessByRouteKey = new Map<string, RouteAccess>(
    table.map((route) => [`${route.method} ${route.path}`, route.access]),
  );
  return {
    name: 'authorize',
    before: (request) => {
      const access = accessByRouteKey.get(request.event.routeKey);
      if (access === undefined) {
        logger.error('The route of this event is not in the route table', { routeKey: request.event.routeKey });
        return problemResponse({
          type: problemTypes.routeNotConfigured,
          title: 'Internal Server Error',
          status: 500,
          detail: 'This route is not configured for access control.',
        });
      }
      return accessProblem(request.event, access);
    },
  };
}
