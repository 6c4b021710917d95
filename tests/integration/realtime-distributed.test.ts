import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinAck, MentionBatch, SyncReset } from '../../shared/events.js';
import { loadConfig } from '../../server/config.js';
import { startHark, type Hark } from '../../server/hark.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { ApiClient, rawMention, waitFor } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { meter } from '../support/socket-meter.js';

type Sock = ReturnType<ApiClient['socket']>;
/** Joins; `atAck` runs inside the ack callback, before any message that came after it. */
const join = (s: Sock, req: Parameters<Sock['emit']>[1] & object, atAck?: () => void) =>
  new Promise<JoinAck>((resolve) =>
    s.emit('room.join', req as never, (ack: JoinAck) => {
      atAck?.();
      resolve(ack);
    }),
  );
const connected = (s: Sock) => new Promise<void>((resolve, reject) => {
  s.once('connect', () => resolve());
  s.once('connect_error', reject);
  s.connect();
});
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two API processes over one Redis and one store (as `--role api` twice,
 * behind a load balancer): a browser can land on either, every time it
 * reconnects.
 */
describe.skipIf(!redisAvailable())('realtime across two API processes', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dataDir: string;
  let a: Hark;
  let b: Hark;
  let cookie: ApiClient;
  const ENV = { REALTIME_BATCH_MS: '40', REALTIME_REPLAY_MB: '0.25', REALTIME_MAX_MESSAGE_KB: '16', REALTIME_BURST_RATE: '1000000' };

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-rt2-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'silent', REDIS_URL: redis.url, ...ENV });
    a = await startHark(config, { role: 'api' });
    b = await startHark(config, { role: 'api' });
    await a.store.users.create({ email: 'agent@rt.hark', name: 'Agent', role: 'agent', passwordHash: await hashPassword('agent-password') });
    cookie = new ApiClient(a.url);
    expect((await cookie.post('/api/auth/login', { email: 'agent@rt.hark', password: 'agent-password' })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A socket on one API process with the signed-in session (one store: the cookie works on both). */
  const socketOn = (h: Hark) => {
    const c = new ApiClient(h.url);
    c.cookie = cookie.cookie;
    return c.socket({ autoConnect: false });
  };
  const texts = (batches: MentionBatch[]) => batches.flatMap((x) => x.mentions.map((m) => m.text.split(' ').pop()!));

  it('numbers every event once for the whole deployment: sockets on both processes get the same batches with the same seqs', async () => {
    const [sa, sb] = [socketOn(a), socketOn(b)];
    const ga: MentionBatch[] = [];
    const gb: MentionBatch[] = [];
    sa.on('mention.created', (x) => ga.push(x));
    sb.on('mention.created', (x) => gb.push(x));
    await Promise.all([connected(sa), connected(sb)]);
    const [acka, ackb] = await Promise.all([join(sa, { room: 'queue' }), join(sb, { room: 'queue' })]);
    expect(acka.epoch).toBe(ackb.epoch);
    for (let i = 0; i < 4; i++) {
      await (i % 2 ? b : a).ingest([rawMention(100 + i)]);
      await pause(60);
    }
    await waitFor(() => texts(ga).length === 4 && texts(gb).length === 4, 5000, 'four mentions on both sockets');
    expect(ga.map((x) => [x.seq, x.mentions.map((m) => m.id)])).toEqual(gb.map((x) => [x.seq, x.mentions.map((m) => m.id)]));
    sa.close();
    sb.close();
  }, 20_000);

  it('a client moved from one API process to the other with its last seq is replayed exactly what it missed: nothing lost, nothing twice', async () => {
    const first = socketOn(a);
    const got: MentionBatch[] = [];
    const resets: SyncReset[] = [];
    first.on('mention.created', (x) => got.push(x));
    first.on('sync.reset', (r) => resets.push(r));
    await connected(first);
    const ack = await join(first, { room: 'queue' });
    const sent: string[] = [];
    const ingestOn = async (h: Hark, i: number) => {
      await h.ingest([rawMention(i), rawMention(i + 1000)]);
      sent.push(String(i), String(i + 1000));
    };
    for (let i = 200; i < 204; i++) await ingestOn(i % 2 ? b : a, i); // both processes produce
    await waitFor(() => texts(got).length === 8, 5000, 'eight mentions before the move');
    first.close();

    // Away: both processes keep storing mentions.
    for (let i = 204; i < 210; i++) {
      await ingestOn(i % 2 ? b : a, i);
      await pause(50);
    }
    await pause(200);

    const second = socketOn(b);
    const later: MentionBatch[] = [];
    second.on('mention.created', (x) => later.push(x));
    second.on('sync.reset', (r) => resets.push(r));
    await connected(second);
    const ack2 = await join(second, { room: 'queue', epoch: ack.epoch, lastSeq: got.at(-1)!.seq });
    expect(resets).toEqual([]);
    expect(ack2.replayed).toBeGreaterThan(0);
    expect(texts(later).sort()).toEqual(sent.slice(8).sort());
    // And live again, from either producer.
    await ingestOn(a, 210);
    await ingestOn(b, 211);
    await waitFor(() => texts(later).length === sent.length - 8, 5000, 'live mentions after the move');
    const all = [...got, ...later];
    expect(texts(all).sort()).toEqual([...sent].sort()); // every mention, once
    const seqs = all.map((x) => x.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y)); // one increasing sequence, no repeat
    expect(all.every((x) => x.epoch === ack.epoch)).toBe(true);
    second.close();
  }, 30_000);

  it('a client whose last seq was trimmed from the log (a quarter megabyte) is told to resync', async () => {
    const s = socketOn(a);
    const got: MentionBatch[] = [];
    s.on('mention.created', (x) => got.push(x));
    await connected(s);
    const ack = await join(s, { room: 'queue' });
    await a.ingest([rawMention(300)]);
    await waitFor(() => got.length === 1, 5000, 'one batch');
    s.close();
    // Away: more than the log's quarter megabyte, in messages of at most 16 KB.
    for (let i = 0; i < 3; i++) await b.ingest(Array.from({ length: 100 }, (_, k) => rawMention(400 + i * 100 + k, { text: `${'long complaint about a lost bag '.repeat(16)} ${k}` })));
    await pause(300);

    const back = socketOn(b);
    const m = meter(back);
    const reset = new Promise<SyncReset>((r) => back.on('sync.reset', r));
    const replayed: MentionBatch[] = [];
    back.on('mention.created', (x) => replayed.push(x));
    await connected(back);
    const ack2 = await join(back, { room: 'queue', epoch: ack.epoch, lastSeq: got[0]!.seq });
    expect((await reset).reason).toBe('too_far_behind');
    expect(replayed).toEqual([]);
    expect(ack2.replayed).toBe(0);
    expect(m.largest).toBeLessThan(16 * 1024);
    // Someone who left just now is still replayed, every message under the cap.
    const recent = socketOn(a);
    const m2 = meter(recent);
    const again: MentionBatch[] = [];
    recent.on('mention.created', (x) => again.push(x));
    await connected(recent);
    let atAck = -1;
    // Replayed entries come before the ack, live ones after.
    const ack3 = await join(recent, { room: 'queue', epoch: ack.epoch, lastSeq: ack2.seq - 5 }, () => (atAck = again.length));
    const from = ack2.seq - 5;
    expect(ack3.replayed).toBe(ack3.seq - from);
    expect(atAck).toBe(ack3.replayed);
    await pause(300);
    // Replay then live: one gapless run from the client's seq on.
    expect(again.map((x) => x.seq)).toEqual(Array.from({ length: again.length }, (_, i) => from + 1 + i));
    expect(m2.largest).toBeLessThanOrEqual(16 * 1024);
    back.close();
    recent.close();
  }, 60_000);
});
