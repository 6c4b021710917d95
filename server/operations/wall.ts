import type { WallResponse } from '../../shared/api.js';
import type { OpsDeps } from './deps.js';

/** The wall's per-minute rollups for the last `minutes`, through the current (still filling) minute. */
export async function wallBuckets(deps: Pick<OpsDeps, 'store' | 'now'>, minutes: number): Promise<WallResponse> {
  const to = deps.now();
  const from = new Date(to.getTime() - minutes * 60_000);
  return { buckets: await deps.store.rollups.series({ from: from.toISOString(), to: new Date(to.getTime() + 60_000).toISOString() }) };
}
