import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  CurrencyMismatch,
  DuplicatePayment,
  InvalidTransition,
  Overpayment,
  ValidationFailed,
} from '../../domain/index.ts';
import {
  BodyRefused,
  Conflict,
  IdempotencyKeyReused,
  ImportRefused,
  InvalidRequest,
  NotFound,
  RequestInProgress,
  StaleVersion,
} from '../errors.ts';
import { logger } from '../powertools.ts';
import { problemResponse, type Problem } from '../problem.ts';

/**
 * Errors become HTTP problems here and nowhere else (RFC 9457 problem+json, `field` naming the wrong input).
 * The mapping goes by error class (`instanceof`), never by name strings: a class renamed or removed fails to compile.
 */
export const problemType = (name: string): string => `https://factuur.dev/problems/${name}`;

export const etagOf = (version: number): string => `"${version}"`;

/** An HTTP problem thrown by a use case or adapter. */
export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail ?? problem.title);
  }
}

export function badRequest(field: string, detail: string): HttpProblem {
  return new HttpProblem({ type: problemType('invalid-request'), title: 'Bad Request', status: 400, field, detail });
}

export function unsupportedMediaType(detail: string): HttpProblem {
  return new HttpProblem({
    type: problemType('unsupported-media-type'),
    title: 'Unsupported Media Type',
    status: 415,
    field: 'content-type',
    detail,
  });
}

export function notFound(what: string): HttpProblem {
  return new HttpProblem({
    type: problemType('not-found'),
    title: 'Not Found',
    status: 404,
    detail: `${what} does not exist`,
  });
}

export function conflict(detail: string, extras: Record<string, unknown> = {}): HttpProblem {
  return new HttpProblem({ type: problemType('conflict'), title: 'Conflict', status: 409, detail, ...extras });
}

export { StaleVersion };

function stale(currentVersion: number | null, detail: string): APIGatewayProxyStructuredResultV2 {
  return problemResponse(
    {
      type: problemType('stale-version'),
      title: 'Precondition Failed',
      status: 412,
      field: 'If-Match',
      detail,
      currentVersion,
    },
    currentVersion === null ? {} : { etag: etagOf(currentVersion) },
  );
}

type Mapper = (error: never) => Problem | APIGatewayProxyStructuredResultV2;

/** Error classes and their problems, checked in order (the first `instanceof` that holds wins). */
const mappings: readonly (readonly [abstract new (...args: never[]) => Error, Mapper])[] = [
  [StaleVersion, (error: StaleVersion) => stale(error.currentVersion, error.message)],
  [
    NotFound,
    (error: NotFound) => ({ type: problemType('not-found'), title: 'Not Found', status: 404, detail: error.message }),
  ],
  [
    Conflict,
    (error: Conflict) => ({
      type: problemType('conflict'),
      title: 'Conflict',
      status: 409,
      detail: error.message,
      ...error.extras,
    }),
  ],
  [InvalidRequest, (error: InvalidRequest) => badRequest(error.field, error.message).problem],
  [
    ImportRefused,
    (error: ImportRefused) => ({
      type: problemType('import-refused'),
      title: 'Unprocessable Content',
      status: 422,
      field: error.field,
      detail: error.message,
      problems: error.problems,
    }),
  ],
  [
    BodyRefused,
    (error: BodyRefused) => ({
      type: problemType(error.type),
      title:
        error.status === 413 ? 'Content Too Large' : error.status === 400 ? 'Bad Request' : 'Unprocessable Content',
      status: error.status,
      field: 'body',
      detail: error.message,
    }),
  ],
  [
    IdempotencyKeyReused,
    () => ({
      type: problemType('idempotency-key-reused'),
      title: 'Unprocessable Content',
      status: 422,
      field: 'Idempotency-Key',
      detail: 'This Idempotency-Key was used with another request body.',
    }),
  ],
  [
    ValidationFailed,
    (error: ValidationFailed) => ({
      type: problemType('validation-failed'),
      title: 'Unprocessable Content',
      status: 422,
      field: error.field,
      detail: error.message,
    }),
  ],
  [
    InvalidTransition,
    (error: InvalidTransition) => ({
      type: problemType('invalid-transition'),
      title: 'Conflict',
      status: 409,
      detail: error.message,
    }),
  ],
  // Adopted: Overpayment and CurrencyMismatch are wrong values for this invoice (422, field named);
  // DuplicatePayment conflicts with what is recorded (409).
  [
    Overpayment,
    (error: Overpayment) => ({
      type: problemType('overpayment'),
      title: 'Unprocessable Content',
      status: 422,
      field: 'amount',
      detail: error.message,
    }),
  ],
  [
    CurrencyMismatch,
    (error: CurrencyMismatch) => ({
      type: problemType('currency-mismatch'),
      title: 'Unprocessable Content',
      status: 422,
      field: 'currency',
      detail: error.message,
    }),
  ],
  [
    DuplicatePayment,
    (error: DuplicatePayment) => ({
      type: problemType('duplicate-payment'),
      title: 'Conflict',
      status: 409,
      field: 'paymentId',
      detail: error.message,
    }),
  ],
];

export function problemOf(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof HttpProblem) return problemResponse(error.problem, error.headers);
  if (error instanceof RequestInProgress) {
    return problemResponse(
      {
        type: problemType('request-in-progress'),
        title: 'Conflict',
        status: 409,
        field: 'Idempotency-Key',
        detail: 'A request with this Idempotency-Key is still in progress.',
      },
      { 'retry-after': '1' },
    );
  }
  for (const [errorClass, map] of mappings) {
    if (error instanceof errorClass) {
      const mapped = (map as (error: Error) => Problem | APIGatewayProxyStructuredResultV2)(error);
      return 'statusCode' in mapped
        ? (mapped as APIGatewayProxyStructuredResultV2)
        : problemResponse(mapped as Problem);
    }
  }
  logger.error('request failed', { error });
  return problemResponse({
    type: problemType('internal'),
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong; nothing was changed, or the change is safe to retry with the same Idempotency-Key.',
  });
}
