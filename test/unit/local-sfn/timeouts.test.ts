import { GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepFunctionsEndpoint } from '../../../local/stepfunctions/index.ts';
import { clientFor, startEndpoint, temporaryDataDir, waitForStatus } from './endpoint.ts';

describe('local Step Functions: timeouts', () => {
  let endpoint: StepFunctionsEndpoint;
  let removeDataDir: () => Promise<void>;

  beforeAll(async () => {
    const temporary = await temporaryDataDir();
    removeDataDir = temporary.remove;
    endpoint = await startEndpoint(temporary.dataDir, [
      {
        name: 'slow-task',
        definition: {
          StartAt: 'Slow',
          States: { Slow: { Type: 'Task', Resource: '${Slow}', TimeoutSeconds: 1, End: true } },
        },
        taskHandlers: { Slow: () => new Promise((resolve) => setTimeout(() => resolve('late'), 1500)) },
      },
      {
        name: 'slow-machine',
        definition: {
          StartAt: 'Sleep',
          TimeoutSeconds: 1,
          States: { Sleep: { Type: 'Wait', Seconds: 30, End: true } },
        },
        taskHandlers: {},
      },
    ]);
  });

  afterAll(async () => {
    await endpoint.close();
    await removeDataDir();
  });

  it('fails a Task over its TimeoutSeconds with States.Timeout, and times out a machine over its TimeoutSeconds', async () => {
    const client = clientFor(endpoint);
    const [task, machine] = await Promise.all(
      ['slow-task', 'slow-machine'].map((name) =>
        client.send(new StartExecutionCommand({ stateMachineArn: endpoint.stateMachineArn(name) })),
      ),
    );
    const [taskDescribed, machineDescribed] = await Promise.all(
      [task, machine].map((started) => waitForStatus(client, started?.executionArn as string)),
    );
    expect(taskDescribed).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(machineDescribed).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });

    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn: task?.executionArn }));
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionTimedOut',
      'ExecutionFailed',
    ]);
    const machineHistory = await client.send(new GetExecutionHistoryCommand({ executionArn: machine?.executionArn }));
    expect(machineHistory.events?.at(-1)?.type).toBe('ExecutionTimedOut');
  });
});
