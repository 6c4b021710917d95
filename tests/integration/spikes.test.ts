import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/log.js';
import type { Alert } from '../../shared/spikes.js';
import { createMemoryBus } from '../../server/bus/memory-bus.js';
import { checkSpikes } from '../../server/operations/spikes.js';
import { openTestStore, openTwoTestStores } from '../support/test-store.js';
import { makeNewMention } from '../support/fixtures.js';

describe('negative spikes raise alerts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-spike-'));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('alerts once for a brand whose negatives jump, names the topic and shows examples; other brands stay quiet', async () => {
    const store = await openTestStore(path.join(dir, 'h.sqlite'));
    const bus = createMemoryBus(silentLogger);
    const raised: Alert[] = [];
    bus.subscribe('alert.raised', (m) => raised.push(m.alert));
    const t0 = Date.parse('2026-11-24T00:00:00Z');
    let now = new Date(t0 + 12 * 3600_000);
    const deps = { store, bus, now: () => now, log: silentLogger };

    // Twelve hours of ordinary chatter: about one negative every ten minutes for each brand.
    const background = [];
    for (let m = 0; m < 12 * 60; m += 10) {
      for (const brand of ['Acme Air', 'Globex']) background.push(makeNewMention({ brand, label: 'negative', createdAt: new Date(t0 + m * 60_000).toISOString(), text: `meh, my seat was small ${m}` }));
    }
    await store.mentions.insertMany({ mentions: background });
    expect(await checkSpikes(deps)).toEqual([]);

    // Then, within five minutes, Acme Air's app goes down.
    const burst = Array.from({ length: 25 }, (_, i) =>
      makeNewMention({ brand: 'Acme Air', label: 'negative', priority: 50 + i, createdAt: new Date(now.getTime() - 4 * 60_000 + i * 5000).toISOString(), text: `@AcmeAir app down again, cannot check in #${i}` }),
    );
    await store.mentions.insertMany({ mentions: burst });
    const alerts = await checkSpikes(deps);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ brand: 'Acme Air', topic: 'app down' });
    // The shortest window that is sure fires first: the first minutes of the burst already are.
    expect(alerts[0]!.negatives).toBeGreaterThanOrEqual(8);
    expect(Date.parse(alerts[0]!.windowEnd) - Date.parse(alerts[0]!.windowStart)).toBeLessThanOrEqual(5 * 60_000);
    expect(alerts[0]!.baselineMean).toBeLessThan(alerts[0]!.negatives / 4);
    expect(alerts[0]!.exampleMentionIds).toHaveLength(5);
    expect(raised).toHaveLength(1);

    // The same spike a minute later is not a new alert.
    now = new Date(now.getTime() + 60_000);
    expect(await checkSpikes(deps)).toEqual([]);
    expect((await store.alerts.list({ limit: 10 })).map((a) => a.brand)).toEqual(['Acme Air']);
    await store.close();
  });

  it('alerts on a handful of posts sharing a new phrase before the volume is unusual, and not twice for the same topic', async () => {
    const store = await openTestStore(path.join(dir, 't.sqlite'));
    const bus = createMemoryBus(silentLogger);
    const t0 = Date.parse('2026-11-24T00:00:00Z');
    let now = new Date(t0 + 12 * 3600_000);
    const deps = { store, bus, now: () => now, log: silentLogger };
    const chatter = ['seat too small', 'coffee was cold', 'boarding was slow', 'delayed by ten minutes', 'rude gate agent', 'no legroom at all'];
    const background = [];
    for (let m = 0; m < 12 * 60; m += 4) background.push(makeNewMention({ brand: 'Acme Air', label: 'negative', createdAt: new Date(t0 + m * 60_000).toISOString(), text: `${chatter[m % chatter.length]} on my trip ${m}` }));
    await store.mentions.insertMany({ mentions: background });
    expect(await checkSpikes(deps)).toEqual([]);
    // On another brand with the same chatter, one angry account saying it six times is one voice: no alert.
    const quietBrand = background.map((m) => ({ ...m, externalId: `${m.externalId}-g`, brand: 'Globex Air' }));
    await store.mentions.insertMany({ mentions: quietBrand });
    const oneVoice = Array.from({ length: 6 }, (_, i) =>
      makeNewMention({ brand: 'Globex Air', label: 'negative', author: { id: null, handle: 'loud_larry', name: null, followers: 10, verified: false, url: null }, createdAt: new Date(now.getTime() - 150_000 + i * 25_000).toISOString(), text: `app down!!! ${i}` }),
    );
    await store.mentions.insertMany({ mentions: oneVoice });
    // Six people in three minutes: "the app is down". The volume alone (six in three minutes, about one expected) is no alarm.
    const burst = Array.from({ length: 6 }, (_, i) =>
      makeNewMention({ brand: 'Acme Air', label: 'negative', createdAt: new Date(now.getTime() - 150_000 + i * 25_000).toISOString(), text: ['App down??', 'is the app down for everyone', 'your app down again, cannot check in', 'app down. great.', 'App down since 9am', 'app down, help'][i]! }),
    );
    await store.mentions.insertMany({ mentions: burst });
    const [alert, ...more] = await checkSpikes(deps);
    expect(more).toEqual([]); // Globex Air's single voice raised nothing
    expect(alert).toMatchObject({ brand: 'Acme Air', topic: 'app down', negatives: 6 });
    expect(alert!.exampleMentionIds).toHaveLength(5);
    // An hour later it is still talked about: the same topic does not page again.
    now = new Date(now.getTime() + 60 * 60_000);
    await store.mentions.insertMany({
      mentions: Array.from({ length: 8 }, (_, i) => makeNewMention({ brand: 'Acme Air', label: 'negative', createdAt: new Date(now.getTime() - 120_000 + i * 15_000).toISOString(), text: `app down still ${i}` })),
    });
    expect((await checkSpikes(deps)).filter((a) => a.topic === 'app down')).toEqual([]);
    await store.close();
  });
});

describe('two runners checking spikes at the same moment', () => {
  it('raise one alert: the store refuses the second by its key, not a read before the write', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-spike2-'));
    const file = path.join(dir, 'h.sqlite');
    // Two processes: two connections to one SQLite file, or two to one MongoDB database.
    const { a, b, close } = await openTwoTestStores(file);
    try {
      const bus = createMemoryBus(silentLogger);
      const raised: Alert[] = [];
      bus.subscribe('alert.raised', (m) => raised.push(m.alert));
      const t0 = Date.parse('2026-11-24T00:00:00Z');
      const now = new Date(t0 + 12 * 3600_000);
      const background = [];
      for (let m = 0; m < 12 * 60; m += 10) background.push(makeNewMention({ brand: 'Acme Air', label: 'negative', createdAt: new Date(t0 + m * 60_000).toISOString(), text: `meh, my seat was small ${m}` }));
      const burst = Array.from({ length: 25 }, (_, i) => makeNewMention({ brand: 'Acme Air', label: 'negative', createdAt: new Date(now.getTime() - 4 * 60_000 + i * 5000).toISOString(), text: `app down again, cannot check in #${i}` }));
      await a.mentions.insertMany({ mentions: [...background, ...burst] });
      // Two processes, each with its own watcher, checking at once.
      const [x, y] = await Promise.all([checkSpikes({ store: a, bus, now: () => now, log: silentLogger }), checkSpikes({ store: b, bus, now: () => now, log: silentLogger })]);
      expect(x.length + y.length).toBe(1);
      expect(await a.alerts.list({ limit: 10 })).toHaveLength(1);
      expect(raised).toHaveLength(1);
    } finally {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
