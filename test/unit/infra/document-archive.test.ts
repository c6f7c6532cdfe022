import { describe, expect, it, vi } from 'vitest';
import { documentArchiveDesign } from '../../../infra/definitions/archive.ts';
import { handlerPermissions } from '../../../infra/permissions.ts';
import { handlerModules, factuurDefinitions, pascalCase } from '../../../infra/stack-definitions.ts';
import { productionStack, resourceId } from './synth.ts';

vi.setConfig({ testTimeout: 60_000 });

type Statement = { Sid?: string; Effect?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const archiveBucketId = () => resourceId(productionStack().template, 'AWS::S3::Bucket', 'DocumentsBucket');

function statementsOf(handler: string): Statement[] {
  const policies = productionStack().template.findResources('AWS::IAM::Policy');
  const id = Object.keys(policies).find((key) => key.startsWith(`Handlers${pascalCase(handler)}RoleDefaultPolicy`));
  if (!id) return [];
  return (policies[id]!.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement;
}

describe('the document archive bucket', () => {
  it('locks every object in COMPLIANCE mode for 7 years, versioned, encrypted, private, retained', () => {
    const { template } = productionStack();
    const bucket = template.findResources('AWS::S3::Bucket')[archiveBucketId()]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 7 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { LogFilePrefix: 'document-archive/' },
    });
    expect(documentArchiveDesign).toMatchObject({ retentionYears: 7, objectLockMode: 'COMPLIANCE' });
  });

  it('refuses requests without TLS', () => {
    const { template } = productionStack();
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
      (policy) => (policy.Properties.Bucket as { Ref?: string }).Ref === archiveBucketId(),
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as Statement[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('grants get and put on invoices/* only to the handlers that declare them, nothing to the others', () => {
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [archiveBucketId(), 'Arn'] }, '/invoices/*']] };
    for (const handler of handlerModules(factuurDefinitions)) {
      const declared = handlerPermissions[handler] ?? [];
      const statements = statementsOf(handler);
      const s3Actions = statements
        .flatMap((statement) => statement.Action)
        .filter((action) => action.startsWith('s3:'));
      const expected = [
        ...(declared.includes('archive:read') ? ['s3:GetObject', 's3:ListBucket'] : []),
        ...(declared.includes('archive:write') ? ['s3:PutObject'] : []),
      ].sort();
      expect(s3Actions.sort(), handler).toEqual(expected);
      for (const statement of statements.filter((s) => s.Sid === 'ArchiveRead' || s.Sid === 'ArchiveWrite'))
        expect(statement.Resource, handler).toEqual(objects);
      const list = statements.find((statement) => statement.Sid === 'ArchiveList');
      if (list) expect(list.Condition).toEqual({ StringLike: { 's3:prefix': 'invoices/*' } });
    }
    expect(handlerPermissions['workflow/sweep-outbox']).toEqual(expect.arrayContaining(['archive:write']));
  });
});
