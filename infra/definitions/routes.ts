import type { Role } from './roles.ts';

/**
 * The route table of the portal API. The CDK stack makes one HTTP API route (and one function per handler) from
 * each entry; the local HTTP server dispatches with the same table. One source of truth for routes.
 *
 * `handler` names a module under functions/handlers/ (without `.ts`) that exports `handler`.
 * `access` is 'public' (no token) or the roles allowed; API Gateway checks the token (JWT authorizer),
 * the handler checks the role: `middy(handler).use(authorize())` from functions/shared/auth.ts looks the route up
 * by the event's routeKey (`${method} ${path}`) and answers 401/403 problem+json.
 *
 * Adopted: the routes of one resource share one handler module (one Lambda), which dispatches on the routeKey
 * (functions/shared/http-api.ts); the function count stays at one per resource, not one per route.
 * Every role may read (viewer, billing, operator, admin); billing does invoice work, operator runs, admin setup data.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/invoices/{invoiceId}`. */
  readonly path: string;
  readonly handler: string;
  readonly access: 'public' | readonly Role[];
}

const READ: readonly Role[] = ['viewer', 'billing', 'operator', 'admin'];
const BILLING: readonly Role[] = ['billing'];
const OPERATOR: readonly Role[] = ['operator'];
const ADMIN: readonly Role[] = ['admin'];

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', handler: 'api/health', access: 'public' },
  { method: 'GET', path: '/openapi.json', handler: 'api/openapi', access: 'public' },

  { method: 'GET', path: '/invoices', handler: 'api/invoices', access: READ },
  { method: 'GET', path: '/invoices/{invoiceId}', handler: 'api/invoices', access: READ },
  { method: 'PATCH', path: '/invoices/{invoiceId}', handler: 'api/invoices', access: BILLING },
  { method: 'DELETE', path: '/invoices/{invoiceId}', handler: 'api/invoices', access: BILLING },
  { method: 'GET', path: '/invoices/{invoiceId}/details', handler: 'api/invoices', access: READ },
  { method: 'POST', path: '/invoices/{invoiceId}/details', handler: 'api/invoices', access: BILLING },
  { method: 'GET', path: '/invoices/{invoiceId}/excluded', handler: 'api/invoices', access: READ },
  { method: 'POST', path: '/invoices/{invoiceId}/submit', handler: 'api/invoices', access: BILLING },
  { method: 'POST', path: '/invoices/{invoiceId}/approve', handler: 'api/invoices', access: BILLING },
  { method: 'POST', path: '/invoices/{invoiceId}/return', handler: 'api/invoices', access: BILLING },
  { method: 'PATCH', path: '/invoices/{invoiceId}/details/{detailId}', handler: 'api/invoices', access: BILLING },
  { method: 'DELETE', path: '/invoices/{invoiceId}/details/{detailId}', handler: 'api/invoices', access: BILLING },
  { method: 'GET', path: '/invoices/{invoiceId}/history', handler: 'api/invoices', access: READ },
  { method: 'POST', path: '/invoices/{invoiceId}/send', handler: 'api/invoice-sending', access: BILLING },
  { method: 'POST', path: '/invoices/{invoiceId}/credit-notes', handler: 'api/invoice-sending', access: BILLING },
  { method: 'GET', path: '/invoices/{invoiceId}/deliveries', handler: 'api/invoice-sending', access: READ },
  { method: 'POST', path: '/invoices/{invoiceId}/deliveries', handler: 'api/invoice-sending', access: BILLING },
  { method: 'GET', path: '/invoices/{invoiceId}/pdf', handler: 'api/invoice-documents', access: READ },
  { method: 'GET', path: '/invoices/{invoiceId}/ubl', handler: 'api/invoice-documents', access: READ },
  { method: 'POST', path: '/invoices/{invoiceId}/recalculate', handler: 'api/invoices', access: BILLING },
  { method: 'POST', path: '/invoices/{invoiceId}/payments', handler: 'api/invoices', access: BILLING },
  {
    method: 'POST',
    path: '/invoices/{invoiceId}/payments/{paymentId}/reversal',
    handler: 'api/invoices',
    access: BILLING,
  },
  { method: 'GET', path: '/invoices/{invoiceId}/reminders', handler: 'api/reminders', access: READ },
  { method: 'POST', path: '/invoices/{invoiceId}/reminders/pause', handler: 'api/reminders', access: BILLING },
  { method: 'POST', path: '/invoices/{invoiceId}/reminders/resume', handler: 'api/reminders', access: BILLING },
  { method: 'GET', path: '/overdue-invoices', handler: 'api/reminders', access: READ },

  { method: 'GET', path: '/settings', handler: 'api/settings', access: READ },
  { method: 'PATCH', path: '/settings', handler: 'api/settings', access: ADMIN },

  { method: 'GET', path: '/customers', handler: 'api/customers', access: READ },
  { method: 'POST', path: '/customers', handler: 'api/customers', access: ADMIN },
  { method: 'GET', path: '/customers/{customerId}', handler: 'api/customers', access: READ },
  { method: 'PUT', path: '/customers/{customerId}', handler: 'api/customers', access: ADMIN },

  { method: 'GET', path: '/projects', handler: 'api/projects', access: READ },
  { method: 'POST', path: '/projects', handler: 'api/projects', access: ADMIN },
  { method: 'GET', path: '/projects/{projectId}', handler: 'api/projects', access: READ },
  { method: 'PUT', path: '/projects/{projectId}', handler: 'api/projects', access: ADMIN },
  { method: 'GET', path: '/projects/{projectId}/run-dates', handler: 'api/projects', access: READ },
  { method: 'POST', path: '/projects/{projectId}/transactions/import', handler: 'api/transactions', access: ADMIN },
  { method: 'POST', path: '/projects/{projectId}/invoice-preview', handler: 'api/manual-invoicing', access: BILLING },
  { method: 'POST', path: '/projects/{projectId}/invoices', handler: 'api/manual-invoicing', access: BILLING },

  { method: 'GET', path: '/transactions', handler: 'api/transactions', access: READ },
  { method: 'POST', path: '/transactions', handler: 'api/transactions', access: ADMIN },
  { method: 'GET', path: '/transactions/{transactionId}', handler: 'api/transactions', access: READ },
  { method: 'PUT', path: '/transactions/{transactionId}', handler: 'api/transactions', access: ADMIN },

  { method: 'GET', path: '/milestones', handler: 'api/milestones', access: READ },
  { method: 'POST', path: '/milestones', handler: 'api/milestones', access: ADMIN },
  { method: 'PUT', path: '/milestones/{milestoneId}', handler: 'api/milestones', access: ADMIN },

  { method: 'POST', path: '/bank-statements', handler: 'api/bank-statements', access: BILLING },
  { method: 'GET', path: '/bank-statements', handler: 'api/bank-statements', access: READ },
  { method: 'GET', path: '/bank-statements/{statementId}', handler: 'api/bank-statements', access: READ },
  { method: 'POST', path: '/bank-entries/{entryId}/assignment', handler: 'api/bank-statements', access: BILLING },

  { method: 'GET', path: '/runs', handler: 'api/runs', access: READ },
  { method: 'GET', path: '/runs/failed', handler: 'api/runs', access: READ },
  { method: 'GET', path: '/runs/{projectId}/{runDate}', handler: 'api/runs', access: READ },
  { method: 'POST', path: '/runs/{runDate}/restart', handler: 'api/runs', access: OPERATOR },
  { method: 'POST', path: '/runs/{projectId}/{runDate}/restart', handler: 'api/runs', access: OPERATOR },
];

/** Every handler module the routes use, each once. */
export function routeHandlers(): string[] {
  return [...new Set(routes.map((route) => route.handler))];
}
