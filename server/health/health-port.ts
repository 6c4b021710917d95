import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkHealth, type HealthDeps } from '../operations/health.js';

/**
 * Roles that serve no HTTP (worker, connectors) answer GET /health on a port
 * of their own, for compose and orchestrators: the status word only (no
 * detail: this port is unauthenticated), 503 when the process cannot work.
 * A process that hangs does not answer at all, which is also a failed check.
 */
export async function startHealthPort(deps: HealthDeps, host: string, port: number) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/health' && req.url !== '/api/health')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"GET /health"}}');
      return;
    }
    checkHealth(deps).then(
      (r) => res.writeHead(r.status === 'down' ? 503 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ status: r.status })),
      () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"down"}'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(server.address() as AddressInfo).port}/health`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
