import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';

/**
 * Sending a raw MIME message through SES (v1 API, as the product owner named @aws-sdk/client-ses). The client is at
 * module scope; its endpoint is SES's in the region, or AWS_ENDPOINT_URL_SES in the local cloud. One attempt only:
 * an e-mail must not be sent twice, so retries are the outbox's decision, never the SDK's.
 */
const ses = new SESClient({ maxAttempts: 1 });

export async function sendRawEmail(raw: Buffer): Promise<string> {
  const configurationSet = process.env.SES_CONFIGURATION_SET;
  const { MessageId } = await ses.send(
    new SendRawEmailCommand({
      RawMessage: { Data: raw },
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
    }),
  );
  if (!MessageId) throw new Error('SES accepted the message without a message id');
  return MessageId;
}

/**
 * Did SES certainly not take the message? SES's own refusals (rejected, not verified, throttled, bad request)
 * are definite; a timeout or a broken connection after the request went out is not: SES may have sent it.
 */
export function definitelyNotSent(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500) return true;
  return [
    'MessageRejected',
    'MailFromDomainNotVerifiedException',
    'ConfigurationSetDoesNotExistException',
    'AccountSendingPausedException',
    'Throttling',
    'ThrottlingException',
  ].includes(error.name);
}
