import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  /** Subscribed by email when given (the address must confirm the subscription). */
  readonly alarmEmail: string | undefined;
}

export interface AlarmOptions {
  readonly metric: IMetric;
  readonly description: string;
  /** Alarm when the metric is >= this (default 1). */
  readonly threshold?: number;
}

/**
 * The alarm topic and the alarms that publish to it. The topic is encrypted with a customer-managed key (rotated)
 * that CloudWatch may use: the AWS-managed SNS key would not let CloudWatch alarms publish.
 */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.key = new Key(this, 'TopicKey', {
      description: 'factuur alarm topic',
      enableKeyRotation: true,
    });
    this.key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'factuur alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    }
    this.action = new SnsAction(this.topic);
  }

  /** An alarm on `metric >= threshold` for one 5-minute period, notifying the topic on alarm and on recovery. */
  add(scope: Construct, id: string, options: AlarmOptions): Alarm {
    const alarm = new Alarm(scope, id, {
      metric: options.metric,
      alarmDescription: options.description,
      threshold: options.threshold ?? 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }

  /** Standard period of the alarms' metrics. */
  static readonly period = Duration.minutes(5);
}
