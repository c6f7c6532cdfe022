import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { escapeUri, HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { archiveKey, type ArchivedKind } from '../../../infra/definitions/archive.ts';
import type { ArchiveReader } from '../../sending/document-archive.ts';

/**
 * Reading the document archive (S3) with one signed GET: SigV4 by @smithy/signature-v4 and the Node SHA-256 of
 * @smithy/core, both bundled already with every DynamoDB client, and `fetch`. What GET /pdf and /ubl need, without
 * @aws-sdk/client-s3 (about 160 KB of the function and a third of its import time, bench/bundles.ts); the archive's
 * writer (document-archive.ts, the outbox) reads back through this too, so there is one reading of the archive.
 *
 * Adopted: a hand-written GET over the S3 client for this one call, because the client costs the function behind
 * every document a person opens more than half again its import time; the signing is the SDK's own.
 *
 * The URL: at AWS_ENDPOINT_URL_S3 path style (the local cloud's s3rver, as the S3 client is set up there), else
 * S3's virtual-hosted style in the region (`<bucket>.s3.<region>.amazonaws.com`), path style for a bucket name with
 * a dot (TLS would not match the host). Credentials: the environment's (Lambda's execution role, with its session
 * token; functions/shared/lambda-credentials.ts), read per request.
 *
 * Answers: the bytes; 404 NoSuchKey: not archived (undefined); any other answer throws an error named by S3's error
 * code (AccessDenied, NoSuchBucket, SlowDown ...) carrying the status; 5xx, 429 and connection failures are tried
 * three times in all (backoff with full jitter, as the SDK's standard retry) and then thrown retryable, so
 * shared/errors.ts isTransient knows them.
 */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MAX_ATTEMPTS = 3;
const BASE_DELAY_MILLIS = 100;

/** An answer of S3 other than the object or NoSuchKey, named by S3's error code. */
export class ArchiveReadFailed extends Error {
  override readonly name: string;
  readonly $metadata: { readonly httpStatusCode?: number };
  readonly $retryable?: { readonly throttling: boolean };
  constructor(code: string, message: string, status: number | undefined, retryable: boolean, cause?: unknown) {
    super(message, { cause });
    this.name = code;
    this.$metadata = { httpStatusCode: status };
    if (retryable) this.$retryable = { throttling: status === 429 || code === 'SlowDown' };
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function documentBucket(): string {
  return required('DOCUMENT_BUCKET');
}

/** The object's URL: path style at a set endpoint (or for a dotted bucket), else virtual-hosted style. */
export function objectUrl(
  bucket: string,
  key: string,
  region: string,
  endpoint = process.env.AWS_ENDPOINT_URL_S3,
): URL {
  const path = key.split('/').map(escapeUri).join('/');
  if (endpoint) return new URL(`${endpoint.replace(/\/+$/, '')}/${escapeUri(bucket)}/${path}`);
  if (bucket.includes('.')) return new URL(`https://s3.${region}.amazonaws.com/${bucket}/${path}`);
  return new URL(`https://${bucket}.s3.${region}.amazonaws.com/${path}`);
}

/** The signed headers of a GET of the URL (host left to fetch, which sends the same). */
async function signedHeaders(url: URL, region: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 's3',
    region,
    credentials: fromEnv(),
    sha256: Sha256,
    // S3 signs the path as sent, not escaped a second time.
    uriEscapePath: false,
  });
  const request = new HttpRequest({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    headers: { host: url.host, 'x-amz-content-sha256': EMPTY_SHA256 },
  });
  const { host: _host, ...headers } = (await signer.sign(request)).headers;
  return headers;
}

/** S3's error document: `<Error><Code>NoSuchKey</Code><Message>...</Message></Error>`. */
async function errorOf(response: Response): Promise<ArchiveReadFailed> {
  const text = await response.text().catch(() => '');
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `S3Status${response.status}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? response.statusText;
  const retryable = response.status >= 500 || response.status === 429 || code === 'SlowDown';
  return new ArchiveReadFailed(
    code,
    `S3 GET answered ${response.status} ${code}: ${message}`,
    response.status,
    retryable,
  );
}

function unreachable(error: unknown): ArchiveReadFailed {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : 'S3Unreachable';
  const message = error instanceof Error ? error.message : String(error);
  return new ArchiveReadFailed(code, `S3 GET failed: ${message}`, undefined, true, error);
}

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * BASE_DELAY_MILLIS * 2 ** attempt));

/** The bytes stored under the key, or undefined when there is no such key. */
export async function readArchivedObject(bucket: string, key: string): Promise<Buffer | undefined> {
  const region = required('AWS_REGION');
  const url = objectUrl(bucket, key, region);
  for (let attempt = 1; ; attempt++) {
    const headers = await signedHeaders(url, region);
    let failure: ArchiveReadFailed;
    try {
      const response = await fetch(url, { method: 'GET', headers });
      if (response.ok) return Buffer.from(await response.arrayBuffer());
      failure = await errorOf(response);
      if (failure.name === 'NoSuchKey') return undefined;
    } catch (error) {
      failure = unreachable(error);
    }
    if (!failure.$retryable || attempt >= MAX_ATTEMPTS) throw failure;
    await backoff(attempt);
  }
}

export const s3ArchiveReader: ArchiveReader = {
  get: (invoiceId: string, kind: ArchivedKind) => readArchivedObject(documentBucket(), archiveKey(invoiceId, kind)),
};
