import { Duration, TimeZone, Validations } from 'aws-cdk-lib';
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ScheduleDefinition } from '../definitions/schedules.ts';
import { pascalCase } from '../stack-definitions.ts';

export interface WorkflowSchedulesProps {
  readonly schedules: readonly ScheduleDefinition[];
  readonly stateMachineOf: (workflow: string) => IStateMachine;
}

/** How often EventBridge Scheduler retries a failed StartExecution, and for how long, before dead-lettering. */
export const scheduleRetry = { retryAttempts: 3, maxEventAge: Duration.hours(1) } as const;

/**
 * EventBridge Scheduler schedules generated from the schedule definitions: each a cron expression in its time
 * zone, no flexible window, starting its workflow's state machine with the definition's input. A start that
 * still fails after the retries lands in one shared, encrypted dead-letter queue (alarmed).
 */
export class WorkflowSchedules extends Construct {
  readonly deadLetterQueue: Queue;
  readonly schedules: ReadonlyMap<string, Schedule>;

  constructor(scope: Construct, id: string, props: WorkflowSchedulesProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedules; messages in it raise an alarm.',
    });

    const schedules = new Map<string, Schedule>();
    for (const definition of props.schedules) {
      const target = new StepFunctionsStartExecution(props.stateMachineOf(definition.workflow), {
        input: ScheduleTargetInput.fromObject(definition.input),
        deadLetterQueue: this.deadLetterQueue,
        ...scheduleRetry,
      });
      schedules.set(
        definition.name,
        new Schedule(this, pascalCase(definition.name), {
          description: `factuur schedule ${definition.name}: starts ${definition.workflow}`,
          schedule: ScheduleExpression.expression(definition.expression, TimeZone.of(definition.timeZone)),
          timeWindow: TimeWindow.off(),
          target,
        }),
      );
    }
    this.schedules = schedules;
  }
}
