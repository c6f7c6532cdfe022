import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { loopback } from './ports.ts';

/**
 * Local S3: s3rver (a real S3 REST API in Node) in this process, path-style, its objects as files under `directory`.
 * It takes the local cloud's credentials (`local`/`local`, as every local service does) besides its own S3RVER key.
 *
 * Kinder than S3, made to behave like it: s3rver ignores `If-None-Match: *` on PutObject and overwrites. S3 refuses
 * the put (412 PreconditionFailed) when the key exists, atomically; the middleware below does the same, one request
 * per key at a time, so a second put of an archived document is refused here as on AWS. Object Lock and versioning
 * s3rver has not (PutObjectLockConfiguration answers MethodNotAllowed): they are the stack's (infra/constructs/
 * document-archive.ts); locally "never overwritten" rests on the conditional put, which the archive always uses.
 */
export interface S3Local {
  readonly endpoint: string;
  close(): Promise<void>;
}

interface KoaContext {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, string | undefined>;
  readonly store: { existsObject(bucket: string, key: string): Promise<boolean> };
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInstance {
  readonly middleware: Middleware[];
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  readonly httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const require = createRequire(import.meta.url);

export async function startS3Local(options: {
  readonly port: number;
  readonly directory: string;
  readonly buckets: readonly string[];
}): Promise<S3Local> {
  const S3rver = require('s3rver') as S3rverClass;
  const S3Error = require('s3rver/lib/models/error') as new (
    code: string,
    message: string,
    detail?: Record<string, string>,
  ) => Error;
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  DUMMY_ACCOUNT.createKeyPair('local', 'local');

  const server = new S3rver({
    port: options.port,
    address: loopback,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const locks = new Map<string, Promise<void>>();
  const conditionalPut: Middleware = async (ctx, next) => {
    const isPlainPut =
      ctx.method === 'PUT' &&
      ctx.headers['if-none-match'] === '*' &&
      !('uploadId' in ctx.query) &&
      !('partNumber' in ctx.query) &&
      ctx.headers['x-amz-copy-source'] === undefined;
    const [, bucket, ...keyParts] = ctx.path.split('/');
    if (!isPlainPut || !bucket || keyParts.length === 0) return next();
    const key = keyParts.map((part) => decodeURIComponent(part)).join('/');
    const lockKey = `${bucket}/${key}`;
    const before = locks.get(lockKey) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = before.then(() => mine);
    locks.set(lockKey, chained);
    await before;
    try {
      if (await ctx.store.existsObject(bucket, key))
        throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
          Condition: 'If-None-Match',
        });
      await next();
    } finally {
      release();
      if (locks.get(lockKey) === chained) locks.delete(lockKey);
    }
  };
  // Before s3rver's own middleware (logger, XML, vhost, router): a refused put never reaches its store.
  server.middleware.unshift(conditionalPut);
  const address = await server.run();
  return {
    endpoint: `http://${loopback}:${address.port}`,
    close: async () => {
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
}
