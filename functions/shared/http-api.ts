/**
 * The portal API's HTTP layer, one import for handler modules:
 *
 *   export const handler = httpApi({ 'GET /invoices': listInvoices, ... });
 *
 * - http/router.ts          the pipeline (dispatch on routeKey, body, validation, preconditions, answer)
 * - http/body.ts            content type (415), UTF-8, duplicate keys, nesting
 * - http/validation.ts      bounds and text hygiene first, then JSON Schema against the OpenAPI document
 * - http/preconditions.ts   If-Match and Idempotency-Key
 * - http/problems.ts        errors -> RFC 9457 problem+json, by error class
 * - http/cursors.ts         opaque cursors, checked against the listing they page
 */
export { httpApi, type ApiRequest, type ApiResult, type RouteImplementation } from './http/router.ts';
export {
  badRequest,
  conflict,
  etagOf,
  HttpProblem,
  notFound,
  problemOf,
  problemType,
  StaleVersion,
  unsupportedMediaType,
} from './http/problems.ts';
export { fieldOf, textProblem } from './http/validation.ts';
export { decodeCursor, encodeCursor } from './http/cursors.ts';
import type { ApiRequest } from './http/router.ts';

export function limitOf(request: ApiRequest, fallback = 50): number {
  return request.query.limit === undefined ? fallback : Number(request.query.limit);
}

export function actorOf(request: ApiRequest): string {
  return request.caller.username;
}
