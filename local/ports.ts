import net from 'node:net';

/** Local cloud services listen on loopback only. */
export const loopback = '127.0.0.1';

/** Resolves when nothing listens on the port; rejects with a clear message when something does. */
export function ensurePortFree(port: number, service: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} for ${service} is taken by another process. Stop it, or choose another port (see README).`
            : `Cannot listen on ${loopback}:${port} for ${service}: ${error.message}`,
        ),
      );
    });
    probe.listen(port, loopback, () => probe.close(() => resolve()));
  });
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, loopback, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
