import { RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DocumentArchiveDesign } from '../definitions/archive.ts';

export interface DocumentArchiveProps {
  readonly design: DocumentArchiveDesign;
  /** Where S3 server access logs of the archive go (a prefix of the stack's log bucket). */
  readonly accessLogBucket: IBucket;
}

/**
 * The archive of issued documents (infra/definitions/archive.ts): the PDF and UBL of every issued invoice and credit
 * note, written once. Object Lock in COMPLIANCE mode with a default retention of 7 years (the Dutch fiscal retention
 * period; nobody, the root user included, can delete or shorten it), versioned (Object Lock needs it), S3-managed
 * encryption, all public access blocked, TLS only, bucket-owner-enforced (no ACLs), server access logs to the log
 * bucket, retained when the stack is deleted. The functions that put and get are granted in handler-functions.ts
 * from infra/permissions.ts (`archive:read`, `archive:write`), on `invoices/*` only.
 */
export class DocumentArchive extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: DocumentArchiveProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      versioned: true,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'document-archive/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // In years, as the law counts (CDK's ObjectLockRetention takes days, which leap years would shift).
    (this.bucket.node.defaultChild as CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: props.design.objectLockMode, years: props.design.retentionYears } },
    };
  }
}
