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

/**
 * The daily invoice run: at a fixed local hour outside DST switch hours, it starts the invoice-run workflow with the
 * scheduled time; the workflow works out "today" in the firm's zone and catches up missed dates (rules, section 1).
 */
export function schedules(firm: FirmSettings): ScheduleDefinition[] {
  return [
    {
      name: 'daily-invoice-run',
      expression: `cron(0 ${firm.dailyRunHour} * * ? *)`,
      timeZone: firm.timeZone,
      workflow: 'invoice-run',
      input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
    },
    {
      // An hour after the invoice run: reminders go out in the morning, each level once (reminder-run.asl.json).
      name: 'daily-reminder-run',
      expression: `cron(0 ${firm.dailyRunHour + 1} * * ? *)`,
      timeZone: firm.timeZone,
      workflow: 'reminder-run',
      input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
    },
    {
      name: 'invoice-outbox-sweep',
      expression: 'cron(0/5 * * * ? *)',
      timeZone: firm.timeZone,
      workflow: 'deliver-invoices',
      input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
    },
    {
      // Runs left running by an execution that ended (timeout, StopExecution, DynamoDB unreachable for longer than
      // RecordRunFailure's retries) become failed runs operators can restart.
      name: 'stale-run-reconciliation',
      expression: 'cron(7/15 * * * ? *)',
      timeZone: firm.timeZone,
      workflow: 'reconcile-runs',
      input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
    },
  ];
}
