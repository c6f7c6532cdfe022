import { Annotations, ArnFormat, Stack } from 'aws-cdk-lib';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { MailSendingTarget } from './handler-functions.ts';

export interface MailSendingProps {
  readonly senderEmail: string;
  readonly configurationSetName: string;
  /** True when the sender is the placeholder default: synth warns, the identity can never be verified. */
  readonly senderIsPlaceholder: boolean;
}

/**
 * SES for sending invoices: an email identity for the sender address (SES mails a verification link on deploy)
 * and a configuration set that requires TLS and suppresses bounces and complaints. Handlers that declare
 * `ses:send` may send only from this identity through this configuration set.
 */
export class MailSending extends Construct implements MailSendingTarget {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly senderEmail: string;
  readonly identityArn: string;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: MailSendingProps) {
    super(scope, id);
    if (props.senderIsPlaceholder) {
      Annotations.of(this).addWarningV2(
        'factuur:placeholderSender',
        `No senderEmail in the CDK context: using ${props.senderEmail}. Deploy with -c senderEmail=... to send invoices.`,
      );
    }
    this.senderEmail = props.senderEmail;
    this.configurationSetName = props.configurationSetName;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.identity = new EmailIdentity(this, 'SenderIdentity', {
      identity: Identity.email(props.senderEmail),
      configurationSet: this.configurationSet,
    });
    // Literal ARNs (not the resources' attributes) so that grants need no dependency on the SES resources.
    const stack = Stack.of(this);
    this.identityArn = stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: props.senderEmail,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: props.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
