import type { Server } from 'node:http';
import sesLocalModule from 'aws-ses-v2-local';
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
  // The package is CommonJS with `exports.default`; from ESM its server function is `.default`.
  const server: Server = await sesLocalModule.default({ host: loopback, port });
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
