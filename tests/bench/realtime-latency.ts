import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION, type ClientToServerEvents, type JoinAck, type ServerToClientEvents } from '../../shared/events.js';
import type { Socket } from 'socket.io-client';
import { QUEUES } from '../../shared/queues.js';
import { loadConfig } from '../../server/config.js';
import { startHark } from '../../server/hark.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { summarize } from './stats.js';

export interface LatencyResult {
  rate: number;
  seconds: number;
  sent: number;
  received: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Ingest-to-socket-event latency: mentions enter the queue the way a connector
 * hands them over, and a socket.io client signed in like a browser times their
 * arrival. Client and server share this process (and its two cores).
 */
export async function benchRealtime(rate: number, seconds: number): Promise<LatencyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-bench-rt-'));
  const hark = await startHark(loadConfig({ PORT: '0', DATA_DIR: dir, SIMULATOR: 'off', LOG_LEVEL: 'error' }));
  await hark.store.users.create({ email: 'bench@hark.local', name: 'Bench', role: 'agent', passwordHash: await hashPassword('bench-pass') });
  const login = await fetch(`${hark.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@hark.local', password: 'bench-pass' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(hark.url, { transports: ['websocket'], auth: { protocol: PROTOCOL_VERSION }, extraHeaders: { cookie } });
  await new Promise<JoinAck>((r) => socket.emit('room.join', { room: 'queue' }, r));

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  socket.on('mention.created', (b) => {
    const now = performance.now();
    for (const m of b.mentions) {
      const t = sentAt.get(m.externalId);
      if (t !== undefined) latencies.push(now - t);
    }
  });

  const texts = ['Flight delayed 3 hours and no update from @acme', 'Love the new lounge, thanks!', 'How do I change my seat online?', 'Is the premium plan worth it?', 'my bag is lost, please help'];
  const tickMs = 10;
  let sent = 0;
  const start = performance.now();
  const total = rate * seconds;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    if (due > sent) {
      const batch = [];
      for (; sent < due; sent++) {
        const id = `rt-${rate}-${sent}`;
        sentAt.set(id, performance.now());
        batch.push({ platform: 'bench', externalId: id, text: texts[sent % texts.length]!, author: { handle: `u${sent % 500}`, followers: (sent * 37) % 100_000 } });
      }
      await hark.queue.add(QUEUES.ingest, { source: 'bench', mentions: batch });
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  const deadline = performance.now() + 5000;
  while (latencies.length < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  socket.close();
  await hark.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const s = summarize(latencies);
  return { rate, seconds, sent: total, received: latencies.length, p50: s.p50, p99: s.p99, max: s.max };
}
