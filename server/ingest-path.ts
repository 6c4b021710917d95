import type { Logger } from '../shared/log.js';
import type { EventBus } from '../shared/queues.js';
import type { RawMention } from '../shared/raw-mention.js';
import type { Store } from '../shared/store.js';
import { createScorer, type LearnedModels, type Scorer } from '../workers/nlp/index.js';
import { scoreBatch, storeScored, type IngestDeps, type IngestReport } from '../workers/pipeline/run-ingest.js';
import { createScorePool, type LearnedFeed } from '../workers/pipeline/score-pool.js';
import { WRITE_CHUNK } from '../workers/pipeline/persist.js';
import type { Config } from './config.js';
import type { NetworkConfig } from './connectors/network-config.js';
import { routingContextFrom } from './routing/routing-context.js';
import { createInvestigationAttacher } from './operations/investigations.js';

/**
 * The one way mentions enter Hark, for the server's queue, `POST /api/import`
 * and `npm run hark -- import` alike: normalize → dedupe → score (with the
 * brands' learned models) → route → persist → publish, with the brand words
 * of the listening queries (and of the demo simulator only while it runs).
 * With PIPELINE_THREADS > 1 scoring runs in a pool of worker threads, which
 * get the same brand words and learned models as this thread would use.
 */
export async function createIngestPath(deps: {
  store: Store;
  config: Readonly<Config>;
  net: Pick<NetworkConfig, 'brands' | 'brandRoles'>;
  bus: Pick<EventBus, 'publish'>;
  now: () => Date;
  log: Logger;
  learned?: { modelsFor(brand: string | null): LearnedModels } & LearnedFeed;
  /** Mentions per write; default WRITE_CHUNK (a process serving requests). The CLI writes whole batches. */
  writeChunk?: number;
}) {
  const { store, config } = deps;
  const routing = routingContextFrom(store);
  const attach = createInvestigationAttacher({ store, now: deps.now, log: deps.log });
  const brandsNow = async () => [...new Set([...(await deps.net.brands()), ...(config.simulator.enabled ? config.simulator.brands : [])])];
  let brands = await brandsNow();
  let roles = await deps.net.brandRoles();
  const learned = deps.learned ? { learned: (brand: string | null) => deps.learned!.modelsFor(brand) } : {};
  // Built on first use only when a pool scores: then this thread scores only what threads could not.
  let local: Scorer | null = null;
  const localScorer = (): Scorer => (local ??= createScorer({ brands, ...learned }));
  const log = deps.log.child({ part: 'pipeline' });
  const pool =
    config.pipelineThreads > 1
      ? createScorePool({
          threads: config.pipelineThreads,
          brands: () => brands,
          ...(deps.learned ? { learned: deps.learned } : {}),
          inProcess: async () => ({ score: (input) => localScorer().score(input) }),
          log,
        })
      : null;
  log.info(pool ? 'scoring in a pool of threads' : 'scoring in the main thread', { threads: pool?.size ?? 1 });
  const ingestDeps = (on: Pick<EventBus, 'publish'>): IngestDeps => ({ mentions: store.mentions, reports: store.reports, scorer: pool ?? localScorer(), bus: on, now: deps.now, log, routing, brandRoles: () => roles, afterStore: attach, writeChunk: deps.writeChunk ?? WRITE_CHUNK });
  return {
    /** `on` replaces the bus for this batch (an upload publishes its progress, not each mention). */
    ingest: async (batch: readonly unknown[], on: Pick<EventBus, 'publish'> = deps.bus): Promise<IngestReport> => {
      const d = ingestDeps(on);
      return storeScored(await scoreBatch(batch, d), d);
    },
    /**
     * For one import: each batch handed over is scored at once (in the pool, while
     * the previous batch is being written), and stored strictly after the batch
     * handed over before it, so the import's mentions keep their order.
     */
    sequence(on: Pick<EventBus, 'publish'> = deps.bus): (batch: readonly unknown[]) => Promise<IngestReport> {
      let previous: Promise<unknown> = Promise.resolve();
      return (batch) => {
        const d = ingestDeps(on);
        const scored = scoreBatch(batch, d);
        const stored = Promise.allSettled([previous, scored]).then(async () => storeScored(await scored, d));
        previous = stored.catch(() => undefined);
        return stored;
      };
    },
    /** Batches an import keeps in flight: one being written while the next is scored (only a pool scores elsewhere). */
    window: pool ? 2 : 1,
    /** An investigation case was opened or closed (heard on the bus): the pipeline re-reads which topics to attach. */
    investigationsChanged: () => attach.changed(),
    /** Mentions per batch when a file is imported. */
    batchSize: config.pipelineBatchSize,
    threads: pool?.size ?? 1,
    /** The live scoring threads (health, tests). */
    scoringThreads: () => pool?.threads() ?? [],
    brands: () => brands,
    /** After managers edit the listening queries (here or, through the bus, in another process). */
    async reloadBrands() {
      const next = await brandsNow();
      roles = await deps.net.brandRoles();
      if (next.join('\u0000') === brands.join('\u0000')) return;
      // A new array: the pool compares it to what each thread was sent.
      brands = next;
      if (local) local = createScorer({ brands, ...learned });
    },
    /** Starts the scoring threads now (they start at the first batch otherwise). */
    warm: () => pool?.warm(),
    /** Ends the scoring threads (after the queue drained). */
    close: async () => pool?.close(),
  };
}
export type IngestPath = Awaited<ReturnType<typeof createIngestPath>>;
export type Ingest = (batch: RawMention[]) => Promise<IngestReport>;
