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
  /** In the ID token; absent when the client sent an access token. */
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
 * `cognito:groups` as it arrives: API Gateway turns the array into "[billing viewer]"; a JSON array string
 * ('["billing","viewer"]'), a real array, a comma list or a single name are read too.
 */
export function parseGroups(value: ClaimValue | undefined): string[] {
  if (value === undefined || typeof value === 'number' || typeof value === 'boolean') return [];
  if (typeof value !== 'string') return value.map(String).filter(Boolean);
  const text = value.trim();
  if (text.startsWith('[') && text.includes('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String).filter(Boolean);
    } catch {
      // not JSON: read it as API Gateway's "[a b]" below
    }
  }
  return text
    .replace(/^\[/, '')
    .replace(/\]$/, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

function claimString(value: ClaimValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The caller from the claims, or undefined when there are no claims or no subject. */
export function callerFromClaims(claims: Readonly<Record<string, ClaimValue>> | undefined): Caller | undefined {
  const userId = claimString(claims?.sub);
  if (!claims || !userId) return undefined;
  const groups = new Set(parseGroups(claims['cognito:groups']));
  return {
    userId,
    username: claimString(claims['cognito:username']) ?? claimString(claims.username) ?? userId,
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
        detail: 'This request needs a bearer token.',
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
