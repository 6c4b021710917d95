import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SpawnedHark {
  url: string;
  pid: number;
  output: () => string;
  demo: Array<{ role: string; email: string; password: string }>;
  dataDir: string;
  stop(): Promise<number | null>;
  /** `kill -9`: no shutdown, no lease released, nothing flushed. Keeps the data directory. */
  kill(): Promise<void>;
}

/** The V8 flags `npm start` gives the server (package.json), so tests and benchmarks run the server as it runs. */
export const START_NODE_FLAGS: string[] = (() => {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return start.match(/--max-old-space-size=\d+/g) ?? [];
})();

/** Starts `server/main.ts` the way `npm start` does (minus the client build) and reads what it prints. */
export async function spawnHark(env: Record<string, string> = {}, opts: { role?: 'api' | 'worker' | 'connectors'; dataDir?: string; startMs?: number } = {}): Promise<SpawnedHark> {
  // Processes of one distributed deployment share a data directory; the first owner removes it.
  const ownsDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hark-proc-'));
  // node --import tsx runs the server in this one process, as npm start does: signals reach it directly.
  const child: ChildProcess = spawn(process.execPath, [...START_NODE_FLAGS, '--import', 'tsx', 'server/main.ts', ...(opts.role ? ['--role', opts.role] : [])], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Hark did not start in time:\n${out}`)), opts.startMs ?? 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m || /Hark \w+ is running/.test(out)) {
        clearTimeout(timer);
        resolve(m?.[1] ?? '');
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Hark exited with ${code}:\n${out}`));
    });
  });
  const demo = [...out.matchAll(/demo sign-in \((\w+)\): (\S+) \/ (\S+)/g)].map((m) => ({ role: m[1]!, email: m[2]!, password: m[3]! }));
  return {
    url,
    pid: child.pid!,
    demo,
    dataDir,
    output: () => out,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const code = await exited;
      if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
