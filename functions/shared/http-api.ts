/**
 * The portal API's HTTP layer, one import for handler modules:
 *
 *   export const handler = httpApi(contract, { 'GET /invoices': listInvoices, ... });
 *
 * where `contract` (a Contract, functions/api/openapi/schema.ts) is the part of the OpenAPI document the module's
 * routes are validated by.
 *
 * - http/router.ts          the pipeline (dispatch on routeKey, body, validation, preconditions, answer)
 * - http/body.ts            content type (415), UTF-8, duplicate keys, nesting
 * - http/validation.ts      bounds and text hygiene first, then JSON Schema against the OpenAPI document
 * - http/preconditions.ts   If-Match and Idempotency-Key
 * - http/idempotency.ts     every POST under its Idempotency-Key (Powertools idempotency)
 * - http/problems.ts        errors -> RFC 9457 problem+json, by error class
 * - http/cursors.ts         opaque cursors, checked against the listing they page
 *
 * A module without a POST route may import http-api-without-posts.ts instead (the same, less the idempotency
 * library in its bundle).
 */
import { idempotentRunner } from './http/idempotency.ts';
import type { Contract } from '../api/openapi/schema.ts';
import { type ApiResult, apiHandler, type Implementations } from './http/router.ts';

export * from './http-api-without-posts.ts';

/** The handler of a module's routes; every POST runs under its Idempotency-Key. */
export function httpApi(contract: Contract, implementations: Implementations) {
  return apiHandler(contract, implementations, idempotentRunner<ApiResult>());
}
