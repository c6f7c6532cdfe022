import { GetExecutionHistoryCommand, type HistoryEvent, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepFunctionsEndpoint } from '../../../local/stepfunctions/index.ts';
import { createFlakyHandler } from '../../fixtures/handlers/flaky.ts';
import { handler as reject } from '../../fixtures/handlers/reject.ts';
import { clientFor, fixtureDefinition, startEndpoint, temporaryDataDir, waitForStatus } from './endpoint.ts';

describe('local Step Functions: Retry and Catch (fixture retry-catch.asl.json)', () => {
  const flaky = createFlakyHandler(2);
  let endpoint: StepFunctionsEndpoint;
  let removeDataDir: () => Promise<void>;

  beforeAll(async () => {
    const temporary = await temporaryDataDir();
    removeDataDir = temporary.remove;
    endpoint = await startEndpoint(temporary.dataDir, [
      {
        name: 'retry-catch',
        definition: await fixtureDefinition('retry-catch.asl.json'),
        taskHandlers: { FlakyFunction: flaky.handler, RejectFunction: reject },
        retryIntervalOverrides: { FlakyStep: 10 },
      },
    ]);
  });

  afterAll(async () => {
    await endpoint.close();
    await removeDataDir();
  });

  it('retries TransientError until the Task succeeds, then routes BusinessError through Catch', async () => {
    const client = clientFor(endpoint);
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: endpoint.stateMachineArn('retry-catch'),
        name: 'invoice-42',
        input: JSON.stringify({ customer: 'ACME' }),
      }),
    );
    expect(executionArn).toBe('arn:aws:states:eu-west-1:000000000000:execution:retry-catch:invoice-42');

    const described = await waitForStatus(client, executionArn as string);
    expect(described.status).toBe('SUCCEEDED');
    expect(flaky.calls()).toBe(3);
    const output = JSON.parse(described.output ?? 'null') as {
      handled: boolean;
      error: string;
      cause: string;
      flaky: unknown;
    };
    expect(output).toMatchObject({ handled: true, error: 'BusinessError', flaky: { attempts: 3 } });
    // As on AWS, a Lambda error's Cause is the function's error payload as JSON text.
    expect(JSON.parse(output.cause)).toMatchObject({
      errorType: 'BusinessError',
      errorMessage: 'customer ACME is blocked',
    });

    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(events.map((event) => event.id)).toEqual(events.map((_event, index) => index + 1));
    expect(events.every((event) => event.timestamp instanceof Date)).toBe(true);

    // FlakyStep: scheduled three times, failed twice with TransientError, then succeeded.
    expect(types.filter((type) => type === 'LambdaFunctionScheduled')).toHaveLength(3);
    const lambdaFailures = events.filter((event) => event.type === 'LambdaFunctionFailed');
    expect(lambdaFailures.map((event) => event.lambdaFunctionFailedEventDetails?.error)).toEqual([
      'TransientError',
      'TransientError',
    ]);
    expect(types.filter((type) => type === 'LambdaFunctionSucceeded')).toHaveLength(1);
    const scheduled = events.find((event) => event.type === 'LambdaFunctionScheduled');
    expect(scheduled?.lambdaFunctionScheduledEventDetails?.resource).toBe(
      'arn:aws:lambda:eu-west-1:000000000000:function:FlakyFunction',
    );

    // RejectStep (lambda:invoke): TaskFailed with BusinessError, caught, then HandleRejection ran.
    const taskFailed = events.find((event) => event.type === 'TaskFailed');
    expect(taskFailed?.taskFailedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'BusinessError',
    });
    const entered = (event: HistoryEvent) => event.stateEnteredEventDetails?.name;
    expect(events.filter((event) => event.type?.endsWith('StateEntered')).map(entered)).toEqual([
      'FlakyStep',
      'RejectStep',
      'HandleRejection',
      'Done',
    ]);
    const rejectScheduled = events.find((event) => event.type === 'TaskScheduled');
    expect(JSON.parse(rejectScheduled?.taskScheduledEventDetails?.parameters ?? '{}')).toMatchObject({
      FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:RejectFunction',
      Payload: { customer: 'ACME' },
    });
  });

  it('pages the history and returns it newest first on request', async () => {
    const client = clientFor(endpoint);
    const executionArn = 'arn:aws:states:eu-west-1:000000000000:execution:retry-catch:invoice-42';
    const all = (await client.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    const first = await client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 5, reverseOrder: true }),
    );
    expect(first.events?.map((event) => event.id)).toEqual(
      all
        .slice(-5)
        .reverse()
        .map((event) => event.id),
    );
    const second = await client.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 5, reverseOrder: true, nextToken: first.nextToken }),
    );
    expect(second.events?.map((event) => event.id)).toEqual(
      all
        .slice(-10, -5)
        .reverse()
        .map((event) => event.id),
    );
  });
});
