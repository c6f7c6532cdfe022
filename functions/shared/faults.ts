import { TransientError } from './errors.ts';

/**
 * Fault injection for the local cloud's tests: named points in the handlers where a test can make the handler
 * fail as AWS would (a throttle, a crash of the Lambda, a bug). It is on only when FACTUUR_FAULT_INJECTION is
 * "on"; the AWS build replaces that variable with "off" at bundle time (infra/constructs/handler-function.ts),
 * so there the check is a constant and the minifier removes it.
 */
/** `stall`: the handler waits 2 s there (a slow dependency), so a test can act while an execution is mid-run. */
export type FaultKind = 'transient' | 'crash' | 'bug' | 'stall';
export type FaultPlan = (point: string) => FaultKind | undefined;

const planKey = Symbol.for('factuur.faultPlan');
type WithPlan = typeof globalThis & { [planKey]?: FaultPlan };

export function setFaultPlan(plan: FaultPlan | undefined): void {
  (globalThis as WithPlan)[planKey] = plan;
}

export async function faultPoint(point: string): Promise<void> {
  if (process.env.FACTUUR_FAULT_INJECTION !== 'on') return;
  const fault = (globalThis as WithPlan)[planKey]?.(point);
  if (fault === 'stall') await new Promise((resolve) => setTimeout(resolve, 2000));
  if (fault === 'transient') throw new TransientError(`Injected transient fault at ${point}`);
  if (fault === 'crash') {
    // What Step Functions sees when the Lambda process dies mid-invocation.
    throw Object.assign(new Error(`Injected crash at ${point}`), { name: 'Runtime.ExitError' });
  }
  if (fault === 'bug') throw Object.assign(new Error(`Injected bug at ${point}`), { name: 'InjectedBug' });
}
