import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { archiveKey, archivedContentTypes } from '../../../infra/definitions/archive.ts';
import type { DocumentArchive } from '../../sending/document-archive.ts';
import { documentBucket, s3ArchiveReader } from './archive-reader.ts';

/**
 * The document archive on S3 (the bucket of infra/constructs/document-archive.ts: Object Lock in compliance mode,
 * 7 years, versioned). The client is at module scope; its endpoint is S3's in the region, or AWS_ENDPOINT_URL_S3 in
 * the local cloud (s3rver, which needs path-style URLs; so does nothing on AWS, where virtual-hosted style stays).
 *
 * Written once: every put is conditional (`If-None-Match: *`). S3 refuses it with 412 PreconditionFailed when the
 * key exists (and 409 ConditionalRequestConflict while another put of the key is in flight): then the stored bytes
 * are read and answered, never replaced. With Object Lock a replacing put would only add a version (the locked one
 * stays), but the current version a reader gets must never change, so the condition is what keeps it.
 *
 * Reads (get, and the stored bytes after a refused put) are the one signed GET of archive-reader.ts, which GET /pdf
 * and /ubl use without this module and its S3 client.
 */
const s3 = new S3Client({ maxAttempts: 3, forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined });

function refusedAsStored(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 412 || status === 409;
}

export const s3DocumentArchive: DocumentArchive = {
  async put(invoiceId, kind, bytes) {
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: documentBucket(),
          Key: archiveKey(invoiceId, kind),
          Body: bytes,
          ContentType: archivedContentTypes[kind],
          IfNoneMatch: '*',
        }),
      );
      return bytes;
    } catch (error) {
      if (!refusedAsStored(error)) throw error;
      const stored = await s3ArchiveReader.get(invoiceId, kind);
      // 409: the other put has not finished; the caller's retry (the outbox, the workflow's Retry) reads it then.
      if (!stored) throw error;
      return stored;
    }
  },
  get: s3ArchiveReader.get,
};
