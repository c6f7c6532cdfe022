import { GetExecutionHistoryCommand, type HistoryEvent, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepFunctionsEndpoint } from '../../../local/stepfunctions/index.ts';
import { clientFor, fixtureDefinition, startEndpoint, temporaryDataDir, waitForStatus } from './endpoint.ts';

/** Answers after a delay that differs per project, so that concurrent iterations finish out of order. */
async function slowEcho(event: unknown): Promise<unknown> {
  const project = String((event as { project?: string }).project ?? '');
  await new Promise((resolve) => setTimeout(resolve, 20 + ((project.charCodeAt(project.length - 1) * 7) % 50)));
  return { invoiced: project };
}

describe('local Step Functions: the history of concurrent iterations of a nested Map', () => {
  let endpoint: StepFunctionsEndpoint;
  let removeDataDir: () => Promise<void>;

  beforeAll(async () => {
    const temporary = await temporaryDataDir();
    removeDataDir = temporary.remove;
    endpoint = await startEndpoint(temporary.dataDir, [
      {
        name: 'nested-map',
        definition: await fixtureDefinition('nested-map.asl.json'),
        taskHandlers: { SlowEcho: slowEcho },
      },
    ]);
  });

  afterAll(async () => {
    await endpoint.close();
    await removeDataDir();
  });

  it('records every Lambda invocation with its own input and output, as AWS does', async () => {
    const client = clientFor(endpoint);
    const projects = ['p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-6', 'p-7'].map((project) => ({ project }));
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: endpoint.stateMachineArn('nested-map'),
        input: JSON.stringify({ dates: [{ projects }] }),
      }),
    );
    expect((await waitForStatus(client, executionArn as string)).status).toBe('SUCCEEDED');
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const count = (type: string) => events.filter((event) => event.type === type).length;
    expect(count('TaskStateEntered')).toBe(7);
    expect(count('LambdaFunctionScheduled')).toBe(7);
    expect(count('LambdaFunctionSucceeded')).toBe(7);
    expect(count('TaskStateExited')).toBe(7);
    const inputs = events
      .filter((event) => event.type === 'LambdaFunctionScheduled')
      .map((event) => JSON.parse(event.lambdaFunctionScheduledEventDetails?.input ?? '{}').project);
    const outputs = events
      .filter((event) => event.type === 'LambdaFunctionSucceeded')
      .map((event) => JSON.parse(event.lambdaFunctionSucceededEventDetails?.output ?? '{}').invoiced);
    expect(inputs.sort()).toEqual(projects.map(({ project }) => project));
    expect(outputs.sort()).toEqual(projects.map(({ project }) => project));
  });
});
