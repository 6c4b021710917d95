import Database from 'better-sqlite3';
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { MentionQuerySchema } from '../../shared/mention-query.js';
import { spawnHark } from '../support/spawn-hark.js';
import { BANDS, seededSearchDb } from './search-seed.js';
import { summarize } from './stats.js';

export interface SearchBenchResult {
  stored: number;
  seedSeconds: number | null;
  dataDir: string;
  alone: Array<{ word: string; share: number; matches: number; p50: number; p95: number; partial: number; n: number; oldPlanMs: number; cpuP50: number }>;
  queueAlone: { p50: number; p95: number; n: number };
  loaded: { seconds: number; rate: number; searches: Array<{ word: string; p50: number; p95: number; n: number }>; all: { p50: number; p95: number; n: number }; queue: { p50: number; p95: number; p99: number; n: number } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Single-word searches of every frequency band against the real server on a
 * seeded database: alone, then at `rate` searches/s (open loop, not waiting for
 * answers) while one client loads the plain queue page over and over.
 */
export async function benchSearch(opts: { count: number; perWord: number; loadSeconds: number; rate: number; log?: (s: string) => void }): Promise<SearchBenchResult> {
  const log = opts.log ?? (() => undefined);
  const { dir, seedSeconds } = await seededSearchDb(opts.count, log);
  log(`search db ${dir}${seedSeconds === null ? ' (cached)' : ` seeded in ${seedSeconds.toFixed(0)} s`}`);

  // Before: the plan this replaced (every match looked up and sorted), timed in process for the ratio.
  const db = new Database(path.join(dir, 'hark.sqlite'), { readonly: true });
  const old = db.prepare('SELECT id, status, version, doc, priority, created_at FROM mentions WHERE id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?) ORDER BY priority DESC, created_at DESC, id DESC LIMIT 51');
  const countAll = db.prepare('SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH ?').pluck();
  const before = new Map<string, { matches: number; ms: number }>();
  for (const b of BANDS) {
    const t = performance.now();
    old.all(`"${b.word}"`);
    before.set(b.word, { matches: countAll.get(`"${b.word}"`) as number, ms: performance.now() - t });
  }
  db.close();

  // CPU time of one search in process (user + system), which a loaded machine inflates far less than wall time.
  const cpu = new Map<string, number>();
  const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
  for (const b of BANDS) {
    const q = MentionQuerySchema.parse({ q: b.word, limit: 50 });
    await store.mentions.list(q);
    const samples: number[] = [];
    for (let i = 0; i < 15; i++) {
      const c = process.cpuUsage();
      await store.mentions.list(q);
      const d = process.cpuUsage(c);
      samples.push((d.user + d.system) / 1000);
    }
    cpu.set(b.word, summarize(samples).p50);
  }
  await store.close();

  const proc = await spawnHark({ DATA_DIR: dir, SIMULATOR: 'off', HARK_ADMIN_EMAIL: 'bench@hark.local', HARK_ADMIN_PASSWORD: 'bench-password', LOG_LEVEL: 'error' });
  try {
    const login = await fetch(`${proc.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@hark.local', password: 'bench-password' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const timed = async (qs: string) => {
      const t = performance.now();
      const res = await fetch(`${proc.url}/api/mentions?${qs}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`${qs}: HTTP ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { items: unknown[]; partial?: boolean };
      return { ms: performance.now() - t, items: body.items.length, partial: body.partial === true };
    };

    const alone: SearchBenchResult['alone'] = [];
    for (const b of BANDS) {
      for (let i = 0; i < 3; i++) await timed(`limit=50&q=${b.word}`);
      const samples: number[] = [];
      let partial = 0;
      for (let i = 0; i < opts.perWord; i++) {
        const r = await timed(`limit=50&q=${b.word}`);
        samples.push(r.ms);
        if (r.partial) partial++;
      }
      const s = summarize(samples);
      alone.push({ word: b.word, share: b.share, matches: before.get(b.word)!.matches, p50: s.p50, p95: s.p95, partial, n: s.n, oldPlanMs: before.get(b.word)!.ms, cpuP50: cpu.get(b.word)! });
      log(`search alone ${b.word}: p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`);
    }

    const queueSamples: number[] = [];
    for (let i = 0; i < 10; i++) await timed('limit=50');
    for (let i = 0; i < opts.perWord * 2; i++) queueSamples.push((await timed('limit=50')).ms);
    const queueAlone = summarize(queueSamples);

    // Under load: `rate` searches a second, cycling through the bands, never waiting for an answer.
    const bySearch = new Map<string, number[]>(BANDS.map((b) => [b.word, []]));
    const inFlight: Promise<void>[] = [];
    const pageSamples: number[] = [];
    const end = performance.now() + opts.loadSeconds * 1000;
    let k = 0;
    const fire = (async () => {
      const start = performance.now();
      while (performance.now() < end) {
        const word = BANDS[k % BANDS.length]!.word;
        inFlight.push(timed(`limit=50&q=${word}`).then((r) => void bySearch.get(word)!.push(r.ms)));
        k++;
        await sleep(Math.max(0, start + (k * 1000) / opts.rate - performance.now()));
      }
    })();
    while (performance.now() < end) {
      pageSamples.push((await timed('limit=50')).ms);
      await sleep(20);
    }
    await fire;
    await Promise.all(inFlight);
    const allSearches = [...bySearch.values()].flat();
    return {
      stored: opts.count,
      seedSeconds,
      dataDir: dir,
      alone,
      queueAlone: { p50: queueAlone.p50, p95: queueAlone.p95, n: queueAlone.n },
      loaded: {
        seconds: opts.loadSeconds,
        rate: opts.rate,
        searches: BANDS.map((b) => ({ word: b.word, ...summarize(bySearch.get(b.word)!) })),
        all: summarize(allSearches),
        queue: summarize(pageSamples),
      },
    };
  } finally {
    await proc.stop();
  }
}
