import { existsSync } from 'node:fs';
import { type CfnElement, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Context key that changes the CDK bootstrap qualifier (and so the asset bucket name). */
const BOOTSTRAP_QUALIFIER_CONTEXT = '@aws-cdk/core:bootstrapQualifier';

export interface PortalHostingProps {
  /** The built portal; deployed only when the folder exists (else upload it later, e.g. `aws s3 sync`). */
  readonly buildDir: string;
}

/**
 * Hosting of the portal (a single-page app): a private, encrypted, SSL-only S3 bucket served only through
 * CloudFront with origin access control; `/` serves index.html and unknown paths fall back to index.html (the
 * SPA routes client-side). Bucket and distribution log to a separate log bucket (90 days).
 */
export class PortalHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly deployment: BucketDeployment | undefined;

  constructor(scope: Construct, id: string, props: PortalHostingProps) {
    super(scope, id);

    this.logBucket = new Bucket(this, 'LogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'portal-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'factuur portal',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: true,
      },
      // SPA fallback: S3 answers 403 for a missing key (no ListBucket), 404 if it had it.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'portal-distribution/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The portal serves users of the firm wherever they travel; sign-in is protected by Cognito MFA.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Only static, public SPA assets are behind this distribution (cached, read-only GET/HEAD); the API is a ' +
          'separate HTTP API with JWT auth and throttling. A web ACL is not worth its fixed cost here.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose security ' +
          'policy CloudFront fixes at TLSv1; set minimumProtocolVersion TLS_V1_2_2021 when a custom domain is added.',
      },
    );

    this.deployment = existsSync(props.buildDir) ? this.deploy(props.buildDir) : undefined;
  }

  /**
   * The portal's runtime configuration, /config.json next to index.html (the same build runs locally, where
   * `npm start` serves its own config.json, and here). Values may be deploy-time tokens (API URL, user pool).
   */
  addRuntimeConfig(config: {
    apiUrl: string;
    issuer: string;
    clientId: string;
    scope?: string;
    environment?: string;
  }): void {
    this.deployment?.addSource(Source.jsonData('config.json', config));
  }

  private deploy(buildDir: string): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Deployment', {
      sources: [Source.asset(buildDir)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 512,
    });
    // The deployment runs in a CDK-provided singleton Lambda function (a child of the stack, not of this
    // construct) whose role CDK writes; its findings are acknowledged one by one.
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment handler not found; cannot acknowledge its cdk-nag findings');
    const portalBucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
    const qualifier =
      (stack.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) as string | undefined) ??
      DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const deployOnly = 'CDK BucketDeployment (runs only while deploying the portal build):';
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason: `${deployOnly} CDK pins the handler's Python runtime and code; it is not our function.`,
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${deployOnly} CDK gives its handler the AWS basic execution role to write its own logs.`,
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${deployOnly} CDK's bucket grants (read the asset, sync and prune the portal bucket) use ${action}.`,
      })),
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*]`,
        reason: `${deployOnly} reads the zipped portal build from the CDK bootstrap asset bucket (object keys are hashes).`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${portalBucketId}.Arn>/*]`,
        reason: `${deployOnly} writes and prunes every object of the portal bucket; it is the bucket's only writer.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${deployOnly} cloudfront:CreateInvalidation/GetInvalidation support no resource-level permissions in CDK's grant.`,
      },
    );
    return deployment;
  }
}
