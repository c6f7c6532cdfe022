import type { FirmSettings } from './firm.ts';

/**
 * The schedules of factuur, as EventBridge Scheduler sees them: a cron expression in the firm's time zone that
 * starts a state machine with a fixed input. The CDK stack makes an EventBridge Scheduler schedule from each;
 * the local cloud fires the same StartExecution with the same input at the same local times.
 */
export interface ScheduleDefinition {
  readonly name: string;
  /** EventBridge Scheduler cron expression: `cron(minutes hours day-of-month month day-of-week year)`. */
  readonly expression: string;
  /** IANA time zone of the expression. */
  readonly timeZone: string;
  /** Name of the state machine (see workflows.ts) the schedule starts. */
  readonly workflow: string;
  /** The execution input, exactly as the schedule sends it. */
  readonly input: Readonly<Record<string, unknown>>;
}

export function schedules(_firm: FirmSettings): ScheduleDefinition[] {
  return [];
}
