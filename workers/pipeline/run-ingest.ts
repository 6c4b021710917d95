import { BrandRoles } from '../../shared/brand-roles.js';
import type { Logger } from '../../shared/log.js';
import type { Mention, NewMention } from '../../shared/mention.js';
import type { EventBus } from '../../shared/queues.js';
import type { MentionStore, ReportStore } from '../../shared/store.js';
import type { Scorer } from '../nlp/index.js';
import { assignBrandRoles } from './brand-role.js';
import type { BatchScorer } from './score-pool.js';
import { dedupe } from './dedupe.js';
import { normalize, type Rejected } from './normalize.js';
import { persist } from './persist.js';
import { recordFeedback } from './feedback.js';
import { route, type RoutingContext } from './route.js';
import { score } from './score.js';

export interface IngestDeps {
  mentions: Pick<MentionStore, 'insertMany' | 'existingKeys'>;
  /** In this thread (a Scorer) or the scoring pool's threads (a BatchScorer). */
  scorer: Scorer | BatchScorer;
  bus: Pick<EventBus, 'publish'>;
  now: () => Date;
  log: Logger;
  /** Customer links and routing rules; without it mentions stay unrouted. */
  routing?: () => Promise<RoutingContext>;
  /** Own or competitor per brand (the listening queries); without it every brand is own. */
  brandRoles?: () => BrandRoles;
  /** After persist, with exactly the mentions this run stored (open investigations link the ones carrying their topic). */
  afterStore?: (stored: Mention[]) => Promise<unknown>;
  /** Report rollups: without it no feedback events (experience score) are recorded. */
  reports?: Pick<ReportStore, 'takeFeedback' | 'awaitFeedback' | 'add' | 'noteFeedback'>;
  /**
   * Mentions per write (see persist): small where this process also answers
   * requests, the whole batch where it only ingests (the CLI, a worker role).
   */
  writeChunk?: number;
}

export interface IngestReport {
  received: number;
  stored: Mention[];
  duplicates: number;
  rejected: Rejected[];
}

/** A batch normalized, deduped and scored, waiting to be routed and stored. */
export interface ScoredBatch {
  received: number;
  scored: Array<{ index: number; mention: NewMention }>;
  duplicates: number;
  rejected: Rejected[];
}

/**
 * The whole pipeline over one batch: normalize → dedupe → score → route → persist → publish.
 * The inline runner, the BullMQ worker and the import all call this one function.
 */
export async function runIngest(batch: readonly unknown[], deps: IngestDeps): Promise<IngestReport> {
  return storeScored(await scoreBatch(batch, deps), deps);
}

/**
 * The first half (normalize → dedupe → score). Split from the second so that an
 * import can score its next batch while this one is written.
 */
export async function scoreBatch(batch: readonly unknown[], deps: Pick<IngestDeps, 'mentions' | 'scorer' | 'now'>): Promise<ScoredBatch> {
  const norm = normalize(batch, deps);
  const dd = await dedupe(norm.ok, deps);
  const sc = await score(dd.fresh, deps);
  return { received: batch.length, scored: sc.scored, duplicates: dd.duplicates, rejected: [...norm.rejected, ...sc.rejected] };
}

/**
 * The second half (route → persist → publish). Routing reads agents' loads, so
 * it runs here, after the previous batch was stored. The store's unique key
 * settles a mention repeated in two batches scored side by side.
 */
export async function storeScored(sc: ScoredBatch, deps: IngestDeps): Promise<IngestReport> {
  assignBrandRoles(sc.scored, deps.brandRoles?.() ?? new BrandRoles());
  // Competitors' mentions are watched for share of voice, not answered: routing leaves them out.
  const answerable = sc.scored.filter((b) => b.mention.brandRole !== 'competitor');
  if (deps.routing && answerable.length > 0) await route(answerable, await deps.routing());
  const ps = await persist(sc.scored, deps, deps.writeChunk);
  if (deps.reports) await recordFeedback(ps.inserted, { reports: deps.reports, now: deps.now });
  if (ps.inserted.length > 0 && deps.afterStore) {
    try {
      await deps.afterStore(ps.inserted);
    } catch (err) {
      // The mentions are stored; a link missed here is not worth failing (and re-running) the batch.
      deps.log.warn('after-store stage failed', { err, count: ps.inserted.length });
    }
  }
  if (ps.inserted.length > 0) deps.bus.publish('mentions.stored', { mentions: ps.inserted });
  const rejected = [...sc.rejected, ...ps.rejected].sort((a, b) => a.index - b.index);
  if (rejected.length > 0) deps.log.warn('mentions rejected', { count: rejected.length, first: rejected[0] });
  return { received: sc.received, stored: ps.inserted, duplicates: sc.duplicates + ps.duplicates, rejected };
}
