import { inject } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';

/** SDK clients pointed at the test's local cloud, as a tool on AWS would point them at the region. */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'eu-west-1';

export const cloud = inject('localCloud');
export const dynamodb = new DynamoDBClient({ endpoint: cloud.dynamodb, region, credentials });
export const documents = DynamoDBDocumentClient.from(dynamodb);
export const ses = new SESClient({ endpoint: cloud.ses, region, credentials });
export const sfn = new SFNClient({ endpoint: cloud.stepfunctions, region, credentials });

export async function inbox(): Promise<InboxEmail[]> {
  const response = await fetch(`${cloud.ses}/store`);
  const store = (await response.json()) as { emails: InboxEmail[] };
  return store.emails;
}

export interface InboxEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { to: string[]; cc: string[]; bcc: string[] };
  readonly subject: string;
  readonly body: { text?: string; html?: string };
  readonly attachments: { filename: string; contentType: string; content: string }[];
  readonly at: number;
}
