import { BrandRoles } from '../../shared/brand-roles.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../shared/log.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { createMemoryBus } from '../../server/bus/memory-bus.js';
import { openMongoStore } from '../../server/store/mongo/mongo-store.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { dropMongoDatabase } from '../support/mongo.js';
import { generateMentions } from '../../connectors/demo/index.js';
import { createScorer } from '../../workers/nlp/index.js';
import { loadConfig } from '../../server/config.js';
import { createIngestPath } from '../../server/ingest-path.js';
import { loadDevMentions } from './dev-texts.js';

export interface PipelineResult {
  /** Scoring threads (PIPELINE_THREADS); 1: in the pipeline's thread. */
  threads: number;
  source: string;
  distinctTexts: number;
  mentions: number;
  seconds: number;
  perSecond: number;
  scoreOnlyPerSecond: number;
  batchSize: number;
}

/**
 * Full pipeline (normalize → dedupe → score → persist to a SQLite file, or to
 * MongoDB with `mongoUri` → publish) in one process, through the ingest path an
 * import uses (server/ingest-path.ts): with `threads` > 1 scoring runs in that
 * many worker threads and two batches are in flight (one scored while the
 * previous one is written), as in `npm run hark -- import`. The threads start
 * before the clock (a server starts them once).
 */
export async function benchPipeline(opts: { total: number; batchSize: number; mongoUri?: string; threads?: number }): Promise<PipelineResult> {
  const threads = opts.threads ?? 1;
  let base: RawMention[] = await loadDevMentions();
  let source = 'real posts from ../shared/data';
  if (base.length === 0) {
    base = generateMentions(20_000, { brands: ['Acme Air', 'Nimbus Mobile'], seed: 7 });
    source = 'simulator (../shared/data absent)';
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-bench-pipe-'));
  const store = opts.mongoUri ? await openMongoStore({ uri: opts.mongoUri }) : openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
  const brands = ['united', 'AmericanAir', 'JetBlue', 'SouthwestAir', 'USAirways', 'VirginAmerica'];
  const scorer = createScorer({ brands });
  const bus = createMemoryBus(silentLogger);
  let delivered = 0;
  bus.subscribe('mentions.stored', ({ mentions }) => (delivered += mentions.length));

  // Score-only figure: the CPU-bound share of the pipeline.
  const sample = base.slice(0, 20_000);
  const t0 = performance.now();
  for (const m of sample) scorer.score({ text: m.text, lang: m.lang ?? null, author: { id: null, handle: 'x', name: null, followers: 100, verified: false, url: null }, engagement: { likes: 0, reposts: 0, replies: 0 }, brand: null });
  const scoreOnlyPerSecond = sample.length / ((performance.now() - t0) / 1000);

  const config = loadConfig({ PIPELINE_THREADS: String(threads), PIPELINE_BATCH_SIZE: String(opts.batchSize), SIMULATOR: 'off', DATA_DIR: dir });
  const path_ = await createIngestPath({ store, config, net: { brands: async () => brands, brandRoles: async () => new BrandRoles() }, bus, now: () => new Date(), log: silentLogger, writeChunk: Number.POSITIVE_INFINITY });
  // Every thread loaded and warm before the clock, as in a running server (a chunk each at least).
  if (threads > 1) await path_.ingest(base.slice(0, 64 * threads).map((m, i) => ({ ...m, externalId: `warm-up-${i}` })));
  delivered = 0;
  const ingest = path_.sequence();
  const started = performance.now();
  let stored = 0;
  const inFlight: Array<Promise<{ stored: unknown[] }>> = [];
  for (let done = 0; done < opts.total; done += opts.batchSize) {
    const batch: RawMention[] = [];
    for (let i = done; i < Math.min(opts.total, done + opts.batchSize); i++) {
      const m = base[i % base.length]!;
      batch.push({ ...m, externalId: `${m.externalId}#${Math.floor(i / base.length)}` });
    }
    inFlight.push(ingest(batch));
    if (inFlight.length >= path_.window) stored += (await inFlight.shift()!).stored.length;
  }
  for (const p of inFlight) stored += (await p).stored.length;
  const seconds = (performance.now() - started) / 1000;
  await path_.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (opts.mongoUri) await dropMongoDatabase(opts.mongoUri);
  if (stored !== opts.total || delivered !== opts.total) throw new Error(`pipeline lost mentions: stored ${stored}, published ${delivered}, sent ${opts.total}`);
  return { threads, source, distinctTexts: base.length, mentions: opts.total, seconds, perSecond: opts.total / seconds, scoreOnlyPerSecond, batchSize: opts.batchSize };
}
