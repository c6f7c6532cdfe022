import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryDocumentArchive } from '../../../functions/sending/document-archive.ts';

/** S3's answers to a conditional put, as AWS gives them (s3rver gives neither 409 nor, by itself, 412). */
const s3 = mockClient(S3Client);
const awsError = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
// The part of the SDK's stream mixin the adapter reads.
const body = (text: string) => ({ transformToByteArray: async () => new Uint8Array(Buffer.from(text)) }) as never;

describe('S3 document archive adapter (AWS behaviour injected)', () => {
  beforeAll(() => {
    process.env.DOCUMENT_BUCKET = 'documents';
  });
  afterEach(() => s3.reset());

  it('puts with If-None-Match: * into the bucket under invoices/<id>/', async () => {
    const { s3DocumentArchive } = await import('../../../functions/adapters/s3/document-archive.ts');
    s3.on(PutObjectCommand).resolves({});
    await s3DocumentArchive.put('inv-1', 'pdf', Buffer.from('pdf'));
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'documents',
      Key: 'invoices/inv-1/document.pdf',
      IfNoneMatch: '*',
      ContentType: 'application/pdf',
    });
  });

  it('412 PreconditionFailed: the key is stored; the stored bytes are answered, nothing replaced', async () => {
    const { s3DocumentArchive } = await import('../../../functions/adapters/s3/document-archive.ts');
    s3.on(PutObjectCommand).rejects(awsError('PreconditionFailed', 412));
    s3.on(GetObjectCommand).resolves({ Body: body('first') });
    expect((await s3DocumentArchive.put('inv-1', 'ubl', Buffer.from('second'))).toString()).toBe('first');
  });

  it('409 ConditionalRequestConflict with nothing readable yet: the put fails, to be retried', async () => {
    const { s3DocumentArchive } = await import('../../../functions/adapters/s3/document-archive.ts');
    s3.on(PutObjectCommand).rejects(awsError('ConditionalRequestConflict', 409));
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 404));
    await expect(s3DocumentArchive.put('inv-1', 'pdf', Buffer.from('x'))).rejects.toThrow(/ConditionalRequestConflict/);
  });

  it('a missing key reads as undefined; other errors are thrown', async () => {
    const { s3DocumentArchive } = await import('../../../functions/adapters/s3/document-archive.ts');
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 404));
    expect(await s3DocumentArchive.get('inv-1', 'pdf')).toBeUndefined();
    s3.on(GetObjectCommand).rejects(awsError('AccessDenied', 403));
    await expect(s3DocumentArchive.get('inv-1', 'pdf')).rejects.toThrow(/AccessDenied/);
  });
});

describe('in-memory document archive (same contract)', () => {
  it('keeps the first bytes of a key', async () => {
    const archive = memoryDocumentArchive();
    await archive.put('i', 'pdf', Buffer.from('a'));
    expect((await archive.put('i', 'pdf', Buffer.from('b'))).toString()).toBe('a');
    expect((await archive.get('i', 'pdf'))?.toString()).toBe('a');
    expect(await archive.get('i', 'ubl')).toBeUndefined();
  });
});
