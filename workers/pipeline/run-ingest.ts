import type { Logger } from '../../shared/log.js';
import type { Mention } from '../../shared/mention.js';
import type { EventBus } from '../../shared/queues.js';
import type { MentionStore, ReportStore } from '../../shared/store.js';
import type { Scorer } from '../nlp/index.js';
import { dedupe } from './dedupe.js';
import { normalize, type Rejected } from './normalize.js';
import { persist } from './persist.js';
import { recordFeedback } from './feedback.js';
import { route, type RoutingContext } from './route.js';
import { score } from './score.js';

export interface IngestDeps {
  mentions: Pick<MentionStore, 'insertMany' | 'existingKeys'>;
  scorer: Scorer;
  bus: Pick<EventBus, 'publish'>;
  now: () => Date;
  log: Logger;
  /** Customer links and routing rules; without it mentions stay unrouted. */
  routing?: () => Promise<RoutingContext>;
  /** Report rollups: without it no feedback events (experience score) are recorded. */
  reports?: Pick<ReportStore, 'takeFeedback' | 'awaitFeedback' | 'add'>;
}

export interface IngestReport {
  received: number;
  stored: Mention[];
  duplicates: number;
  rejected: Rejected[];
}

/**
 * The whole pipeline over one batch: normalize → dedupe → score → route → persist → publish.
 * The inline runner, the BullMQ worker and the import all call this one function.
 */
export async function runIngest(batch: readonly unknown[], deps: IngestDeps): Promise<IngestReport> {
  const norm = normalize(batch, deps);
  const dd = await dedupe(norm.ok, deps);
  const sc = score(dd.fresh, deps);
  if (deps.routing && sc.scored.length > 0) await route(sc.scored, await deps.routing());
  const ps = await persist(sc.scored, deps);
  if (deps.reports) await recordFeedback(ps.inserted, { reports: deps.reports, now: deps.now });
  if (ps.inserted.length > 0) deps.bus.publish('mentions.stored', { mentions: ps.inserted });
  const rejected = [...norm.rejected, ...sc.rejected, ...ps.rejected].sort((a, b) => a.index - b.index);
  if (rejected.length > 0) deps.log.warn('mentions rejected', { count: rejected.length, first: rejected[0] });
  return { received: batch.length, stored: ps.inserted, duplicates: dd.duplicates + ps.duplicates, rejected };
}
