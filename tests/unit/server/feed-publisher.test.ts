import { describe, expect, it } from 'vitest';
import type { Mention } from '../../../shared/mention.js';
import { createMemoryBus } from '../../../server/bus/memory-bus.js';
import { createLogger } from '../../../server/logger.js';
import { withFeedPublisher } from '../../../server/realtime/feed-publisher.js';
import { createMemoryReplayLog } from '../../../server/realtime/memory-replay-log.js';
import { importProgressReporter } from '../../../server/realtime/import-progress.js';
import type { ImportProgress } from '../../../shared/events.js';

const log = createLogger('silent');
const mention = (id: string, text = 'hello', version = 1) => ({ id, text, version }) as unknown as Mention;

describe('feed publisher (the producing side of the queue feed)', () => {
  const setup = (limits: Partial<{ maxMessageBytes: number; burstRate: number }> = {}) => {
    const replay = createMemoryReplayLog({ maxBytes: 10_000_000, maxEntries: 10_000 });
    const bus = withFeedPublisher(createMemoryBus(log), replay, { batchMs: 10_000, maxMessageBytes: 16 * 1024, burstRate: 10_000, ...limits }, log);
    const entries = async () => (await replay.readSince(0)).entries!.map((e) => ({ seq: e.seq, event: e.event, body: JSON.parse(e.payload) as Record<string, unknown> }));
    return { bus, entries };
  };

  it('appends one entry per window and kind; several changes to a mention go out once, as the latest', async () => {
    const { bus, entries } = setup();
    bus.publish('mentions.stored', { mentions: [mention('1'), mention('2')] });
    bus.publish('mentions.stored', { mentions: [mention('3')] });
    bus.publish('mentions.updated', { mentions: [mention('1', 'hello', 2)] });
    bus.publish('mentions.updated', { mentions: [mention('1', 'hello', 3)] });
    await bus.flush();
    const got = await entries();
    expect(got.map((e) => [e.seq, e.event])).toEqual([
      [1, 'mention.created'],
      [2, 'mention.updated'],
    ]);
    expect((got[0]!.body.mentions as Mention[]).map((m) => m.id)).toEqual(['1', '2', '3']);
    expect((got[1]!.body.mentions as Mention[]).map((m) => m.version)).toEqual([3]);
  });

  it('splits a window into entries under the message cap, and summarises a mention that alone is over it', async () => {
    const { bus, entries } = setup({ maxMessageBytes: 4096 });
    bus.publish('mentions.stored', { mentions: Array.from({ length: 40 }, (_, i) => mention(String(i), 'x'.repeat(300))) });
    bus.publish('mentions.stored', { mentions: [mention('huge', 'y'.repeat(10_000))] });
    await bus.flush();
    const got = await entries();
    const batches = got.filter((e) => e.event === 'mention.created');
    expect(batches.length).toBeGreaterThan(3);
    for (const b of batches) expect(JSON.stringify(b.body).length).toBeLessThan(4096 - 256);
    expect(batches.flatMap((b) => (b.body.mentions as Mention[]).map((m) => m.id))).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
    expect(got.at(-1)).toMatchObject({ event: 'mentions.summary', body: { kind: 'created', count: 1, reason: 'too_large' } });
  });

  it('past the burst rate, a window becomes "N new mentions"; the rate refills with time', async () => {
    const { bus, entries } = setup({ burstRate: 100 });
    bus.publish('mentions.stored', { mentions: Array.from({ length: 150 }, (_, i) => mention(String(i))) });
    await bus.flush();
    expect((await entries()).map((e) => [e.event, e.body.count])).toEqual([['mentions.summary', 150]]);
    await new Promise((r) => setTimeout(r, 300));
    bus.publish('mentions.stored', { mentions: [mention('a')] });
    await bus.flush();
    expect((await entries()).at(-1)).toMatchObject({ event: 'mention.created' });
  });

  it('still publishes mentions on the bus for other subscribers', async () => {
    const { bus } = setup();
    const seen: string[] = [];
    bus.subscribe('mentions.stored', ({ mentions }) => seen.push(...mentions.map((m) => m.id)));
    bus.publish('mentions.stored', { mentions: [mention('9')] });
    expect(seen).toEqual(['9']);
    await bus.close();
  });
});

describe('import progress reporter', () => {
  it('publishes at most once per interval while running, always at the end, with the rate so far', () => {
    let t = 0;
    const got: ImportProgress[] = [];
    const report = importProgressReporter({ publish: (_topic, p) => void got.push(p as ImportProgress) }, { importId: 'i1', by: null, platform: 'import' }, { everyMs: 1000, now: () => t });
    const tally = (n: number) => ({ received: n, stored: n - 1, duplicates: 0, rejected: 1, errors: [], ms: 0 });
    t = 100;
    report(tally(500), null);
    t = 600;
    report(tally(1000), null); // too soon
    t = 1200;
    report(tally(2000), null);
    t = 1300;
    report(tally(2100), { failed: null });
    expect(got.map((p) => [p.rows, p.done])).toEqual([
      [500, false],
      [2000, false],
      [2100, true],
    ]);
    expect(got.at(-1)).toMatchObject({ importId: 'i1', stored: 2099, errors: 1, rate: 1615, failed: null, ms: 1300 });
  });
});
