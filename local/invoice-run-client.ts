import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';

/**
 * Starting the invoice-run workflow from this machine, the way the schedule does (StartExecution with the same
 * input shape), and waiting for it. Used by `npm start` (demo drafts), `npm run invoice-run` and the tests.
 */
export function stepFunctionsClient(endpoint: string): SFNClient {
  return new SFNClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function startInvoiceRun(
  client: SFNClient,
  stateMachineArn: string,
  input: { runDate: string; projectIds?: readonly string[] } | { scheduledTime: string } | { date: string },
  name?: string,
): Promise<string> {
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) }),
  );
  if (!executionArn) throw new Error('StartExecution returned no execution ARN');
  return executionArn;
}

export async function waitForExecution(
  client: SFNClient,
  executionArn: string,
  options: { timeoutMillis?: number; onPoll?: () => Promise<void> | void } = {},
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + (options.timeoutMillis ?? 10 * 60_000);
  for (;;) {
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    if (Date.now() > deadline) throw new Error(`${executionArn} is still running`);
    await options.onPoll?.();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
