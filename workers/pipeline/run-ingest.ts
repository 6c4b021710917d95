import { BrandRoles } from '../../shared/brand-roles.js';
import type { Logger } from '../../shared/log.js';
import type { Mention } from '../../shared/mention.js';
import type { EventBus } from '../../shared/queues.js';
import type { MentionStore } from '../../shared/store.js';
import type { Scorer } from '../nlp/index.js';
import { assignBrandRoles } from './brand-role.js';
import { dedupe } from './dedupe.js';
import { normalize, type Rejected } from './normalize.js';
import { persist } from './persist.js';
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
  /** Own or competitor per brand (the listening queries); without it every brand is own. */
  brandRoles?: () => BrandRoles;
  /** After persist, with exactly the mentions this run stored (open investigations link the ones carrying their topic). */
  afterStore?: (stored: Mention[]) => Promise<unknown>;
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
  assignBrandRoles(sc.scored, deps.brandRoles?.() ?? new BrandRoles());
  const answerable = sc.scored.filter((b) => b.mention.brandRole !== 'competitor');
  if (deps.routing && answerable.length > 0) await route(answerable, await deps.routing());
  const ps = await persist(sc.scored, deps);
  if (ps.inserted.length > 0 && deps.afterStore) {
    try {
      await deps.afterStore(ps.inserted);
    } catch (err) {
      // The mentions are stored; a link missed here is not worth failing (and re-running) the batch.
      deps.log.warn('after-store stage failed', { err, count: ps.inserted.length });
    }
  }
  if (ps.inserted.length > 0) deps.bus.publish('mentions.stored', { mentions: ps.inserted });
  const rejected = [...norm.rejected, ...sc.rejected, ...ps.rejected].sort((a, b) => a.index - b.index);
  if (rejected.length > 0) deps.log.warn('mentions rejected', { count: rejected.length, first: rejected[0] });
  return { received: batch.length, stored: ps.inserted, duplicates: dd.duplicates + ps.duplicates, rejected };
}
