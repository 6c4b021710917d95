import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION, type JoinAck, type MentionBatch, type SyncReset } from '../../shared/events.js';
import type { Role } from '../../shared/auth.js';
import { loadConfig } from '../../server/config.js';
import { startHark, type Hark } from '../../server/hark.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { ApiClient, rawMention, startHarness, waitFor, type Harness } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';

type ClientSocket = ReturnType<ApiClient['socket']>;
const connected = (s: ClientSocket) => new Promise<void>((resolve, reject) => {
  s.once('connect', () => resolve());
  s.once('connect_error', reject);
});
const closedByServer = (s: ClientSocket) => new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
const join = (s: ClientSocket, req: Parameters<ClientSocket['emit']>[1]) => new Promise<JoinAck>((resolve) => (s.emit as (...a: unknown[]) => void)('room.join', req, resolve));

async function makeUser(hark: Hark, role: Role, password = 'a-long-password') {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@test.hark`;
  const user = await hark.store.users.create({ email, name: `${role} user`, role, passwordHash: await hashPassword(password) });
  return { user, email, password };
}
async function login(url: string, email: string, password: string) {
  const c = new ApiClient(url);
  const res = await c.post('/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login ${res.status}`);
  return c;
}

describe('sockets: origin of the handshake (item 1)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ALLOWED_ORIGINS: 'https://hark.example.com' });
  });
  afterAll(() => h.close());

  for (const transport of ['websocket', 'polling'] as const) {
    it(`refuses a ${transport} handshake from another origin, accepts our own and configured ones`, async () => {
      const agent = await h.signIn('agent');
      const open = (origin: string) =>
        io(h.hark.url, { transports: [transport], auth: { protocol: PROTOCOL_VERSION }, extraHeaders: { cookie: agent.cookie, origin }, reconnection: false, forceNew: true });
      const evil = open('http://evil.example');
      await expect(connected(evil)).rejects.toBeTruthy();
      evil.close();
      for (const origin of [h.hark.url, 'https://hark.example.com']) {
        const ok = open(origin);
        await connected(ok);
        ok.close();
      }
    });
  }
});

describe('sockets end with their session; user changes reach them (item 2)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('a sign-out closes that session’s sockets at once, and nothing more arrives on them', async () => {
    const agent = await h.signIn('agent');
    const s = agent.socket();
    await connected(s);
    const got: MentionBatch[] = [];
    s.on('mention.created', (b) => got.push(b));
    await join(s, { room: 'queue' });
    const closed = closedByServer(s);
    expect((await agent.post('/api/auth/logout')).status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    await h.hark.ingest([rawMention(1)]);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(0);
  });

  it('revoking one session closes its sockets only; sign out everywhere closes all', async () => {
    const { email, password } = await makeUser(h.hark, 'agent');
    const [laptop, phone] = [await login(h.hark.url, email, password), await login(h.hark.url, email, password)];
    const [sl, sp] = [laptop.socket(), phone.socket()];
    await Promise.all([connected(sl), connected(sp)]);
    const sessions = (await laptop.get('/api/account/sessions')).body.items as Array<{ id: string; current: boolean }>;
    const phoneSession = sessions.find((x) => !x.current)!;
    const phoneClosed = closedByServer(sp);
    expect((await laptop.request('DELETE', `/api/account/sessions/${phoneSession.id}`)).status).toBe(204);
    expect(await phoneClosed).toBe('io server disconnect');
    await new Promise((r) => setTimeout(r, 100));
    expect(sl.connected).toBe(true);
    const laptopClosed = closedByServer(sl);
    expect((await laptop.post('/api/account/sign-out-everywhere')).status).toBe(200);
    expect(await laptopClosed).toBe('io server disconnect');
  });

  it('disabling a user closes their sockets and their new handshakes are refused', async () => {
    const admin = await h.signIn('admin');
    const { user, email, password } = await makeUser(h.hark, 'agent');
    const agent = await login(h.hark.url, email, password);
    const s = agent.socket();
    await connected(s);
    const closed = closedByServer(s);
    expect((await admin.post(`/api/users/${user.id}/disable`)).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    const again = agent.socket();
    await expect(connected(again)).rejects.toThrow(/unauthorized/);
    again.close();
  });

  it('a team change reaches open sockets: new team rooms joined, old ones left, no reconnect', async () => {
    const admin = await h.signIn('admin');
    const { user, email, password } = await makeUser(h.hark, 'agent');
    await h.hark.store.users.update({ id: user.id, patch: { teams: ['tier1'] } });
    const agent = await login(h.hark.url, email, password);
    const s = agent.socket();
    await connected(s);
    const notices: string[] = [];
    s.on('team.notice', (n) => notices.push(n.team));
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { teams: ['tier2'], role: 'manager' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    for (const team of ['tier1', 'tier2']) h.hark.bus.publish('team.notice', { team, message: 'x', caseId: null, at: new Date().toISOString() });
    await waitFor(() => notices.length > 0, 3000, 'notice');
    await new Promise((r) => setTimeout(r, 100));
    expect(notices).toEqual(['tier2']);
    expect(s.connected).toBe(true);
    s.close();
  });
});

describe('sockets end when their session expires', () => {
  let h: Harness;
  let offset = 0;
  beforeAll(async () => {
    h = await startHarness({ SESSION_TTL_HOURS: '0.01' }, { now: () => new Date(Date.now() + offset) });
  });
  afterAll(() => h.close());

  it('closes the socket at the session’s expiry', async () => {
    const agent = await h.signIn('agent'); // a 36-second session
    offset = 35_000; // 1 s before it ends
    const s = agent.socket();
    await connected(s);
    const closed = closedByServer(s);
    expect(await closed).toBe('io server disconnect');
  });
});

describe.skipIf(!redisAvailable())('sockets across API processes: the end travels over the Redis bus', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dataDir: string;
  let a: Hark;
  let b: Hark;
  beforeAll(async () => {
    redis = await startRedis();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-socksess-'));
    const env = { PORT: '0', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'silent', REDIS_URL: redis.url };
    a = await startHark(loadConfig(env), { role: 'api' });
    b = await startHark(loadConfig(env), { role: 'api' });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('signing out on one API process closes the socket held by another', async () => {
    const { email, password } = await makeUser(a, 'agent');
    const onA = await login(a.url, email, password);
    const socketOnB = new ApiClient(b.url);
    socketOnB.cookie = onA.cookie;
    const s = socketOnB.socket();
    await connected(s);
    const closed = closedByServer(s);
    expect((await onA.post('/api/auth/logout')).status).toBe(204);
    expect(await closed).toBe('io server disconnect');
  });

  it('counts failed sign-ins once for all API processes: guesses spread over two are slowed as soon as over one', async () => {
    const { email } = await makeUser(a, 'agent');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await new ApiClient((i % 2 ? b : a).url).post('/api/auth/login', { email, password: `guess-${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await new ApiClient(b.url).post('/api/auth/login', { email, password: 'guess-7' })).status).toBe(429);
  });

  it('disabling a user on one API process closes their sockets on the other', async () => {
    const admin = await makeUser(a, 'admin');
    const adminClient = await login(a.url, admin.email, admin.password);
    const { user, email, password } = await makeUser(a, 'agent');
    const s = (await login(b.url, email, password)).socket();
    await connected(s);
    const closed = closedByServer(s);
    expect((await adminClient.post(`/api/users/${user.id}/disable`)).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
  });
});

describe('per-socket caps (item 11)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ REALTIME_BATCH_MS: '10' });
  });
  afterAll(() => h.close());

  const ioRooms = () => [...h.hark.gateway!.io.sockets.adapter.rooms.keys()].filter((r) => r.startsWith('mention:'));

  it('caps the rooms one socket may join (presence rooms included) and frees them when it leaves', async () => {
    const agent = await h.signIn('agent');
    const s = agent.socket();
    await connected(s);
    const acks: JoinAck[] = [];
    for (let i = 1; i <= 100; i++) acks.push(await join(s, { room: `mention:${i}` }));
    expect(acks.filter((x) => x.ok).length).toBeLessThanOrEqual(32);
    expect(acks.at(-1)).toMatchObject({ ok: false, error: expect.stringMatching(/too_many_rooms/) });
    for (let i = 1000; i < 1100; i++) s.emit('presence.set', { room: `mention:${i}`, typing: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(ioRooms().length).toBeLessThanOrEqual(32);
    const viewer = (await h.signIn('agent')).socket();
    await connected(viewer);
    s.close();
    await waitFor(() => ioRooms().length === 0, 3000, 'rooms released');
    viewer.close();
  });

  it('a join with lastSeq 0 does not replay the whole buffer: the client is told to refetch', async () => {
    const agent = await h.signIn('agent');
    const first = agent.socket();
    await connected(first);
    const ack = await join(first, { room: 'queue' });
    first.close();
    const mention = (await h.hark.ingest([rawMention(1)])).stored[0]!;
    for (let i = 0; i < 230; i++) {
      h.hark.bus.publish('mentions.stored', { mentions: [mention] });
      await new Promise((r) => setTimeout(r, 15));
    }
    const s = agent.socket();
    await connected(s);
    let replayedEvents = 0;
    s.on('mention.created', () => replayedEvents++);
    const reset = new Promise<SyncReset>((resolve) => s.on('sync.reset', resolve));
    const ack2 = await join(s, { room: 'queue', epoch: ack.epoch, lastSeq: 0 });
    expect(ack2.seq).toBeGreaterThan(200);
    expect(ack2.replayed).toBe(0);
    expect((await reset).reason).toBe('too_far_behind');
    expect(replayedEvents).toBe(0);
    s.close();
  }, 30_000);
});
