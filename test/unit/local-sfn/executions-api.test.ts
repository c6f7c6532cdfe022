import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepFunctionsEndpoint } from '../../../local/stepfunctions/index.ts';
import { clientFor, startEndpoint, temporaryDataDir, waitForStatus, waitThenEcho } from './endpoint.ts';

/** Thrown SDK error's name (the service's __type), or 'no error'. */
async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('local Step Functions: executions API through @aws-sdk/client-sfn', () => {
  let endpoint: StepFunctionsEndpoint;
  let client: SFNClient;
  let stateMachineArn: string;
  let removeDataDir: () => Promise<void>;

  beforeAll(async () => {
    const temporary = await temporaryDataDir();
    removeDataDir = temporary.remove;
    endpoint = await startEndpoint(temporary.dataDir, [await waitThenEcho()]);
    client = clientFor(endpoint);
    stateMachineArn = endpoint.stateMachineArn('wait-then-echo');
  });

  afterAll(async () => {
    await endpoint.close();
    await removeDataDir();
  });

  const start = (name: string | undefined, input: object) =>
    client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));

  it('runs a Map of Tasks and reports its iterations in the history', async () => {
    const { executionArn } = await start('map-run', { seconds: 0, items: ['a', 'b'] });
    const described = await waitForStatus(client, executionArn as string);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({
      seconds: 0,
      items: ['a', 'b'],
      echoed: [{ echo: 'a' }, { echo: 'b' }],
    });
    expect(described.startDate).toBeInstanceOf(Date);
    expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(described.startDate?.getTime() ?? Infinity);
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = events.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'MapStateEntered',
        'MapStateStarted',
        'MapIterationStarted',
        'MapIterationSucceeded',
        'MapStateSucceeded',
        'MapStateExited',
      ]),
    );
    expect(types.filter((type) => type === 'LambdaFunctionSucceeded')).toHaveLength(2);
    const iterations = events
      .filter((event) => event.type === 'MapIterationStarted')
      .map((event) => event.mapIterationStartedEventDetails);
    expect(iterations).toEqual(
      expect.arrayContaining([
        { name: 'Items', index: 0 },
        { name: 'Items', index: 1 },
      ]),
    );
  });

  it('is idempotent for the same name and input while running; another input is ExecutionAlreadyExists', async () => {
    const first = await start('same-name', { seconds: 30, items: [] });
    const again = await start('same-name', { seconds: 30, items: [] });
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    expect(await errorName(start('same-name', { seconds: 31, items: [] }))).toBe('ExecutionAlreadyExists');

    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    // Ended: the name stays taken (standard workflows keep names unique for 90 days), even with the same input.
    expect(await errorName(start('same-name', { seconds: 30, items: [] }))).toBe('ExecutionAlreadyExists');
  });

  it('stops a waiting execution: ABORTED with the given error and cause', async () => {
    const { executionArn } = await start('to-stop', { seconds: 3600, items: [] });
    await waitForStatus(client, executionArn as string, () => true); // described at least once while running
    const { stopDate } = await client.send(
      new StopExecutionCommand({ executionArn, error: 'Operator.Stop', cause: 'no longer needed' }),
    );
    expect(stopDate).toBeInstanceOf(Date);
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Operator.Stop', cause: 'no longer needed' });
    expect(described.stopDate?.getTime()).toBe(stopDate?.getTime());
    const { events = [] } = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }),
    );
    expect(events[0]).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Operator.Stop', cause: 'no longer needed' },
    });
  });

  it('lists executions newest first, filtered by status, page by page', async () => {
    const names = ['list-1', 'list-2', 'list-3'];
    for (const name of names) {
      const { executionArn } = await start(name, { seconds: 0, items: [] });
      await waitForStatus(client, executionArn as string);
    }
    const succeeded: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED', maxResults: 1, nextToken }),
      );
      expect(page.executions?.length).toBeLessThanOrEqual(1);
      for (const execution of page.executions ?? []) {
        expect(execution.status).toBe('SUCCEEDED');
        expect(execution.stateMachineArn).toBe(stateMachineArn);
        succeeded.push(execution.name as string);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    expect(succeeded.slice(0, 3)).toEqual(['list-3', 'list-2', 'list-1']);
    expect(succeeded).toContain('map-run');
    expect(succeeded).not.toContain('to-stop');

    const aborted = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    expect(aborted.executions?.map((execution) => execution.name).sort()).toEqual(['same-name', 'to-stop']);
    expect(aborted.nextToken).toBeUndefined();
    // PENDING_REDRIVE is a filter AWS accepts (no execution here is ever in it); an unknown one is refused.
    const pending = await client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'PENDING_REDRIVE' as 'RUNNING' }),
    );
    expect(pending.executions).toEqual([]);
    expect(
      await errorName(client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'PAUSED' as 'RUNNING' }))),
    ).toBe('ValidationException');
    expect(await errorName(client.send(new ListExecutionsCommand({ stateMachineArn, nextToken: 'bogus' })))).toBe(
      'InvalidToken',
    );
  });

  it('answers unknown or malformed names and ARNs with the errors AWS uses', async () => {
    const missing = 'arn:aws:states:eu-west-1:000000000000:execution:wait-then-echo:never-started';
    expect(await errorName(client.send(new DescribeExecutionCommand({ executionArn: missing })))).toBe(
      'ExecutionDoesNotExist',
    );
    expect(await errorName(client.send(new GetExecutionHistoryCommand({ executionArn: missing })))).toBe(
      'ExecutionDoesNotExist',
    );
    expect(await errorName(client.send(new StopExecutionCommand({ executionArn: missing })))).toBe(
      'ExecutionDoesNotExist',
    );
    expect(await errorName(client.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })))).toBe(
      'InvalidArn',
    );
    const otherMachine = endpoint.stateMachineArn('no-such-machine');
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn: otherMachine })))).toBe(
      'StateMachineDoesNotExist',
    );
    expect(await errorName(client.send(new ListExecutionsCommand({ stateMachineArn: otherMachine })))).toBe(
      'StateMachineDoesNotExist',
    );
    expect(await errorName(start('has space', {}))).toBe('InvalidName');
    expect(await errorName(start('a'.repeat(81), {}))).toBe('InvalidName');
    expect(await errorName(start('colon:name', {}))).toBe('InvalidName');
    expect(await errorName(client.send(new StartExecutionCommand({ stateMachineArn, input: '{not json' })))).toBe(
      'InvalidExecutionInput',
    );
  });

  it('generates a name when none is given', async () => {
    const { executionArn } = await start(undefined, { seconds: 0, items: [] });
    expect(executionArn).toMatch(/^arn:aws:states:eu-west-1:000000000000:execution:wait-then-echo:[0-9a-f-]{36}$/);
  });

  it('describes and lists state machines', async () => {
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described).toMatchObject({ name: 'wait-then-echo', status: 'ACTIVE', type: 'STANDARD' });
    expect(described.definition).toContain('arn:aws:lambda:eu-west-1:000000000000:function:EchoFunction');
    const listed = await client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((machine) => machine.stateMachineArn)).toEqual([stateMachineArn]);
  });

  it('answers operations it does not know with UnknownOperationException', async () => {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.CreateActivity' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
