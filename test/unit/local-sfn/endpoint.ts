import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, SFNClient } from '@aws-sdk/client-sfn';
import {
  type LocalStateMachineSpec,
  startStepFunctionsEndpoint,
  type StepFunctionsEndpoint,
} from '../../../local/stepfunctions/index.ts';
import { handler as echo } from '../../fixtures/handlers/echo.ts';

/** Test helpers: an endpoint on port 0 with a temporary data directory, and an SFNClient pointed at it. */
const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');

export async function fixtureDefinition(file: string): Promise<object> {
  return JSON.parse(await readFile(path.join(fixtures, 'workflows', file), 'utf8')) as object;
}

export async function waitThenEcho(): Promise<LocalStateMachineSpec> {
  return {
    name: 'wait-then-echo',
    definition: await fixtureDefinition('wait-then-echo.asl.json'),
    taskHandlers: { EchoFunction: echo },
  };
}

export async function temporaryDataDir(): Promise<{ dataDir: string; remove: () => Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'local-sfn-'));
  return { dataDir, remove: () => rm(dataDir, { recursive: true, force: true }) };
}

export async function startEndpoint(
  dataDir: string,
  extraStateMachines: LocalStateMachineSpec[],
): Promise<StepFunctionsEndpoint> {
  return startStepFunctionsEndpoint({ port: 0, dataDir, workflows: [], extraStateMachines });
}

export function clientFor(endpoint: StepFunctionsEndpoint): SFNClient {
  return new SFNClient({
    endpoint: endpoint.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export async function waitForStatus(
  client: SFNClient,
  executionArn: string,
  done: (status: string | undefined) => boolean = (status) => status !== 'RUNNING',
  timeoutMillis = 10_000,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (done(described.status)) return described;
    if (Date.now() > deadline)
      throw new Error(`${executionArn} is still ${described.status} after ${timeoutMillis} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
