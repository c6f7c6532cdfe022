import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTARTED_CAUSE, RESTARTED_ERROR, type StepFunctionsEndpoint } from '../../../local/stepfunctions/index.ts';
import { clientFor, startEndpoint, temporaryDataDir, waitForStatus, waitThenEcho } from './endpoint.ts';

describe('local Step Functions: executions survive a restart as records', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function open(dataDir: string): Promise<StepFunctionsEndpoint> {
    const endpoint = await startEndpoint(dataDir, [await waitThenEcho()]);
    cleanup.push(() => endpoint.close());
    return endpoint;
  }

  async function waitForHistory(client: SFNClient, executionArn: string, type: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
      if (events.some((event) => event.type === type)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no ${type} in the history of ${executionArn}`);
  }

  it('marks an execution that was running FAILED (LocalCloud.Restarted) and still describes finished ones', async () => {
    const { dataDir, remove } = await temporaryDataDir();
    cleanup.push(remove);

    const before = await open(dataDir);
    const client = clientFor(before);
    const stateMachineArn = before.stateMachineArn('wait-then-echo');
    const finished = await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: 'finished',
        input: JSON.stringify({ seconds: 0, items: [1] }),
      }),
    );
    const finishedBefore = await waitForStatus(client, finished.executionArn as string);
    expect(finishedBefore.status).toBe('SUCCEEDED');
    const waiting = await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: 'waiting',
        input: JSON.stringify({ seconds: 3600, items: [] }),
      }),
    );
    await waitForHistory(client, waiting.executionArn as string, 'WaitStateEntered');
    await before.close();

    // On disk: one JSON file per execution, no temporary files left behind.
    const files = await readdir(path.join(dataDir, 'executions', 'wait-then-echo'));
    expect(files.sort()).toEqual(['finished.json', 'waiting.json']);
    const onDisk = JSON.parse(
      await readFile(path.join(dataDir, 'executions', 'wait-then-echo', 'waiting.json'), 'utf8'),
    ) as {
      execution: { status: string };
    };
    expect(onDisk.execution.status).toBe('RUNNING');

    const after = await open(dataDir);
    const client2 = clientFor(after);
    const restarted = await client2.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }));
    expect(restarted).toMatchObject({ status: 'FAILED', error: RESTARTED_ERROR, cause: RESTARTED_CAUSE });
    expect(restarted.stopDate).toBeInstanceOf(Date);
    const { events = [] } = await client2.send(new GetExecutionHistoryCommand({ executionArn: waiting.executionArn }));
    expect(events.map((event) => event.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionFailed']);
    expect(events.at(-1)?.executionFailedEventDetails).toEqual({ error: RESTARTED_ERROR, cause: RESTARTED_CAUSE });

    const finishedAfter = await client2.send(new DescribeExecutionCommand({ executionArn: finished.executionArn }));
    expect(finishedAfter).toMatchObject({
      status: 'SUCCEEDED',
      output: finishedBefore.output,
      input: finishedBefore.input,
    });
    expect(finishedAfter.startDate?.getTime()).toBe(finishedBefore.startDate?.getTime());

    // Names stay taken across the restart.
    await expect(
      client2.send(
        new StartExecutionCommand({
          stateMachineArn,
          name: 'finished',
          input: JSON.stringify({ seconds: 0, items: [1] }),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    const listed = await client2.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(listed.executions?.map((execution) => [execution.name, execution.status])).toEqual([
      ['waiting', 'FAILED'],
      ['finished', 'SUCCEEDED'],
    ]);
  });
});
