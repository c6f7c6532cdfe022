/**
 * The portal API's HTTP layer without the idempotency layer, for a handler module with no POST route
 * (`httpApiWithoutPosts`): everything http-api.ts offers but `httpApi`, so the module's bundle leaves Powertools
 * idempotency out. http-api.ts re-exports all of this.
 */
export {
  type ApiRequest,
  type ApiResult,
  httpApiWithoutPosts,
  type RouteImplementation,
} from './http/router.ts';
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
