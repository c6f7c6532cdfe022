import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isTransient } from '../../../functions/shared/errors.ts';
import { memoryDocumentArchive } from '../../../functions/sending/document-archive.ts';

/**
 * The S3 archive adapter with S3's answers injected: puts through the S3 client (aws-sdk-client-mock), reads
 * through the signed GET of archive-reader.ts (fetch stubbed; the local S3 checks the signatures in
 * test/integration/document-archive.test.ts).
 */
const s3 = mockClient(S3Client);
const awsError = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'the-session-token' };
const environment = {
  DOCUMENT_BUCKET: 'documents',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_SESSION_TOKEN: credentials.sessionToken,
  AWS_ENDPOINT_URL_S3: undefined,
};

const s3Error = (status: number, code: string) =>
  new Response(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code} here</Message></Error>`,
    {
      status,
      headers: { 'content-type': 'application/xml' },
    },
  );

/** fetch answering `answers` in turn (a function answer throws, as fetch does when it cannot connect). */
function s3Answers(...answers: (Response | (() => never))[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: URL | string, init?: RequestInit) => {
      calls.push({ url: String(url), headers: { ...(init?.headers as Record<string, string>) } });
      const answer = answers[Math.min(calls.length, answers.length) - 1]!;
      return typeof answer === 'function' ? answer() : answer.clone();
    }),
  );
  return calls;
}

const refused = (): never => {
  throw new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
};

describe('S3 document archive adapter (AWS behaviour injected)', () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  });
  afterEach(() => {
    s3.reset();
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

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
    s3Answers(new Response('first'));
    expect((await s3DocumentArchive.put('inv-1', 'ubl', Buffer.from('second'))).toString()).toBe('first');
  });

  it('409 ConditionalRequestConflict with nothing readable yet: the put fails, to be retried', async () => {
    const { s3DocumentArchive } = await import('../../../functions/adapters/s3/document-archive.ts');
    s3.on(PutObjectCommand).rejects(awsError('ConditionalRequestConflict', 409));
    s3Answers(s3Error(404, 'NoSuchKey'));
    await expect(s3DocumentArchive.put('inv-1', 'pdf', Buffer.from('x'))).rejects.toThrow(/ConditionalRequestConflict/);
  });

  it("reads with one GET signed by SigV4 with the environment's session credentials, virtual-hosted in the region", async () => {
    const { s3ArchiveReader } = await import('../../../functions/adapters/s3/archive-reader.ts');
    const calls = s3Answers(new Response('%PDF-1.7'));
    expect((await s3ArchiveReader.get('inv-1', 'pdf'))?.toString()).toBe('%PDF-1.7');
    expect(calls).toHaveLength(1);
    const [{ url, headers }] = calls as [(typeof calls)[number]];
    expect(url).toBe('https://documents.s3.eu-west-1.amazonaws.com/invoices/inv-1/document.pdf');
    expect(headers['x-amz-security-token']).toBe('the-session-token');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    // The signature is S3's for exactly this request (host, path, date, empty payload): signed again here.
    const date = headers['x-amz-date']!;
    const signingDate = new Date(
      `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
    );
    const expected = await new SignatureV4({
      service: 's3',
      region: 'eu-west-1',
      credentials,
      sha256: Sha256,
      uriEscapePath: false,
    }).sign(
      new HttpRequest({
        method: 'GET',
        protocol: 'https:',
        hostname: 'documents.s3.eu-west-1.amazonaws.com',
        path: '/invoices/inv-1/document.pdf',
        headers: {
          host: 'documents.s3.eu-west-1.amazonaws.com',
          'x-amz-content-sha256': headers['x-amz-content-sha256']!,
        },
      }),
      { signingDate },
    );
    expect(headers.authorization).toBe(expected.headers.authorization);
    expect(headers.host).toBeUndefined();
  });

  it('at a set endpoint (the local cloud) path style; a dotted bucket path style on S3; keys escaped once', async () => {
    const { objectUrl } = await import('../../../functions/adapters/s3/archive-reader.ts');
    expect(
      String(objectUrl('factuur-documents', 'invoices/a b/document.pdf', 'eu-west-1', 'http://127.0.0.1:4569/')),
    ).toBe('http://127.0.0.1:4569/factuur-documents/invoices/a%20b/document.pdf');
    expect(String(objectUrl('my.bucket', 'invoices/x/e-invoice.xml', 'eu-west-1', undefined))).toBe(
      'https://s3.eu-west-1.amazonaws.com/my.bucket/invoices/x/e-invoice.xml',
    );
  });

  it('a missing key reads as not archived; every other answer throws, named by S3, without a retry', async () => {
    const { s3ArchiveReader } = await import('../../../functions/adapters/s3/archive-reader.ts');
    s3Answers(s3Error(404, 'NoSuchKey'));
    expect(await s3ArchiveReader.get('inv-1', 'pdf')).toBeUndefined();
    const denied = s3Answers(s3Error(403, 'AccessDenied'));
    const error = await s3ArchiveReader.get('inv-1', 'pdf').catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(isTransient(error)).toBe(false);
    expect(denied).toHaveLength(1);
    s3Answers(s3Error(404, 'NoSuchBucket'));
    await expect(s3ArchiveReader.get('inv-1', 'pdf')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('5xx and connection failures are tried three times in all, then thrown as transient', async () => {
    const { s3ArchiveReader } = await import('../../../functions/adapters/s3/archive-reader.ts');
    const cured = s3Answers(s3Error(500, 'InternalError'), new Response('ubl'));
    expect((await s3ArchiveReader.get('inv-1', 'ubl'))?.toString()).toBe('ubl');
    expect(cured).toHaveLength(2);
    const slow = s3Answers(s3Error(503, 'SlowDown'));
    const error = await s3ArchiveReader.get('inv-1', 'ubl').catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    expect(isTransient(error)).toBe(true);
    expect(slow).toHaveLength(3);
    const down = s3Answers(refused);
    await expect(s3ArchiveReader.get('inv-1', 'ubl')).rejects.toMatchObject({ name: 'ECONNREFUSED' });
    expect(down).toHaveLength(3);
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
