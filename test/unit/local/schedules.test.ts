import { describe, expect, it } from 'vitest';
import { firesAt, parseCron, scheduleInput } from '../../../local/schedules.ts';

describe('local schedules: Scheduler cron in a time zone', () => {
  const daily0500 = parseCron('cron(0 5 * * ? *)');

  it('fires at 05:00 Amsterdam time, which is 04:00 UTC in winter and 03:00 UTC in summer', () => {
    expect(firesAt(daily0500, 'Europe/Amsterdam', new Date('2027-01-15T04:00:00Z'))).toBe(true);
    expect(firesAt(daily0500, 'Europe/Amsterdam', new Date('2027-01-15T05:00:00Z'))).toBe(false);
    expect(firesAt(daily0500, 'Europe/Amsterdam', new Date('2027-07-15T03:00:00Z'))).toBe(true);
    expect(firesAt(daily0500, 'Europe/Amsterdam', new Date('2027-07-15T04:00:00Z'))).toBe(false);
  });

  it('reads weekday names, ranges, lists and steps as Scheduler does (1 = Sunday)', () => {
    const weekdays = parseCron('cron(0/15 9-17 ? * MON-FRI *)');
    expect(firesAt(weekdays, 'UTC', new Date('2027-01-18T09:45:00Z'))).toBe(true); // Monday
    expect(firesAt(weekdays, 'UTC', new Date('2027-01-18T09:50:00Z'))).toBe(false);
    expect(firesAt(weekdays, 'UTC', new Date('2027-01-17T09:45:00Z'))).toBe(false); // Sunday
    const sundays = parseCron('cron(30 6 ? * 1 *)');
    expect(firesAt(sundays, 'UTC', new Date('2027-01-17T06:30:00Z'))).toBe(true);
    const listed = parseCron('cron(0 8 1,15 JAN,JUL ? 2027)');
    expect(firesAt(listed, 'UTC', new Date('2027-07-15T08:00:00Z'))).toBe(true);
    expect(firesAt(listed, 'UTC', new Date('2028-07-15T08:00:00Z'))).toBe(false);
  });

  it('refuses what it cannot read instead of misreading it', () => {
    expect(() => parseCron('0 5 * * *')).toThrow(/Not a Scheduler cron/);
    expect(() => parseCron('cron(0 5 L * ? *)')).toThrow(/not supported/);
    expect(() => parseCron('cron(0 25 * * ? *)')).toThrow(/Bad cron field/);
  });

  it('fills the context attributes into the input as Scheduler does', () => {
    const input = scheduleInput(
      { scheduledTime: '<aws.scheduler.scheduled-time>', nested: ['<aws.scheduler.attempt-number>'], keep: 5 },
      { scheduledTime: new Date('2027-01-15T04:00:00Z'), scheduleArn: 'arn', executionId: 'id', attemptNumber: 1 },
    );
    expect(input).toEqual({ scheduledTime: '2027-01-15T04:00:00Z', nested: ['1'], keep: 5 });
  });
});
