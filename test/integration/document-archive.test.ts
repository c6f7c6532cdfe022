import './handler-environment.ts';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { archiveKey, documentArchiveDesign } from '../../infra/definitions/archive.ts';
import { s3DocumentArchive } from '../../functions/adapters/s3/document-archive.ts';
import { cloud } from './clients.ts';

/** The archive on the local S3 (s3rver), reached as on AWS: through @aws-sdk/client-s3 at the local endpoint. */
const s3 = new S3Client({
  endpoint: cloud.s3,
  region: 'eu-west-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  forcePathStyle: true,
});
const Bucket = documentArchiveDesign.localBucketName;

describe('document archive on local S3', () => {
  it('stores a document once: a second put of the key keeps the first bytes and answers them', async () => {
    const id = `inv-archive-${Date.now()}`;
    expect(await s3DocumentArchive.get(id, 'pdf')).toBeUndefined();
    const first = Buffer.from('%PDF-1.7 first');
    expect((await s3DocumentArchive.put(id, 'pdf', first)).equals(first)).toBe(true);
    const second = await s3DocumentArchive.put(id, 'pdf', Buffer.from('%PDF-1.7 second, different'));
    expect(second.equals(first)).toBe(true);
    expect((await s3DocumentArchive.get(id, 'pdf'))?.equals(first)).toBe(true);
  });

  it('racing puts of one key: exactly one wins, every caller answers its bytes', async () => {
    const id = `inv-race-${Date.now()}`;
    const candidates = Array.from({ length: 6 }, (_, i) => Buffer.from(`<Invoice>${i}</Invoice>`));
    const answers = await Promise.all(candidates.map((bytes) => s3DocumentArchive.put(id, 'ubl', bytes)));
    const stored = await s3DocumentArchive.get(id, 'ubl');
    expect(candidates.some((bytes) => bytes.equals(stored!))).toBe(true);
    for (const answer of answers) expect(answer.equals(stored!)).toBe(true);
  });

  it('the local S3 refuses an overwrite as S3 does (If-None-Match: * -> 412), and serves the key layout', async () => {
    const id = `inv-raw-${Date.now()}`;
    const Key = archiveKey(id, 'pdf');
    expect(Key).toBe(`invoices/${id}/document.pdf`);
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'one', IfNoneMatch: '*' }));
    const refused = await s3
      .send(new PutObjectCommand({ Bucket, Key, Body: 'two', IfNoneMatch: '*' }))
      .then(() => undefined)
      .catch((error: Error & { $metadata?: { httpStatusCode?: number } }) => error);
    expect(refused?.name).toBe('PreconditionFailed');
    expect(refused?.$metadata?.httpStatusCode).toBe(412);
    const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await object.Body?.transformToString()).toBe('one');
  });
});
