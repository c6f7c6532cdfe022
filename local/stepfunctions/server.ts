import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowDefinition } from '../../infra/definitions/workflows.ts';
import { type ArnScope, stateMachineArn } from './arns.ts';
import { ExecutionService } from './executions.ts';
import { createOperations, type Operation } from './operations.ts';
import { readJsonBody, SfnError, sendError, sendResult, TARGET_PREFIX } from './protocol.ts';
import { type LocalStateMachineSpec, loadStateMachines } from './registry.ts';
import { ExecutionStore } from './store.ts';

export interface StepFunctionsEndpointOptions {
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (the endpoint reports it). */
  readonly port: number;
  /** Executions are kept under `<dataDir>/executions/`. */
  readonly dataDir: string;
  /** Default eu-west-1. */
  readonly region?: string;
  /** Default 000000000000. */
  readonly accountId?: string;
  /** The project's workflows (infra/definitions/workflows.ts); ASL paths are relative to the repository root. */
  readonly workflows: readonly WorkflowDefinition[];
  /** More state machines, e.g. test fixtures with inline handlers. */
  readonly extraStateMachines?: readonly LocalStateMachineSpec[];
  /** TimeoutSeconds for Task states that set none (unset: aws-local-stepfunctions' 60 s). */
  readonly taskTimeoutSeconds?: number;
}

export interface StepFunctionsEndpoint {
  /** e.g. http://127.0.0.1:43121 — give it to SFNClient as `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** The ARN of a state machine served here. */
  stateMachineArn(name: string): string;
  /**
   * Stops the server. Executions still running are aborted in memory but stay RUNNING on disk; the next endpoint
   * on the same dataDir marks them FAILED (LocalCloud.Restarted), as it would after a crash.
   */
  close(): Promise<void>;
}

/**
 * A local AWS Step Functions endpoint (AWS JSON 1.0, as @aws-sdk/client-sfn speaks it) running the project's ASL
 * with aws-local-stepfunctions and the Lambda handlers in-process. Start-up fails on an ASL it cannot bind.
 */
export async function startStepFunctionsEndpoint(
  options: StepFunctionsEndpointOptions,
): Promise<StepFunctionsEndpoint> {
  const scope: ArnScope = { region: options.region ?? 'eu-west-1', accountId: options.accountId ?? '000000000000' };
  const machines = await loadStateMachines(options.workflows, options.extraStateMachines ?? [], {
    ...scope,
    ...(options.taskTimeoutSeconds === undefined ? {} : { taskTimeoutSeconds: options.taskTimeoutSeconds }),
  });
  const executions = await ExecutionService.open(new ExecutionStore(options.dataDir), scope);
  const operations = createOperations(executions, machines, scope);

  const server = createServer((request, response) => {
    void handle(operations, request, response);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    region: scope.region,
    accountId: scope.accountId,
    stateMachineArn: (name) => stateMachineArn(scope, name),
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await executions.close();
        await closed;
      })();
      return closing;
    },
  };
}

async function handle(
  operations: Record<string, Operation>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    if (request.method !== 'POST') {
      throw new SfnError('UnknownOperationException', `Only POST is supported (got ${request.method ?? '?'})`, 404);
    }
    const target = request.headers['x-amz-target'];
    const operationName =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    const operation =
      operationName === undefined || !Object.hasOwn(operations, operationName) ? undefined : operations[operationName];
    const body = await readJsonBody(request);
    if (!operation) {
      throw new SfnError(
        'UnknownOperationException',
        `Unknown operation ${JSON.stringify(target ?? null)}; supported: ${Object.keys(operations).join(', ')}`,
      );
    }
    sendResult(response, await operation(body));
  } catch (error) {
    if (error instanceof SfnError) {
      sendError(response, error);
      return;
    }
    console.error('local Step Functions: internal error:', error);
    sendError(response, new SfnError('InternalFailure', error instanceof Error ? error.message : String(error), 500));
  }
}
