import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { fixtureStack, productionStack, resourceId, synth } from './synth.ts';

// Synthesizing a stack takes seconds on a shared 2-core machine (the first one in a file longer).
vi.setConfig({ testTimeout: 60_000 });

describe('alarms', () => {
  const { template } = fixtureStack();
  const topic = resourceId(template, 'AWS::SNS::Topic', 'AlarmsTopic');

  function alarm(namespace: string, metricName: string, extra: Record<string, unknown> = {}) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: namespace,
      MetricName: metricName,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
      ...extra,
    });
  }

  it('on failed executions of each state machine', () => {
    alarm('AWS/States', 'ExecutionsFailed', {
      Dimensions: [
        {
          Name: 'StateMachineArn',
          Value: { Ref: resourceId(template, 'AWS::StepFunctions::StateMachine', 'WorkflowFixtureRun') },
        },
      ],
    });
  });

  it('on messages in the schedules dead-letter queue', () => {
    alarm('AWS/SQS', 'ApproximateNumberOfMessagesVisible');
  });

  it('on HTTP API 5xx', () => {
    alarm('AWS/ApiGateway', '5xx');
  });

  it("on each handler function's Errors", () => {
    const handlers = Object.keys(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^factuur handler ') },
      }),
    );
    for (const fn of handlers) {
      alarm('AWS/Lambda', 'Errors', { Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }] });
    }
    // state machine + DLQ + API + one per handler
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3 + handlers.length);
  });

  it('publish to an SSL-only topic encrypted with a rotated key that CloudWatch may use', () => {
    const key = resourceId(template, 'AWS::KMS::Key', 'AlarmsTopicKey');
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('email the alarm address from the context, and nobody without it', () => {
    productionStack().template.resourceCountIs('AWS::SNS::Subscription', 0);
    synth({ context: { alarmEmail: 'ops@firm.example' } }).template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@firm.example',
    });
  });
});

describe('SES', () => {
  it('has the sender identity and configuration set from the context', () => {
    const { template } = synth({
      context: { senderEmail: 'facturen@firm.example', sesConfigurationSet: 'firm-invoices' },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'firm-invoices',
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'facturen@firm.example',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.stringLikeRegexp('^MailConfigurationSet') } },
    });
  });
});

describe('portal hosting', () => {
  it('keeps the bucket private, encrypted, SSL-only and logged', () => {
    const { template } = productionStack();
    const logBucket = resourceId(template, 'AWS::S3::Bucket', 'PortalLogBucket');
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucket }, LogFilePrefix: 'portal-bucket/' },
    });
    const portalBucket = resourceId(template, 'AWS::S3::Bucket', 'PortalBucket');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: portalBucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
          }),
        ]),
      },
    });
  });

  it('serves it through CloudFront with origin access control, index.html at / and as SPA fallback', () => {
    const { template } = productionStack();
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    const oac = resourceId(template, 'AWS::CloudFront::OriginAccessControl', 'PortalDistribution');
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Origins: [Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] } })],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CustomErrorResponses: [403, 404].map((code) => ({
          ErrorCode: code,
          ResponseCode: 200,
          ResponsePagePath: '/index.html',
          ErrorCachingMinTTL: 0,
        })),
        Logging: Match.objectLike({ Prefix: 'portal-distribution/' }),
      }),
    });
  });

  it('deploys the portal build only when it exists', () => {
    // productionStack() has no portal build; the fixtures have one.
    productionStack().template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    // the build plus the runtime config.json (API URL, issuer, client id) written at deploy time
    const [deployment] = Object.values(fixtureStack().template.findResources('Custom::CDKBucketDeployment')) as {
      Properties: { SourceObjectKeys: unknown[]; SourceMarkers: Record<string, unknown>[] };
    }[];
    expect(deployment?.Properties.SourceObjectKeys).toHaveLength(2);
    // deploy-time values in config.json: the API URL, the user pool (issuer) and the app client id
    expect(Object.keys(deployment?.Properties.SourceMarkers[1] ?? {}).length).toBeGreaterThanOrEqual(3);
    fixtureStack().template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: resourceId(fixtureStack().template, 'AWS::S3::Bucket', 'PortalBucket') },
      DistributionPaths: ['/*'],
      Prune: true,
    });
  });
});

describe('outputs', () => {
  it('give the API URL, user pool and client ids, portal URL and table name', () => {
    const outputs = productionStack().template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'PortalUrl', 'TableName']),
    );
  });
});
