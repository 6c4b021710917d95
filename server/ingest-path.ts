import type { Logger } from '../shared/log.js';
import type { EventBus } from '../shared/queues.js';
import type { RawMention } from '../shared/raw-mention.js';
import type { Store } from '../shared/store.js';
import { createScorer, type LearnedModels } from '../workers/nlp/index.js';
import { runIngest, type IngestReport } from '../workers/pipeline/run-ingest.js';
import type { Config } from './config.js';
import type { NetworkConfig } from './connectors/network-config.js';
import { routingContextFrom } from './routing/routing-context.js';

/**
 * The one way mentions enter Hark, for the server's queue, `POST /api/import`
 * and `npm run hark -- import` alike: normalize → dedupe → score (with the
 * brands' learned models) → route → persist → publish, with the brand words
 * of the listening queries (and of the demo simulator only while it runs).
 */
export async function createIngestPath(deps: {
  store: Store;
  config: Readonly<Config>;
  net: Pick<NetworkConfig, 'brands'>;
  bus: Pick<EventBus, 'publish'>;
  now: () => Date;
  log: Logger;
  learned?: (brand: string | null) => LearnedModels;
}) {
  const { store, config } = deps;
  const routing = routingContextFrom(store);
  const brandsNow = async () => [...new Set([...(await deps.net.brands()), ...(config.simulator.enabled ? config.simulator.brands : [])])];
  let brands = await brandsNow();
  let scorer = createScorer({ brands, ...(deps.learned ? { learned: deps.learned } : {}) });
  const log = deps.log.child({ part: 'pipeline' });
  return {
    /** `on` replaces the bus for this batch (an upload publishes its progress, not each mention). */
    ingest: (batch: readonly unknown[], on: Pick<EventBus, 'publish'> = deps.bus): Promise<IngestReport> => runIngest(batch, { mentions: store.mentions, reports: store.reports, scorer, bus: on, now: deps.now, log, routing }),
    /** Mentions per batch when a file is imported. */
    batchSize: config.pipelineBatchSize,
    brands: () => brands,
    /** After managers edit the listening queries (here or, through the bus, in another process). */
    async reloadBrands() {
      const next = await brandsNow();
      if (next.join('\u0000') === brands.join('\u0000')) return;
      brands = next;
      scorer = createScorer({ brands, ...(deps.learned ? { learned: deps.learned } : {}) });
    },
  };
}
export type IngestPath = Awaited<ReturnType<typeof createIngestPath>>;
export type Ingest = (batch: RawMention[]) => Promise<IngestReport>;
