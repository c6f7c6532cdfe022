import { dynamoRunRecords } from '../../adapters/dynamodb/runs-store.ts';
import { stepFunctionsRunExecutions } from '../../adapters/stepfunctions/invoice-run-executions.ts';
import type { ReconcilePorts } from '../../invoice-runs/reconcile-runs.ts';

/**
 * The run records and the invoice-run executions, bound once for what checks runs against their executions and
 * restarts them: the reconcile-runs workflow's task and /runs (and the operators' CLI, local/invoice-run.ts). The
 * other run steps bind only the adapters they need in their own handler, so no workflow function carries a client
 * it never calls.
 */
export const runOperations: ReconcilePorts = { runs: dynamoRunRecords, executions: stepFunctionsRunExecutions };
