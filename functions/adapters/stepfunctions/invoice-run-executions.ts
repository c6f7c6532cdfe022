import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stateMachineArnVariable } from '../../../infra/permissions.ts';
import type { ExecutionOutcome, RunExecutions } from '../../invoice-runs/ports.ts';

/** Starting the invoice-run workflow (operators' restarts). Client at module scope; ARN from the environment. */
const stepFunctions = new SFNClient({ maxAttempts: 3 });

function invoiceRunArn(): string {
  const arn = process.env[stateMachineArnVariable('invoice-run')];
  if (!arn) throw new Error(`${stateMachineArnVariable('invoice-run')} is not set`);
  return arn;
}

/**
 * Starts an execution with a name: Step Functions treats a second start with the same name and input as the same
 * execution, so a double click or a retried request starts one restart, not two.
 */
export async function startInvoiceRunExecution(
  input: { runDate: string; projectIds?: readonly string[] },
  name: string,
): Promise<string> {
  try {
    const { executionArn } = await stepFunctions.send(
      new StartExecutionCommand({ stateMachineArn: invoiceRunArn(), name, input: JSON.stringify(input) }),
    );
    return executionArn ?? '';
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
      // The same restart ran before and has ended: its execution is the answer.
      return `${invoiceRunArn().replace(':stateMachine:', ':execution:')}:${name}`;
    }
    throw error;
  }
}

/** DescribeExecution; an execution Step Functions does not know (expired after 90 days, or never started) is MISSING. */
export async function describeExecution(executionArn: string): Promise<ExecutionOutcome> {
  try {
    const described = await stepFunctions.send(new DescribeExecutionCommand({ executionArn }));
    return {
      status: (described.status ?? 'RUNNING') as ExecutionOutcome['status'],
      error: described.error ?? null,
      cause: described.cause ?? null,
      stoppedAt: described.stopDate?.toISOString() ?? null,
    };
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist || (error instanceof Error && error.name === 'InvalidArn'))
      return { status: 'MISSING', error: null, cause: null, stoppedAt: null };
    throw error;
  }
}

/** The executions port of the run steps (restart, reconcile). */
export const stepFunctionsRunExecutions: RunExecutions = {
  start: startInvoiceRunExecution,
  describe: describeExecution,
};
