/**
 * Errors that cross the workflow boundary. Step Functions matches Retry and Catch on an error's `name`
 * (the Lambda errorType), so each has a fixed one.
 */

/** Worth trying again as it is: throttling, a transaction conflict, a dependency that did not answer. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const transientNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** True for AWS SDK and network errors that a retry can cure. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof TransientError) return true;
  const code = (error as { code?: unknown }).code;
  const retryable = (error as { $retryable?: unknown }).$retryable;
  if (retryable) return true;
  if (transientNames.has(error.name) || (typeof code === 'string' && transientNames.has(code))) return true;
  if (error.name === 'TransactionCanceledException') {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return reasons.some((reason) => reason.Code === 'TransactionConflict' || reason.Code === 'ThrottlingError');
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isTransient(cause);
}

/** Re-throws AWS and network failures a retry can cure as TransientError, so Retry matches one name. */
export function asTransient(error: unknown): unknown {
  if (error instanceof TransientError || !isTransient(error)) return error;
  return new TransientError(error instanceof Error ? `${error.name}: ${error.message}` : String(error), {
    cause: error,
  });
}

/**
 * Somebody changed it first: the version the caller read (If-Match) is no longer the current one. The HTTP edge
 * answers 412 with `currentVersion` and its ETag; adapters throw it (or a subclass) when a version condition fails.
 */
export class StaleVersion extends Error {
  override readonly name: string = 'StaleVersion';
  constructor(
    readonly currentVersion: number | null,
    readonly what = 'resource',
  ) {
    super(`the ${what} was changed by someone else (now version ${currentVersion})`);
  }
}

/**
 * Runs `work`; a StaleVersion found by a transaction's condition carries no version (a cancelled transaction does
 * not return the item), so the current one is read and named (the 412 then carries the current ETag).
 */
export async function namingCurrentVersion<T>(
  work: () => Promise<T>,
  currentVersion: () => Promise<number | null>,
  what = 'invoice',
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StaleVersion && error.currentVersion === null)
      throw new StaleVersion(await currentVersion(), what);
    throw error;
  }
}

/** What a use case was asked to change does not exist (the HTTP edge answers 404). */
export class NotFound extends Error {
  override readonly name = 'NotFound';
  constructor(readonly what: string) {
    super(`${what} does not exist`);
  }
}

/** The change conflicts with the state of something else than the version the caller read (HTTP 409). */
export class Conflict extends Error {
  override readonly name: string = 'Conflict';
  constructor(
    message: string,
    /** Members the problem carries besides its detail (e.g. what changed). */
    readonly extras: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A request the use case cannot take as it is, naming the field (HTTP 400). */
export class InvalidRequest extends Error {
  override readonly name = 'InvalidRequest';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Why a request body is refused as a whole: too large, not well-formed, or well-formed but not what the route takes. */
export type BodyRefusal = 'too-large' | 'not-well-formed' | 'not-understood';

/**
 * A request body refused as a whole before anything was read from it, with its reason and the kind of problem
 * (`too-large`, or what the body should have been, e.g. `invalid-statement`); the HTTP edge (problems.ts) chooses
 * the status from the reason, field `body`.
 */
export class BodyRefused extends Error {
  override readonly name: string = 'BodyRefused';
  constructor(
    readonly reason: BodyRefusal,
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/** One problem of a refused file: its 1-based row, the field (column) and what is wrong with it. */
export interface RowProblem {
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

/**
 * A file refused as a whole, nothing written: the field naming the file and the problems of its rows
 * (HTTP 422 `import-refused`, the problems as a member of the answer).
 */
export class ImportRefused extends Error {
  override readonly name = 'ImportRefused';
  constructor(
    readonly field: string,
    message: string,
    readonly problems: readonly RowProblem[],
  ) {
    super(message);
  }
}

/**
 * Idempotency-Key refusals, translated from Powertools idempotency where it runs (http/idempotency.ts), so that
 * problems.ts maps them without importing the library: the key was used with another request (422), or a request
 * with it is still running (409 with Retry-After).
 */
export class IdempotencyKeyReused extends Error {
  override readonly name = 'IdempotencyKeyReused';
}
export class RequestInProgress extends Error {
  override readonly name = 'RequestInProgress';
}
