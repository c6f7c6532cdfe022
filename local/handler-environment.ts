import { documentArchiveDesign } from '../infra/definitions/archive.ts';
import { defaultFirmSettings } from '../infra/definitions/firm.ts';
import { workflows } from '../infra/definitions/workflows.ts';
import { stateMachineArnVariable } from '../infra/permissions.ts';

/** What a handler running in the local cloud sees: the environment a deployed Lambda has, pointed at local services. */
export const localRegion = 'eu-west-1';
export const localAccountId = '000000000000';

export function stateMachineArn(name: string): string {
  return `arn:aws:states:${localRegion}:${localAccountId}:stateMachine:${name}`;
}

/** The environment a deployed Lambda would have, pointing the SDK at the local services. */
export function handlerEnvironment(
  urls: { readonly dynamodb: string; readonly ses: string; readonly stepfunctions: string; readonly s3?: string },
  tableName: string,
): Record<string, string> {
  return {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_SES: urls.ses,
    AWS_ENDPOINT_URL_SFN: urls.stepfunctions,
    ...(urls.s3 ? { AWS_ENDPOINT_URL_S3: urls.s3 } : {}),
    TABLE_NAME: tableName,
    DOCUMENT_BUCKET: documentArchiveDesign.localBucketName,
    SENDER_EMAIL: 'facturen@polderadvies.example',
    FIRM_TIME_ZONE: defaultFirmSettings.timeZone,
    POWERTOOLS_SERVICE_NAME: 'factuur',
    POWERTOOLS_METRICS_NAMESPACE: 'factuur',
    // Metrics go to CloudWatch through the log on AWS; locally nobody reads them. Logs: errors.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    ...Object.fromEntries(
      workflows.map((workflow) => [stateMachineArnVariable(workflow.name), stateMachineArn(workflow.name)]),
    ),
  };
}
