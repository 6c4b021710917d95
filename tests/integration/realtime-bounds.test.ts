import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_MISMATCH, PROTOCOL_VERSION, type ImportProgress, type JoinAck, type MentionBatch, type MentionSummary } from '../../shared/events.js';
import { rawMention, startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';
import { meter } from '../support/socket-meter.js';

type Sock = ReturnType<ApiClient['socket']>;
const join = (s: Sock, room: 'queue' | 'imports') => new Promise<JoinAck>((resolve) => s.emit('room.join', { room }, resolve));
const connected = (s: Sock) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
    s.connect();
  });
const refusal = (s: Sock) => new Promise<Error & { data?: unknown }>((resolve) => s.once('connect_error', resolve));

describe('realtime: protocol and bounds', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ REALTIME_BATCH_MS: '50', REALTIME_BURST_RATE: '500' });
  });
  afterAll(() => h.close());

  it('refuses a client of another protocol (or of none) with an event telling it to reload', async () => {
    const agent = await h.signIn('agent');
    for (const protocol of [PROTOCOL_VERSION - 1, PROTOCOL_VERSION + 1, null]) {
      const s = agent.socket({ protocol });
      const err = await refusal(s);
      expect(err.message).toBe(PROTOCOL_MISMATCH);
      expect(err.data).toEqual({ server: PROTOCOL_VERSION, client: protocol, action: 'reload' });
      expect(s.connected).toBe(false);
      s.close();
    }
    const ok = agent.socket({ autoConnect: false });
    await connected(ok);
    ok.close();
  });

  it('an import of 20,000 rows over HTTP reaches a queue socket as progress, in well under a megabyte', async () => {
    const [agent, manager] = [await h.signIn('agent'), await h.signIn('manager')];
    const queue = agent.socket({ autoConnect: false });
    const wire = meter(queue);
    const progress: ImportProgress[] = [];
    const created: MentionBatch[] = [];
    queue.on('import.progress', (p) => progress.push(p));
    queue.on('mention.created', (b) => created.push(b));
    await connected(queue);
    await join(queue, 'queue');
    const page = manager.socket({ autoConnect: false });
    const mine: ImportProgress[] = [];
    page.on('import.progress', (p) => mine.push(p));
    await connected(page);
    await join(page, 'imports');

    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: `imp-${i}`, text: `Bag lost on flight ${i}, nobody answers the phone`, author: `flyer${i % 500}`, author_followers: i % 3000 }));
    lines[77] = '{"id": "broken", "text": '; // one bad row: counted as an error, the rest goes on
    const res = await manager.post('/api/import?format=jsonl&id=big-import', lines.join('\n') + '\n');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 20_000, stored: 19_999, rejected: 1 });
    const done = await waitFor(() => progress.find((p) => p.done), 5000, 'the final import.progress');
    expect(done).toMatchObject({ importId: 'big-import', rows: 20_000, stored: 19_999, errors: 1, done: true, failed: null, platform: 'import' });
    expect(done.rate).toBeGreaterThan(0);
    expect(done.by?.name).toMatch(/manager/);
    await waitFor(() => mine.some((p) => p.done && p.importId === 'big-import'), 5000, 'progress on the import page');
    await new Promise((r) => setTimeout(r, 300));
    expect(created.flatMap((b) => b.mentions)).toEqual([]); // not one by one
    expect(wire.bytes).toBeLessThan(1024 * 1024);
    expect(wire.bytes).toBeLessThan(64 * 1024); // measured: a few KB of progress events
    expect(wire.largest).toBeLessThan(256 * 1024);
    queue.close();
    page.close();
  }, 120_000);

  it('a burst past the rate reaches the queue as "N new mentions", never as a message over the cap', async () => {
    const agent = await h.signIn('agent');
    const s = agent.socket({ autoConnect: false });
    const wire = meter(s);
    const summaries: MentionSummary[] = [];
    const created: MentionBatch[] = [];
    s.on('mentions.summary', (x) => summaries.push(x));
    s.on('mention.created', (b) => created.push(b));
    await connected(s);
    const ack = await join(s, 'queue');
    await h.hark.ingest(Array.from({ length: 2000 }, (_, i) => rawMention(5000 + i)));
    const sum = await waitFor(() => summaries[0], 5000, 'a summary');
    expect(sum).toMatchObject({ kind: 'created', count: 2000, reason: 'burst', epoch: ack.epoch });
    expect(sum.seq).toBeGreaterThan(ack.seq);
    expect(created).toEqual([]);
    expect(wire.largest).toBeLessThan(256 * 1024);
    // Once the burst is over, mentions flow one batch at a time again.
    await new Promise((r) => setTimeout(r, 1100));
    await h.hark.ingest([rawMention(9001)]);
    await waitFor(() => created.length === 1, 5000, 'a normal batch after the burst');
    expect(created[0]!.seq).toBe(sum.seq + 1);
    s.close();
  }, 30_000);
});

describe('realtime: a batch larger than one message', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ REALTIME_BATCH_MS: '50', REALTIME_MAX_MESSAGE_KB: '16', REALTIME_BURST_RATE: '100000' });
  });
  afterAll(() => h.close());

  it('is split into numbered messages under the cap, every mention once', async () => {
    const agent = await h.signIn('agent');
    const s = agent.socket({ autoConnect: false });
    const wire = meter(s);
    const created: MentionBatch[] = [];
    s.on('mention.created', (b) => created.push(b));
    await connected(s);
    const ack = await join(s, 'queue');
    await h.hark.ingest(Array.from({ length: 300 }, (_, i) => rawMention(i)));
    await waitFor(() => created.reduce((n, b) => n + b.mentions.length, 0) >= 300, 5000, '300 mentions');
    expect(created.length).toBeGreaterThan(3);
    expect(created.map((b) => b.seq)).toEqual(created.map((_, i) => ack.seq + 1 + i));
    expect(new Set(created.flatMap((b) => b.mentions.map((m) => m.id))).size).toBe(300);
    expect(wire.largest).toBeLessThanOrEqual(16 * 1024);
    s.close();
  }, 30_000);
});
