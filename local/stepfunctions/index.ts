export { startStepFunctionsEndpoint, type StepFunctionsEndpoint, type StepFunctionsEndpointOptions } from './server.ts';
export type { LocalStateMachineSpec } from './registry.ts';
export type { LocalTaskHandler, TaskHandlerRef } from './tasks.ts';
export { RESTARTED_CAUSE, RESTARTED_ERROR } from './executions.ts';
