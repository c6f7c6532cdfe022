import type { ArchivedKind } from '../../infra/definitions/archive.ts';

export type { ArchivedKind };

/**
 * The archive of issued documents (issue 12, point 7): a document's bytes by invoice id and kind, written once.
 * `put` never changes what is stored: when the key is there already (a retry, a second renderer racing the first),
 * it leaves it and answers the stored bytes, so every caller goes on with the one archived version. On AWS the
 * S3 adapter (functions/adapters/s3/document-archive.ts) with Object Lock; in tests also {@link memoryDocumentArchive}.
 */
export interface DocumentArchive {
  /** Stores the bytes unless the key exists; answers the bytes stored under the key (these, or the earlier ones). */
  put(invoiceId: string, kind: ArchivedKind, bytes: Buffer): Promise<Buffer>;
  get(invoiceId: string, kind: ArchivedKind): Promise<Buffer | undefined>;
}

/** Reading only (GET /pdf and /ubl): on AWS the signed GET of functions/adapters/s3/archive-reader.ts. */
export type ArchiveReader = Pick<DocumentArchive, 'get'>;

/** The same contract in memory (use-case tests; the in-memory ports). */
export function memoryDocumentArchive(): DocumentArchive & { readonly stored: Map<string, Buffer> } {
  const stored = new Map<string, Buffer>();
  return {
    stored,
    async put(invoiceId, kind, bytes) {
      const key = `${invoiceId}/${kind}`;
      const existing = stored.get(key);
      if (existing) return Buffer.from(existing);
      stored.set(key, Buffer.from(bytes));
      return Buffer.from(bytes);
    },
    async get(invoiceId, kind) {
      const existing = stored.get(`${invoiceId}/${kind}`);
      return existing ? Buffer.from(existing) : undefined;
    },
  };
}
