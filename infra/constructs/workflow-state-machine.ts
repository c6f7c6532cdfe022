import { readFileSync } from 'node:fs';
import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
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

/** True when a Map of the ASL runs in DISTRIBUTED mode (its iterations are child executions). */
export function usesDistributedMap(asl: string): boolean {
  return /"Mode"\s*:\s*"DISTRIBUTED"/.test(asl);
}

/** `${Key}` placeholders in an ASL text (the keys only). */
export function aslPlaceholders(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1] as string))].sort();
}

/**
 * One Standard state machine from a workflow definition: the ASL file inlined (DefinitionBody.fromString) with a
 * DefinitionSubstitution per task placeholder -> that handler's function ARN; named after the workflow (its ARN
 * ends in the workflow name, as the local cloud's); logs errors with execution data; X-Ray tracing on.
 * Its role may invoke exactly the task functions (unqualified ARNs, as substituted); a workflow with a Distributed
 * Map may also start, describe and stop its own child executions (and nothing else).
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

    if (usesDistributedMap(asl)) {
      // ARNs from the name, not from the state machine's Ref: its role policy must not depend on the machine itself.
      const stack = Stack.of(this);
      const self = stack.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: workflow.name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      const executions = stack.formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${workflow.name}/*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({ sid: 'StartChildExecutions', actions: ['states:StartExecution'], resources: [self] }),
      );
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({
          sid: 'WatchChildExecutions',
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [executions],
        }),
      );
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${workflow.name}/*]`,
        reason:
          'A Distributed Map runs its iterations as child executions of this state machine whose names Step Functions ' +
          'chooses: the role describes and stops only executions of this state machine.',
      });
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
