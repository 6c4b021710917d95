import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Whether this machine can run Redis; with CI=true its absence is a failure, not a skip. */
export function redisAvailable(): boolean {
  const ok = spawnSync('redis-server', ['--version']).status === 0;
  if (!ok && process.env.CI === 'true') throw new Error('redis-server is required when CI=true (apt-get install redis-server)');
  return ok;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

async function launch(port: number, dir: string | null): Promise<ChildProcess> {
  const persistence = dir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--save', ''] : ['--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...persistence], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
    const check = () => {
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        resolve();
      } else if (child.exitCode === null) setTimeout(check, 20);
    };
    check();
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${out}`)));
  });
  return child;
}

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/**
 * A throwaway Redis on a free port: no persistence, or with `persist` an
 * append-only file (fsync always) so it can be taken `down()` and brought
 * back `up()` on the same port with what it held, as a restarted Redis would.
 */
export async function startRedis(opts: { persist?: boolean } = {}): Promise<{ url: string; stop(): Promise<void>; down(): Promise<void>; up(): Promise<void> }> {
  const port = await freePort();
  const dir = opts.persist ? fs.mkdtempSync(path.join(os.tmpdir(), 'hark-redis-')) : null;
  let child = await launch(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    down: () => stopChild(child),
    async up() {
      child = await launch(port, dir);
    },
    async stop() {
      await stopChild(child);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
