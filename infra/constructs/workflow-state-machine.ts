import { readFileSync } from 'node:fs';
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowDefinition } from '../definitions/workflows.ts';

export interface WorkflowStateMachineProps {
  readonly workflow: WorkflowDefinition;
  /** Absolute path of the workflow's ASL file. */
  readonly aslFile: string;
  readonly functionOf: (handler: string) => IFunction;
}

/** `${Key}` placeholders in an ASL text (the keys only). */
export function aslPlaceholders(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1] as string))].sort();
}

/**
 * One Standard state machine from a workflow definition: the ASL file inlined (DefinitionBody.fromString) with a
 * DefinitionSubstitution per task placeholder -> that handler's function ARN; named after the workflow (its ARN
 * ends in the workflow name, as the local cloud's); logs errors with execution data; X-Ray tracing on.
 * Its role may invoke exactly the task functions (unqualified ARNs, as substituted).
 */
export class WorkflowStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowStateMachineProps) {
    super(scope, id);
    const { workflow } = props;
    const asl = readFileSync(props.aslFile, 'utf8');

    const placeholders = aslPlaceholders(asl);
    const keys = Object.keys(workflow.tasks).sort();
    const unbound = placeholders.filter((key) => !keys.includes(key));
    const unused = keys.filter((key) => !placeholders.includes(key));
    if (unbound.length > 0 || unused.length > 0) {
      throw new Error(
        `Workflow ${workflow.name} (${workflow.file}): placeholders without a task: [${unbound.join(', ')}], ` +
          `tasks not in the ASL: [${unused.join(', ')}]`,
      );
    }

    const taskFunctions = Object.entries(workflow.tasks).map(
      ([key, handler]) => [key, props.functionOf(handler)] as const,
    );

    this.logGroup = new LogGroup(this, 'Logs', {
      // Step Functions needs the /aws/vendedlogs/ prefix to avoid the resource-policy size limit.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-${workflow.name}`,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: workflow.name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(asl),
      definitionSubstitutions: Object.fromEntries(taskFunctions.map(([key, fn]) => [key, fn.functionArn])),
      logs: { destination: this.logGroup, level: LogLevel.ERROR, includeExecutionData: true },
      tracingEnabled: true,
    });

    const functionArns = [...new Set(taskFunctions.map(([, fn]) => fn.functionArn))];
    if (functionArns.length > 0) {
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({ sid: 'InvokeTasks', actions: ['lambda:InvokeFunction'], resources: functionArns }),
      );
    }

    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Step Functions log delivery (logs:CreateLogDelivery, PutResourcePolicy, DescribeLogGroups ...) and X-Ray ' +
          '(xray:PutTraceSegments, GetSamplingRules ...) support no resource-level permissions; CDK grants them on *.',
      },
      {
        id: 'AwsSolutions-SF1',
        reason:
          'Logs ERROR level with execution data on purpose: ALL would copy every invoice and customer payload into ' +
          'CloudWatch on every transition; the execution history (90 days) shows successful runs.',
      },
    );
  }
}
