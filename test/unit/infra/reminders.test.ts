import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { productionStack, resourceId } from './synth.ts';

vi.setConfig({ testTimeout: 120_000 });

/** The reminder run in the stack: its state machine, its daily schedule, the OPENDUE index and SES for its sender. */
describe('reminders in the stack', () => {
  const { template } = productionStack();

  it('has the reminder-run state machine with each task bound to its function', () => {
    const id = resourceId(template, 'AWS::StepFunctions::StateMachine', 'WorkflowReminderRun');
    const machine = template.toJSON().Resources[id];
    expect(machine.Properties.StateMachineName).toBe('reminder-run');
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual([
      'FindOverdueInvoicesFunctionArn',
      'PlanReminderRunFunctionArn',
      'RecordReminderFailureFunctionArn',
      'SendReminderFunctionArn',
      'TallyRemindersFunctionArn',
    ]);
    const send = resourceId(template, 'AWS::Lambda::Function', 'HandlersWorkflowSendReminderFunction');
    expect(substitutions.SendReminderFunctionArn).toEqual({ 'Fn::GetAtt': [send, 'Arn'] });
  });

  it('starts it daily at 06:00 in the firm time zone with the scheduled time', () => {
    const id = resourceId(template, 'AWS::StepFunctions::StateMachine', 'WorkflowReminderRun');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Amsterdam',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({
        Arn: { Ref: id },
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
      }),
    });
  });

  it('has the OPENDUE index (gsi4) on the table', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'gsi4',
          KeySchema: [
            { AttributeName: 'gsi4pk', KeyType: 'HASH' },
            { AttributeName: 'gsi4sk', KeyType: 'RANGE' },
          ],
        }),
      ]),
    });
  });

  it('lets the send-reminder task e-mail through SES, with the fonts for the invoice PDF', () => {
    const id = resourceId(template, 'AWS::Lambda::Function', 'HandlersWorkflowSendReminderFunction');
    const variables = template.toJSON().Resources[id].Properties.Environment.Variables;
    expect(variables.FACTUUR_FONT_DIR).toBe('/var/task/fonts');
    expect(variables.SENDER_EMAIL).toBeDefined();
  });
});
