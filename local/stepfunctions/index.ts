/**
 * Local AWS Step Functions endpoint for the local cloud:
 *
 *   const sfn = await startStepFunctionsEndpoint({ port: 0, dataDir: '.local/stepfunctions', workflows });
 *   const client = new SFNClient({ endpoint: sfn.url, region: sfn.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
 *   ...
 *   await sfn.close();
 *
 * Modules: protocol.ts (AWS JSON 1.0, errors, paging tokens), arns.ts (ARNs and name rules), registry.ts (ASL loading
 * and `${Key}` -> handler binding), tasks.ts (a Task's Lambda invocation), executions.ts (running, stopping,
 * restart recovery), history.ts (GetExecutionHistory events), store.ts (JSON files on disk), operations.ts (the API
 * operations), server.ts (node:http).
 */
export { startStepFunctionsEndpoint, type StepFunctionsEndpoint, type StepFunctionsEndpointOptions } from './server.ts';
export type { LocalStateMachineSpec } from './registry.ts';
export type { LocalTaskHandler, TaskHandlerRef } from './tasks.ts';
export { RESTARTED_CAUSE, RESTARTED_ERROR } from './executions.ts';
