import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stateMachineArnVariable } from '../../../infra/permissions.ts';

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
  input: { runDate: string; projectIds: readonly string[] },
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
