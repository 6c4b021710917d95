import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ApiClient } from '../support/harness.js';
import { meter } from '../support/socket-meter.js';
import { spawnHark } from '../support/spawn-hark.js';
import { treeRssKb } from './import-memory.js';
import { summarize } from './stats.js';

export interface ServerImportResult {
  lines: number;
  fileMB: number;
  seconds: number;
  stored: number;
  /** What one agent's socket in the queue room received during the import. */
  socketBytes: number;
  socketMessages: number;
  largestMessage: number;
  progressEvents: number;
  mentionsSent: number;
  health: { p50: number; p95: number; max: number; n: number };
  peakRssMB: number;
  baseRssMB: number;
}

/**
 * `POST /api/import` of a generated JSONL file to the real server process
 * (`server/main.ts`), streamed from disk, while one agent's socket sits in the
 * queue room (every byte it receives counted on the wire) and `/api/health`
 * is asked every 100 ms, one request at a time.
 */
export async function benchServerImport(lines: number, env: Record<string, string> = {}): Promise<ServerImportResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-bench-srvimport-'));
  const file = path.join(dir, 'upload.jsonl');
  const out = fs.createWriteStream(file);
  const texts = ['Flight delayed again and nobody at the desk knows why', 'Thanks for the quick refund, great service', '¿Alguien sabe cómo cambiar el asiento?', 'Die App stürzt beim Login ab', 'Where can I buy a gift card?'];
  for (let i = 0; i < lines; i++) {
    const line = JSON.stringify({ id: `srv-${i}`, text: `${texts[i % texts.length]} #${i}`, author: `user${i % 9999}`, author_followers: (i * 7919) % 250_000, created_at: new Date(1_764_000_000_000 - i * 1000).toISOString() }) + '\n';
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const fileMB = fs.statSync(file).size / 1048576;

  const server = await spawnHark({ SIMULATOR: 'off', HARK_ADMIN_EMAIL: 'bench@hark.test', HARK_ADMIN_PASSWORD: 'bench-password', LOG_LEVEL: 'error', IMPORT_MAX_MB: '4096', ...env }, { dataDir: dir });
  try {
    const admin = new ApiClient(server.url);
    const login = await admin.post('/api/auth/login', { email: 'bench@hark.test', password: 'bench-password' });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const socket = admin.socket({ autoConnect: false });
    const wire = meter(socket);
    let progressEvents = 0;
    let mentionsSent = 0;
    socket.on('import.progress', () => progressEvents++);
    socket.on('mention.created', (b) => (mentionsSent += b.mentions.length));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
      socket.connect();
    });
    await new Promise((r) => socket.emit('room.join', { room: 'queue' }, r));
    const baseRssMB = treeRssKb(server.pid) / 1024;

    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssKb(server.pid))), 100);
    const latencies: number[] = [];
    let importing = true;
    const prober = (async () => {
      while (importing) {
        const t = performance.now();
        await fetch(`${server.url}/api/health`).then((r) => r.text());
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const started = performance.now();
    const res = await fetch(`${server.url}/api/import?format=jsonl`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(fs.createReadStream(file, { highWaterMark: 256 * 1024 })) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const body = (await res.json()) as { stored?: number };
    const seconds = (performance.now() - started) / 1000;
    importing = false;
    await prober;
    await new Promise((r) => setTimeout(r, 1000)); // what the socket still gets after the answer
    clearInterval(sampler);
    socket.close();
    if (res.status !== 200) throw new Error(`import failed: ${res.status} ${JSON.stringify(body)}`);
    const s = summarize(latencies);
    return {
      lines,
      fileMB,
      seconds,
      stored: body.stored ?? 0,
      socketBytes: wire.bytes,
      socketMessages: wire.messages,
      largestMessage: wire.largest,
      progressEvents,
      mentionsSent,
      health: { p50: s.p50, p95: s.p95, max: s.max, n: latencies.length },
      peakRssMB: peak / 1024,
      baseRssMB,
    };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
