import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type sesLocalModule from 'aws-ses-v2-local';
import { ensurePortFree, loopback } from './ports.ts';

/**
 * Local SES: aws-ses-v2-local in this process. It accepts SES v1 SendEmail/SendRawEmail and v2 SendEmail,
 * keeps every message in memory, shows them on its inbox page (GET /) and as JSON (GET /store).
 */
export interface SesLocal {
  readonly endpoint: string;
  readonly inbox: string;
  close(): Promise<void>;
}

export async function startSesLocal(port: number): Promise<SesLocal> {
  if (port !== 0) await ensurePortFree(port, 'local SES');
  // The package is CommonJS with `exports.default`; loading it with require reads it the same way under tsx and vitest.
  const { default: startServer } = createRequire(import.meta.url)('aws-ses-v2-local') as typeof sesLocalModule;
  const server: Server = await startServer({ host: loopback, port });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const endpoint = `http://${loopback}:${actualPort}`;
  return {
    endpoint,
    inbox: `${endpoint}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
