import { assertIsoDate, cutOffFor, ValidationFailed } from '../domain/index.ts';
import type { InvoiceRunPorts } from './ports.ts';

/** The workflow caught a failing run: record it as failed, with what failed, where and in which execution. */
export interface RunFailureInput {
  /** One project, or a batch whose Task failed as a whole (each project of it not finished is recorded). */
  readonly projectId?: unknown;
  readonly projectIds?: unknown;
  /** Failures a batch handed back, each with its own error and cause. */
  readonly failures?: unknown;
  readonly runDate?: unknown;
  readonly executionId?: unknown;
  readonly failedState?: unknown;
  readonly error?: unknown;
  readonly cause?: unknown;
}

export async function recordRunFailure(
  ports: Pick<InvoiceRunPorts, 'runs'>,
  input: RunFailureInput,
  now: string,
): Promise<{ status: 'failed' | 'finished_meanwhile' }> {
  const many = Array.isArray(input.failures)
    ? (input.failures as RunFailureInput[]).map((failure) => ({ ...input, ...failure }))
    : Array.isArray(input.projectIds)
      ? input.projectIds.map((projectId) => ({ ...input, projectId }))
      : undefined;
  if (many) {
    const outcomes = await Promise.all(
      many.map(({ failures: _f, projectIds: _p, ...one }) => recordRunFailure(ports, one, now)),
    );
    return { status: outcomes.some((outcome) => outcome.status === 'failed') ? 'failed' : 'finished_meanwhile' };
  }
  const text = (value: unknown, field: string): string => {
    if (typeof value !== 'string' || value === '') throw new ValidationFailed(field, 'is required');
    return value;
  };
  const runDate = assertIsoDate(input.runDate, 'runDate');
  const recorded = await ports.runs.fail(text(input.projectId, 'projectId'), runDate, cutOffFor(runDate), {
    error: text(input.error, 'error'),
    cause: causeMessage(input.cause),
    state: text(input.failedState, 'failedState'),
    executionId: text(input.executionId, 'executionId'),
    at: now,
  });
  return { status: recorded ? 'failed' : 'finished_meanwhile' };
}

/** Lambda errors reach Catch as a JSON Cause ({errorType, errorMessage, trace}); operators need the message. */
function causeMessage(cause: unknown): string {
  if (typeof cause !== 'string') return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: the cause is the message
  }
  return cause.slice(0, 2000);
}
