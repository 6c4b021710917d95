import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NewMention } from '../../shared/mention.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { syntheticMentions } from './queue-page.js';

/**
 * Words planted in a known share of rows, so every frequency band has a query
 * whose match count is known exactly. Each is drawn independently per row.
 */
export const BANDS: Array<{ word: string; share: number }> = [
  { word: 'zbandtenth', share: 0.001 },
  { word: 'zbandone', share: 0.01 },
  { word: 'zbandten', share: 0.1 },
  { word: 'zbandquarter', share: 0.25 },
  { word: 'zbandhalf', share: 0.5 },
];

const BASE_TEXTS = [
  'Flight delayed again, no refund in sight',
  'Love the new app, check-in took a minute',
  'How do I reset my password for the lounge?',
  'Lost luggage at the airport, nobody answers',
  'Crew was kind, seat was broken',
  'Booked a trip to Lisbon, fingers crossed',
  'Why is the wifi so slow on board',
  'Thanks for the upgrade, great service',
];

/** Mentions with the band words planted; deterministic. */
export function* bandMentions(count: number): Generator<NewMention> {
  // Independent of the generator's own LCG (whose draws line up with priority and time).
  let seed = 0x9e3779b9;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (const m of syntheticMentions(count, BASE_TEXTS, Date.UTC(2026, 11, 1))) {
    const words = BANDS.filter((b) => rnd() < b.share).map((b) => b.word);
    yield { ...m, text: words.length ? `${m.text} ${words.join(' ')}` : m.text };
  }
}

/**
 * A seeded database file for `count` mentions, reused from the tmp dir when a
 * previous run left it (seeding 1M rows takes minutes). Seeded through the store
 * in batches, as the pipeline writes.
 */
export async function seededSearchDb(count: number, log: (s: string) => void = () => {}): Promise<{ dir: string; seedSeconds: number | null }> {
  const dir = path.join(os.tmpdir(), `hark-bench-search-${count}-v2`);
  const done = path.join(dir, 'seeded');
  if (fs.existsSync(done)) return { dir, seedSeconds: null };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
  const t0 = performance.now();
  let batch: NewMention[] = [];
  let n = 0;
  for (const m of bandMentions(count)) {
    batch.push(m);
    if (batch.length === 5000) {
      await store.mentions.insertMany({ mentions: batch });
      n += batch.length;
      batch = [];
      if (n % 100_000 === 0) log(`seeded ${n.toLocaleString('en')}`);
    }
  }
  if (batch.length) await store.mentions.insertMany({ mentions: batch });
  // A search indexes whatever is pending first; doing it now keeps that out of the timings.
  await store.mentions.list({ q: BANDS[0]!.word, sort: 'priority', limit: 1 });
  await store.scrub();
  const seedSeconds = (performance.now() - t0) / 1000;
  await store.close();
  fs.writeFileSync(done, new Date().toISOString());
  return { dir, seedSeconds };
}
