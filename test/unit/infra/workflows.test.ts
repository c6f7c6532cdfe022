import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { workflows } from '../../../infra/definitions/workflows.ts';
import { schedules } from '../../../infra/definitions/schedules.ts';
import { defaultFirmSettings } from '../../../infra/definitions/firm.ts';
import { aslPlaceholders } from '../../../infra/constructs/workflow-state-machine.ts';
import { fixtureDefinitions, fixtureWorkflow } from '../../fixtures/definitions.ts';
import { fixtureStack, productionStack, resourceId, synth } from './synth.ts';

// Synthesizing a stack takes seconds on a shared 2-core machine (the first one in a file longer).
vi.setConfig({ testTimeout: 60_000 });

describe('state machines from workflow definitions', () => {
  const { template } = fixtureStack();

  it('one per workflow definition, in production and with fixtures', () => {
    productionStack().template.resourceCountIs('AWS::StepFunctions::StateMachine', workflows.length);
    for (const workflow of workflows)
      productionStack().template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: workflow.name,
      });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });

  it('inlines the ASL file and substitutes each task placeholder with its function ARN', () => {
    const asl = readFileSync(fixtureDefinitions.workflowFile(fixtureWorkflow.file), 'utf8');
    const substitutions = Object.fromEntries(
      Object.entries(fixtureWorkflow.tasks).map(([key, handler]) => {
        const prefix = `Handlers${handler
          .split(/[^A-Za-z0-9]+/)
          .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
          .join('')}Function`;
        return [key, { 'Fn::GetAtt': [resourceId(template, 'AWS::Lambda::Function', prefix), 'Arn'] }];
      }),
    );
    expect(Object.keys(substitutions).sort()).toEqual(aslPlaceholders(asl));
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: fixtureWorkflow.name,
      StateMachineType: 'STANDARD',
      DefinitionString: asl,
      DefinitionSubstitutions: substitutions,
    });
  });

  it('logs errors with execution data to its log group and traces with X-Ray', () => {
    const logGroup = resourceId(template, 'AWS::Logs::LogGroup', 'WorkflowFixtureRunLogs');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } } }],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('may invoke exactly its task functions', () => {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^WorkflowFixtureRunStateMachineRole') }] },
    });
    const statements = Object.values(policies).flatMap(
      (policy) =>
        (policy.Properties as { PolicyDocument: { Statement: { Sid?: string; Resource: unknown }[] } }).PolicyDocument
          .Statement,
    );
    const invoke = statements.find((statement) => statement.Sid === 'InvokeTasks');
    expect(invoke).toMatchObject({ Action: 'lambda:InvokeFunction', Effect: 'Allow' });
    expect(invoke?.Resource).toEqual(
      expect.arrayContaining([
        {
          'Fn::GetAtt': [resourceId(template, 'AWS::Lambda::Function', 'HandlersFixtureSelectProjectsFunction'), 'Arn'],
        },
        { 'Fn::GetAtt': [resourceId(template, 'AWS::Lambda::Function', 'HandlersFixtureSendInvoiceFunction'), 'Arn'] },
      ]),
    );
    expect(invoke?.Resource).toHaveLength(2);
  });

  it('lets the invoice run (a Distributed Map) start, describe and stop its own child executions, nothing more', () => {
    const production = productionStack().template;
    const policies = production.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^WorkflowInvoiceRunStateMachineRole') }] },
    });
    const statements = Object.values(policies).flatMap(
      (policy) =>
        (policy.Properties as { PolicyDocument: { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] } })
          .PolicyDocument.Statement,
    );
    const start = statements.find((statement) => statement.Sid === 'StartChildExecutions');
    expect(start?.Action).toBe('states:StartExecution');
    expect(JSON.stringify(start?.Resource)).toContain(':stateMachine:invoice-run');
    const watch = statements.find((statement) => statement.Sid === 'WatchChildExecutions');
    expect(watch?.Action).toEqual(['states:DescribeExecution', 'states:StopExecution']);
    expect(JSON.stringify(watch?.Resource)).toContain(':execution:invoice-run/*');
    // The fixture workflow has no Distributed Map: no such grant.
    const fixturePolicies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^WorkflowFixtureRunStateMachineRole') }] },
    });
    expect(JSON.stringify(fixturePolicies)).not.toContain('StartChildExecutions');
  });

  it('fails the synth when ASL placeholders and tasks do not match', () => {
    expect(() =>
      synth({
        definitions: {
          ...fixtureDefinitions,
          workflows: [{ ...fixtureWorkflow, tasks: { SelectProjects: 'fixture/select-projects' } }],
        },
      }),
    ).toThrow(/placeholders without a task: \[SendInvoice\]/);
  });
});

describe('schedules from schedule definitions', () => {
  const { template } = fixtureStack();

  it('one per schedule definition: the daily invoice run and the outbox sweep in production, the fixture with fixtures', () => {
    productionStack().template.resourceCountIs('AWS::Scheduler::Schedule', schedules(defaultFirmSettings).length);
    productionStack().template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 5 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Amsterdam',
      Target: Match.objectLike({ Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }) }),
    });
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
  });

  it('reconciles stale runs every 15 minutes: reconcile-runs, whose function may describe invoice-run executions', () => {
    const production = productionStack().template;
    const stateMachine = resourceId(production, 'AWS::StepFunctions::StateMachine', 'WorkflowReconcileRuns');
    production.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(7/15 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Amsterdam',
      Target: Match.objectLike({ Arn: { Ref: stateMachine } }),
    });
    const policies = production.findResources('AWS::IAM::Policy');
    const reconcile = Object.entries(policies).find(([id]) => id.startsWith('HandlersWorkflowReconcileRunsRole'));
    expect(reconcile, Object.keys(policies).join(', ')).toBeDefined();
    const statements = JSON.stringify(reconcile?.[1]);
    expect(statements).toContain('states:DescribeExecution');
    expect(statements).toContain(':execution:invoice-run:*');
    expect(statements).not.toContain('states:StartExecution');
  });

  it('fires the cron in the firm time zone without flexible window, starting the workflow with the input', () => {
    const stateMachine = resourceId(template, 'AWS::StepFunctions::StateMachine', 'WorkflowFixtureRun');
    const queue = resourceId(template, 'AWS::SQS::Queue', 'SchedulesDeadLetterQueue');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 5 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Amsterdam',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { Ref: stateMachine },
        Input: JSON.stringify({ trigger: 'schedule', runDate: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        RoleArn: Match.anyValue(),
      },
    });
  });

  it('follows the firm settings from the context', () => {
    synth({
      definitions: fixtureDefinitions,
      context: { timeZone: 'Europe/Brussels', dailyRunHour: '6' },
    }).template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Brussels',
    });
  });

  it('dead-letters into an encrypted, SSL-only queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('a schedule of an unknown workflow fails the synth', () => {
    expect(() =>
      synth({
        definitions: {
          ...fixtureDefinitions,
          schedules: (firm) => fixtureDefinitions.schedules(firm).map((s) => ({ ...s, workflow: 'nope' })),
        },
      }),
    ).toThrow(/does not define/);
  });
});
