import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stateMachineArnVariable } from '../../../infra/permissions.ts';

/**
 * Starting the deliver-invoices workflow for one invoice right after Send, a credit note or a resend: its Task (the
 * outbox function, which carries the document libraries) archives the invoice's documents and sends its queued
 * e-mails, where nobody waits. Client at module scope; ARN from the environment.
 */
const stepFunctions = new SFNClient({ maxAttempts: 3 });

export async function startDelivery(invoiceId: string): Promise<void> {
  const variable = stateMachineArnVariable('deliver-invoices');
  const arn = process.env[variable];
  if (!arn) throw new Error(`${variable} is not set`);
  await stepFunctions.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ invoiceId }) }));
}
