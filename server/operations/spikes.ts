import { DEFAULT_SPIKE_RULE, detectSpike, type Alert, type SpikeRule } from '../../shared/spikes.js';
import { topPhrase } from '../../workers/nlp/topics.js';
import type { OpsDeps } from './deps.js';

const brandWords = (brand: string) => new Set(brand.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).concat(brand.toLowerCase().replace(/\s+/g, '')));

/**
 * Looks at each brand's negative volume in the last window against its own
 * baseline and raises an alert (once per brand per quiet period) naming what
 * spiked, with example mentions.
 */
export async function checkSpikes(deps: OpsDeps, rule: SpikeRule = DEFAULT_SPIKE_RULE, quietMinutes = 30): Promise<Alert[]> {
  const nowMs = Math.floor(deps.now().getTime() / 60_000) * 60_000 + 60_000; // include the current minute
  const win = rule.windowMinutes * 60_000;
  const from = nowMs - win * (rule.baselineWindows + 1);
  const series = await deps.store.rollups.brandSeries({ from: new Date(from).toISOString(), to: new Date(nowMs).toISOString() });
  const byBrand = new Map<string, number[]>();
  for (const r of series) {
    const counts = byBrand.get(r.brand) ?? new Array<number>(rule.baselineWindows + 1).fill(0);
    const i = Math.floor((Date.parse(r.minute) - from) / win);
    if (i >= 0 && i < counts.length) counts[i]! += r.negative;
    byBrand.set(r.brand, counts);
  }
  const raised: Alert[] = [];
  const windowStart = new Date(nowMs - win).toISOString();
  for (const [brand, counts] of byBrand) {
    const v = detectSpike(counts, rule);
    if (!v.spike) continue;
    const recent = await deps.store.alerts.list({ brand, since: new Date(nowMs - quietMinutes * 60_000).toISOString(), limit: 1 });
    if (recent.length > 0) continue;
    const page = await deps.store.mentions.list({ sentiment: ['negative'], since: windowStart, sort: 'priority', limit: 200 });
    const mine = page.items.filter((m) => m.brand === brand);
    const alert = await deps.store.alerts.create({
      alert: {
        brand,
        topic: topPhrase(mine.map((m) => m.text), brandWords(brand)),
        windowStart,
        windowEnd: new Date(nowMs).toISOString(),
        negatives: v.current,
        baselineMean: v.mean,
        exampleMentionIds: mine.slice(0, 5).map((m) => m.id),
        raisedAt: deps.now().toISOString(),
      },
    });
    deps.bus.publish('alert.raised', { alert });
    raised.push(alert);
  }
  return raised;
}
