import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type JoinAck, type MentionBatch, type SyncReset } from '../../shared/events.js';
import { ApiClient, rawMention, startHarness, waitFor, type Harness } from '../support/harness.js';

describe('realtime gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ REALTIME_BATCH_MS: '100' });
  });
  afterAll(() => h.close());

  const join = (s: ReturnType<ApiClient['socket']>, req: Parameters<typeof s.emit<'room.join'>>[1]) =>
    new Promise<JoinAck>((resolve) => s.emit('room.join', req, resolve));

  it('refuses a socket without a session', async () => {
    const s = new ApiClient(h.hark.url).socket();
    const err = await new Promise<Error>((resolve) => s.on('connect_error', resolve));
    expect(err.message).toBe('unauthorized');
    s.close();
  });

  it('streams stored mentions to the queue room in batches, numbered', async () => {
    const agent = await h.signIn('agent');
    const s = agent.socket();
    const batches: MentionBatch[] = [];
    s.on('mention.created', (b) => batches.push(b));
    const ack = await join(s, { room: 'queue' });
    expect(ack).toMatchObject({ ok: true, protocol: PROTOCOL_VERSION });
    // Three ingests inside one flush window arrive as one batch, not three emits
    // (run together, so the window holds them whatever the store's round-trip time).
    await Promise.all([h.hark.ingest([rawMention(1), rawMention(2)]), h.hark.ingest([rawMention(3)]), h.hark.ingest([rawMention(4)])]);
    await waitFor(() => batches.reduce((n, b) => n + b.mentions.length, 0) === 4, 3000, 'four mentions');
    expect(batches.length).toBeLessThan(3);
    expect(batches[0]!.seq).toBe(ack.seq + 1);
    expect(batches[0]!.mentions[0]!.scores.priority).toBeDefined();
    s.close();
  });

  it('rejects a malformed join with an error in the ack', async () => {
    const agent = await h.signIn('agent');
    const s = agent.socket();
    const ack = await join(s, { room: 'kitchen' } as never);
    expect(ack.ok).toBe(false);
    expect(ack.error).toBeTruthy();
    s.close();
  });

  it('replays exactly what a reconnecting client missed: no gap, no duplicate', async () => {
    const agent = await h.signIn('agent');
    const first = agent.socket();
    const seen: MentionBatch[] = [];
    first.on('mention.created', (b) => seen.push(b));
    const ack = await join(first, { room: 'queue' });
    await h.hark.ingest([rawMention(10)]);
    await waitFor(() => seen.length === 1, 3000, 'first batch');
    first.close();

    // While away: three more flushes.
    for (const i of [11, 12, 13]) {
      await h.hark.ingest([rawMention(i)]);
      await new Promise((r) => setTimeout(r, 150));
    }

    const second = agent.socket();
    const replayed: MentionBatch[] = [];
    second.on('mention.created', (b) => replayed.push(b));
    const ack2 = await join(second, { room: 'queue', epoch: ack.epoch, lastSeq: seen[0]!.seq });
    expect(ack2.replayed).toBe(3);
    expect(replayed.map((b) => b.seq)).toEqual([seen[0]!.seq + 1, seen[0]!.seq + 2, seen[0]!.seq + 3]);
    expect(replayed.flatMap((b) => b.mentions.map((m) => m.text.split(' ').pop()))).toEqual(['11', '12', '13']);
    await h.hark.ingest([rawMention(14)]);
    await waitFor(() => replayed.length === 4, 3000, 'live batch after replay');
    expect(replayed[3]!.seq).toBe(ack2.seq + 1);
    second.close();
  });

  it('tells a client from another server life to refetch', async () => {
    const agent = await h.signIn('agent');
    const s = agent.socket();
    const reset = new Promise<SyncReset>((resolve) => s.on('sync.reset', resolve));
    await join(s, { room: 'queue', epoch: 'some-old-epoch', lastSeq: 3 });
    expect((await reset).reason).toBe('epoch_changed');
    s.close();
  });

  it('sends wall ticks with rollups to the wall room', async () => {
    const agent = await h.signIn('agent');
    await h.hark.ingest([rawMention(20, { createdAt: new Date().toISOString() })]);
    const s = agent.socket();
    const tick = new Promise<{ buckets: unknown[] }>((resolve) => s.on('wall.tick', resolve));
    await join(s, { room: 'wall' });
    const t = await tick;
    expect(t.buckets.length).toBeGreaterThan(0);
    s.close();
  }, 10_000);
});

describe('presence and team notices', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('shows who else views or types in a mention, once per user, and forgets them when they leave', async () => {
    const [a, b] = [await h.signIn('agent'), await h.signIn('agent')];
    const [sa, sb] = [a.socket(), b.socket()];
    const seen: Array<{ room: string; viewers: Array<{ name: string; typing: boolean }> }> = [];
    sa.on('presence.update', (p) => seen.push(p));
    sa.emit('presence.set', { room: 'mention:7', typing: false });
    await waitFor(() => seen.length >= 1, 3000, 'own presence');
    sb.emit('presence.set', { room: 'mention:7', typing: true });
    const both = await waitFor(() => seen.find((p) => p.viewers.length === 2), 3000, 'two viewers');
    expect(both.viewers.filter((v) => v.typing)).toHaveLength(1);
    sb.close();
    await waitFor(() => seen.at(-1)!.viewers.length === 1, 3000, 'b left');
    sa.close();
  });

  it('sends team notices only to members of that team', async () => {
    const member = await h.signIn('agent');
    const other = await h.signIn('agent');
    const me = (await member.get('/api/auth/me')).body.user;
    const admin = await h.signIn('admin');
    await admin.request('PATCH', `/api/users/${me.id}`, { teams: ['tier2'] });
    const [sm, so] = [member.socket(), other.socket()];
    const got: string[] = [];
    sm.on('team.notice', (n) => got.push(`m:${n.message}`));
    so.on('team.notice', (n) => got.push(`o:${n.message}`));
    await Promise.all([new Promise<void>((r) => sm.on('connect', () => r())), new Promise<void>((r) => so.on('connect', () => r()))]);
    h.hark.bus.publish('team.notice', { team: 'tier2', message: 'HK-1 breached', caseId: '1', at: new Date().toISOString() });
    await waitFor(() => got.length > 0, 3000, 'notice');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['m:HK-1 breached']);
    sm.close();
    so.close();
  });
});
