import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { routes } from '../../../infra/definitions/routes.ts';
import { workflows } from '../../../infra/definitions/workflows.ts';
import { handlerPermissions, permissionsOf, stateMachineArnVariable } from '../../../infra/permissions.ts';
import { factuurDefinitions, handlerModules } from '../../../infra/stack-definitions.ts';
import { fixtureDefinitions } from '../../fixtures/definitions.ts';
import { fixtureStack, productionStack, resourceId } from './synth.ts';

// Synthesizing a stack takes seconds on a shared 2-core machine (the first one in a file longer).
vi.setConfig({ testTimeout: 60_000 });

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function policyOf(template: ReturnType<typeof fixtureStack>['template'], handlerPrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const id = Object.keys(policies).find((key) => key.startsWith(`Handlers${handlerPrefix}RoleDefaultPolicy`));
  if (!id) throw new Error(`no policy for ${handlerPrefix}`);
  return (policies[id]!.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
}

function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((statement) => statement.Action).sort();
}

describe('handler functions', () => {
  it('one function per handler module of routes and workflows', () => {
    const expected = [
      ...new Set([
        ...routes.map((route) => route.handler),
        ...workflows.flatMap((workflow) => Object.values(workflow.tasks)),
      ]),
    ].sort();
    expect(handlerModules(factuurDefinitions)).toEqual(expected);
    productionStack().template.resourceCountIs('AWS::Lambda::Function', expected.length);
    expect(handlerModules(fixtureDefinitions)).toEqual([
      'api/health',
      'fixture/list-invoices',
      'fixture/select-projects',
      'fixture/send-invoice',
      'fixture/start-run',
    ]);
    // + the BucketDeployment handler (fixture has a portal build)
    fixtureStack().template.resourceCountIs('AWS::Lambda::Function', 6);
  });

  it('run Node 24 on arm64 with the Powertools and table environment, logging to their own log group', () => {
    const { template } = fixtureStack();
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('^factuur handler ') },
    });
    expect(Object.keys(functions)).toHaveLength(5);
    for (const id of Object.keys(functions)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: functions[id]?.Properties.Description,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 1024,
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: { Ref: Match.stringLikeRegexp('^DataTable') },
            POWERTOOLS_SERVICE_NAME: 'factuur',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            POWERTOOLS_METRICS_NAMESPACE: 'factuur',
            NODE_OPTIONS: '--enable-source-maps',
          }),
        },
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('Logs') } },
      });
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('route handlers time out before the HTTP API (25 s), task handlers get 2 minutes', () => {
    const { template } = fixtureStack();
    const timeoutOf = (prefix: string) =>
      template.findResources('AWS::Lambda::Function')[resourceId(template, 'AWS::Lambda::Function', prefix)]?.Properties
        .Timeout;
    expect(timeoutOf('HandlersApiHealth')).toBe(25);
    expect(timeoutOf('HandlersFixtureSendInvoice')).toBe(120);
  });

  it('use their own role without AWS managed policies, writing only to their log group', () => {
    const { template } = productionStack();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
    const statements = policyOf(template, 'ApiHealth');
    expect(statements.find((s) => actionsOf([s]).includes('logs:PutLogEvents'))?.Resource).toEqual({
      'Fn::GetAtt': [resourceId(template, 'AWS::Logs::LogGroup', 'HandlersApiHealthLogs'), 'Arn'],
    });
  });
});

describe('per-handler permissions (infra/permissions.ts)', () => {
  const { template } = fixtureStack();

  it('api/health may only read the table (DescribeTable for the health check)', () => {
    expect(permissionsOf('api/health')).toEqual(['table:read']);
    const statements = policyOf(productionStack().template, 'ApiHealth');
    const actions = actionsOf(statements);
    expect(actions).toContain('dynamodb:DescribeTable');
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(actions.some((action) => action.startsWith('ses:') || action.startsWith('states:'))).toBe(false);
  });

  it('table:read names each GSI instead of index/*', () => {
    const read = policyOf(template, 'FixtureListInvoices').find((s) => s.Sid === 'TableRead');
    const resources = JSON.stringify(read?.Resource);
    expect(resources).toContain('/index/gsi1');
    expect(resources).toContain('/index/gsi2');
    expect(resources).not.toContain('/index/*');
  });

  it('an undeclared handler gets the default: table read + write, nothing else', () => {
    const actions = actionsOf(policyOf(template, 'FixtureSelectProjects'));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(actions.some((action) => action.startsWith('ses:') || action.startsWith('states:'))).toBe(false);
  });

  it('ses:send allows sending only from the sender identity through the configuration set', () => {
    const ses = policyOf(template, 'FixtureSendInvoice').find((s) => s.Sid === 'SesSend');
    expect(ses?.Action).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    const resources = JSON.stringify(ses?.Resource);
    expect(resources).toContain(':identity/invoices@example.com');
    expect(resources).toContain(':configuration-set/factuur');
    expect(ses?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'invoices@example.com' } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ SENDER_EMAIL: 'invoices@example.com', SES_CONFIGURATION_SET: 'factuur' }),
      },
    });
    // Other handlers cannot send.
    expect(actionsOf(policyOf(template, 'FixtureListInvoices')).some((a) => a.startsWith('ses:'))).toBe(false);
  });

  it('states:* permissions target only the named workflow and pass its ARN in the environment', () => {
    const statements = policyOf(template, 'FixtureStartRun');
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.StatesStartFixtureRun?.Action).toBe('states:StartExecution');
    expect(JSON.stringify(bySid.StatesStartFixtureRun?.Resource)).toContain(':stateMachine:fixture-run');
    expect(bySid.StatesDescribeFixtureRun?.Action).toBe('states:DescribeExecution');
    expect(JSON.stringify(bySid.StatesDescribeFixtureRun?.Resource)).toContain(':execution:fixture-run:*');
    expect(bySid.StatesListFixtureRun?.Action).toBe('states:ListExecutions');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [stateMachineArnVariable('fixture-run')]: Match.objectLike({
            'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':stateMachine:fixture-run$')])],
          }),
        }),
      },
    });
  });

  it('a permission naming an unknown workflow fails the synth', async () => {
    const { synth } = await import('./synth.ts');
    expect(() =>
      synth({
        definitions: {
          ...fixtureDefinitions,
          handlerPermissions: { ...fixtureDefinitions.handlerPermissions, 'api/health': ['states:start:nope'] },
        },
      }),
    ).toThrow(/names no workflow/);
  });

  it('every declared handler is used by a route or workflow (no stale entries)', () => {
    const used = new Set([...routes.map((route) => route.handler), ...handlerModules(factuurDefinitions)]);
    for (const handler of Object.keys(factuurDefinitions.handlerPermissions)) expect(used).toContain(handler);
  });

  it('gives the functions that send invoices the PDF fonts in their bundle', () => {
    const template = productionStack().template;
    const senders = Object.entries(handlerPermissions)
      .filter(([, permissions]) => permissions.includes('ses:send'))
      .map(([handler]) => handler);
    expect(senders).toEqual(expect.arrayContaining(['workflow/sweep-outbox', 'workflow/send-reminder']));
    // Send renders nothing (issue 15, point 4): no SES, no fonts in the function people wait for.
    expect(senders.filter((handler) => handler.startsWith('api/'))).toEqual([]);
    for (const handler of senders) {
      const prefix = `Handlers${handler
        .split(/[^A-Za-z0-9]+/)
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join('')}Function`;
      const id = resourceId(template, 'AWS::Lambda::Function', prefix);
      expect(template.toJSON().Resources[id].Properties.Environment.Variables.FACTUUR_FONT_DIR).toBe('/var/task/fonts');
    }
  });
});
