import type { ScheduleDefinition } from '../infra/definitions/schedules.ts';

/**
 * Local schedules: the same definitions as the CDK stack's EventBridge Scheduler schedules, fired at the same
 * local times with the same StartExecution input (context attributes such as <aws.scheduler.scheduled-time>
 * filled in as Scheduler fills them).
 *
 * Supported cron syntax: numbers, names (JAN, MON), `*`, `?`, lists, ranges and steps. Scheduler's `L`, `W` and
 * `#` are refused loudly rather than misread.
 */
const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const weekdayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
  readonly nameBase?: number;
}

const fieldSpecs: FieldSpec[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: monthNames, nameBase: 1 },
  { min: 1, max: 7, names: weekdayNames, nameBase: 1 },
  { min: 1970, max: 2199 },
];

export interface CronExpression {
  /** Allowed values per field; undefined means any (`*` or `?`). */
  readonly fields: readonly (ReadonlySet<number> | undefined)[];
}

export function parseCron(expression: string): CronExpression {
  const match = /^cron\((.+)\)$/.exec(expression.trim());
  const parts = match?.[1]?.trim().split(/\s+/);
  if (parts?.length !== 6) throw new Error(`Not a Scheduler cron expression: ${expression}`);
  return {
    fields: parts.map((part, index) => parseField(part, fieldSpecs[index] as FieldSpec, expression)),
  };
}

function parseField(part: string, spec: FieldSpec, expression: string): Set<number> | undefined {
  if (part === '*' || part === '?') return undefined;
  if (/[LW#]/.test(part.replace(/[A-Z]{3}/g, '')))
    throw new Error(`Cron features L, W and # are not supported locally: ${expression}`);
  const value = (text: string): number => {
    const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    const number = named >= 0 ? named + (spec.nameBase ?? 0) : Number(text);
    if (!Number.isInteger(number) || number < spec.min || number > spec.max)
      throw new Error(`Bad cron field '${part}' in ${expression}`);
    return number;
  };
  const allowed = new Set<number>();
  for (const item of part.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`Bad cron step '${item}' in ${expression}`);
    let [from, to] =
      range === '*'
        ? [spec.min, spec.max]
        : range.includes('-')
          ? range.split('-').map(value)
          : [value(range), value(range)];
    if (stepText !== undefined && !range.includes('-') && range !== '*') to = spec.max;
    for (let candidate = from ?? spec.min; candidate <= (to ?? spec.max); candidate += step) allowed.add(candidate);
  }
  return allowed;
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(instant: Date, timeZone: string): number[] {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return [
    Number(get('minute')),
    Number(get('hour')),
    Number(get('day')),
    Number(get('month')),
    weekdayNames.indexOf(get('weekday').toUpperCase()) + 1,
    Number(get('year')),
  ];
}

/** Does the schedule fire in the minute that starts at `instant`? */
export function firesAt(cron: CronExpression, timeZone: string, instant: Date): boolean {
  const clock = wallClock(instant, timeZone);
  return cron.fields.every((allowed, index) => !allowed || allowed.has(clock[index] as number));
}

/** Fills Scheduler's context attributes into the schedule's input, as Scheduler does when it fires. */
export function scheduleInput(
  input: unknown,
  context: { scheduledTime: Date; scheduleArn: string; executionId: string; attemptNumber: number },
): unknown {
  const replacements: Record<string, string> = {
    '<aws.scheduler.scheduled-time>': context.scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    '<aws.scheduler.schedule-arn>': context.scheduleArn,
    '<aws.scheduler.execution-id>': context.executionId,
    '<aws.scheduler.attempt-number>': String(context.attemptNumber),
  };
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string')
      return Object.entries(replacements).reduce(
        (text, [key, replacement]) => text.replaceAll(key, replacement),
        value,
      );
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fill(inner)]));
    return value;
  };
  return fill(input);
}

export interface LocalScheduler {
  stop(): void;
}

/**
 * Checks once a minute, on the minute, which schedules fire, and calls `fire` for each.
 * `fire` is given the schedule and its input with context attributes filled in.
 */
export function startLocalScheduler(
  definitions: readonly ScheduleDefinition[],
  fire: (schedule: ScheduleDefinition, input: unknown) => Promise<void>,
  log: (message: string) => void = console.log,
): LocalScheduler {
  const compiled = definitions.map((definition) => ({ definition, cron: parseCron(definition.expression) }));
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    for (const { definition, cron } of compiled) {
      if (!firesAt(cron, definition.timeZone, minute)) continue;
      const input = scheduleInput(definition.input, {
        scheduledTime: minute,
        scheduleArn: `arn:aws:scheduler:eu-west-1:000000000000:schedule/default/${definition.name}`,
        executionId: `${definition.name}-${minute.getTime()}`,
        attemptNumber: 1,
      });
      fire(definition, input).then(
        () => log(`[schedules] ${definition.name} fired for ${minute.toISOString()}`),
        (error: unknown) => log(`[schedules] ${definition.name} failed to start: ${String(error)}`),
      );
    }
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 5);
  };
  timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 5);
  return { stop: () => clearTimeout(timer) };
}
