import { reconcileRunningRuns } from '../../invoice-runs/reconcile-runs.ts';
import { workflowTask } from '../../shared/workflow-task.ts';
import { runOperations } from '../wiring/invoice-runs.ts';

/** The ReconcileRuns task of the reconcile-runs workflow (scheduled): fails runs whose execution has ended. */
export const handler = workflowTask(() => reconcileRunningRuns(runOperations));
