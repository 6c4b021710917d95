import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/notice.js';
import { loadConfig } from '../../server/config.js';
import { startHark, type Hark } from '../../server/hark.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { ApiClient, rawMention, waitFor } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';

/**
 * Two API processes over one Redis and one store: a notice is stored once and
 * reaches its user's sockets on both processes, once each, and nobody else's.
 */
describe.skipIf(!redisAvailable())('notices across two API processes', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dataDir: string;
  let a: Hark;
  let b: Hark;
  const clients: Record<string, ApiClient> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-notices-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'silent', REDIS_URL: redis.url });
    a = await startHark(config, { role: 'api' });
    b = await startHark(config, { role: 'api' });
    for (const name of ['writer', 'told', 'other']) {
      const u = await a.store.users.create({ email: `${name}@n.hark`, name, role: 'agent', passwordHash: await hashPassword(`${name}-password`) });
      ids[name] = u.id;
      clients[name] = new ApiClient(a.url);
      expect((await clients[name]!.post('/api/auth/login', { email: `${name}@n.hark`, password: `${name}-password` })).status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const socketOn = (h: Hark, who: string) => {
    const c = new ApiClient(h.url);
    c.cookie = clients[who]!.cookie;
    const s = c.socket();
    const got: Notice[] = [];
    s.on('notice.created', (m) => got.push(m.notice));
    return { s, got, ready: new Promise<void>((r) => s.once('connect', () => r())) };
  };

  it('stores one notice and sends it to the user on every process, once each', async () => {
    const onA = socketOn(a, 'told');
    const onB = socketOn(b, 'told');
    const otherB = socketOn(b, 'other');
    await Promise.all([onA.ready, onB.ready, otherB.ready]);
    const m = (await a.ingest([rawMention(1)])).stored[0]!;
    const kase = (await clients.writer!.post('/api/cases', { mentionIds: [m.id] })).body.case;
    const note = await clients.writer!.post(`/api/cases/${kase.id}/notes`, { text: '@told have a look', mentions: [ids.told] });
    expect(note.status).toBe(201);
    await waitFor(() => onA.got.length === 1 && onB.got.length === 1, 5000, 'the notice on both processes');
    await new Promise((r) => setTimeout(r, 300));
    expect(onA.got).toHaveLength(1);
    expect(onB.got).toHaveLength(1);
    expect(onA.got[0]!.id).toBe(onB.got[0]!.id);
    expect(otherB.got).toEqual([]);
    expect(await a.store.notices.unreadCount({ userId: ids.told! })).toBe(1);
    for (const x of [onA, onB, otherB]) x.s.close();
  });
});
