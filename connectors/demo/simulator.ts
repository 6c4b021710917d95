import type { RawMention } from '../../shared/raw-mention.js';
import type { Connector } from '../connector.js';
import { abortableSleep } from '../sleep.js';
import { BURST_TOPICS, HANDLES, SLOTS, SURNAMES, TEMPLATES } from './templates.js';

/** A small seeded generator (mulberry32), so tests and benchmarks are repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

function fill(template: string, rng: () => number, brand: string): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (slot === 'brand') return rng() < 0.5 ? `@${brand.replace(/\s+/g, '')}` : brand;
    if (slot === 'n') return String(2 + Math.floor(rng() * 40));
    const list = (SLOTS as Record<string, readonly string[]>)[slot];
    return list ? pick(rng, list) : slot;
  });
}

/** Followers from ~10 to ~2M, log-distributed: most authors are small, a few are loud. */
const followers = (rng: () => number) => Math.round(10 ** (1 + rng() ** 1.7 * 5.3));

export interface GenerateOptions {
  brands: string[];
  seed?: number;
  now?: () => Date;
}

/** One demo mention; `seq` makes its id unique within a run. */
export function generateMention(rng: () => number, brand: string, now: Date, seq: number, runId: string, burst?: (typeof BURST_TOPICS)[number]): RawMention {
  const t = burst ? { lang: 'en', kind: 'complaint' as const, text: burst.text } : pick(rng, TEMPLATES);
  const f = followers(rng);
  const handle = `${pick(rng, HANDLES)}${pick(rng, SURNAMES)}${Math.floor(rng() * 100)}`;
  const externalId = `${runId}-${seq}`;
  const reach = Math.log10(f + 1);
  return {
    platform: 'simulator',
    externalId,
    text: fill(t.text, rng, brand),
    createdAt: now.toISOString(),
    lang: t.lang,
    url: `https://demo.hark.invalid/${encodeURIComponent(brand.toLowerCase().replace(/\s+/g, '-'))}/${externalId}`,
    author: { id: `sim-${handle}`, handle, name: null, followers: f, verified: f > 200_000 && rng() < 0.5 },
    engagement: { likes: Math.floor(rng() * reach * 20), reposts: Math.floor(rng() * reach * 4), replies: Math.floor(rng() * reach * 2) },
    inReplyTo: null,
    conversationId: null,
    brand,
    demo: true,
  };
}

/** N mentions as fast as possible, for benchmarks and tests. */
export function generateMentions(count: number, opts: GenerateOptions): RawMention[] {
  const rng = seededRandom(opts.seed ?? 1);
  const now = opts.now?.() ?? new Date();
  const runId = `gen${opts.seed ?? 1}`;
  return Array.from({ length: count }, (_, i) => generateMention(rng, opts.brands[i % opts.brands.length]!, now, i, runId));
}

export interface SimulatorOptions {
  brands: string[];
  ratePerSecond: number;
  random?: () => number;
  now?: () => Date;
  tickMs?: number;
  /** About how often a burst of one negative topic starts (5× the rate for ~45 s). */
  burstEverySeconds?: number;
}

/**
 * The demo connector: realistic made-up mentions at a steady rate with bursts
 * now and then. Every mention carries demo: true, and the UI labels it.
 */
export function createSimulator(opts: SimulatorOptions): Connector {
  const rng = opts.random ?? Math.random;
  const now = opts.now ?? (() => new Date());
  const tickMs = opts.tickMs ?? 200;
  const runId = `sim-${Date.now().toString(36)}`;
  return {
    id: 'simulator',
    platform: 'simulator',
    async run({ sink, signal, log, health }) {
      let seq = 0;
      let sent = 0;
      health?.report({ state: 'ok', lastSuccessAt: now().toISOString(), fetched: 0 });
      let carry = 0;
      let burst: { topic: (typeof BURST_TOPICS)[number]; brand: string; until: number } | null = null;
      const burstEvery = (opts.burstEverySeconds ?? 600) * 1000;
      const recent: string[] = [];
      // The rate follows the clock, not the number of ticks: a late timer does not slow the demo down.
      let last = now().getTime();
      while (!signal.aborted) {
        const t = now().getTime();
        const elapsed = Math.min(5000, Math.max(0, t - last));
        last = t;
        if (!burst && rng() < tickMs / burstEvery) {
          burst = { topic: pick(rng, BURST_TOPICS), brand: pick(rng, opts.brands), until: t + 30_000 + rng() * 30_000 };
          log.info('simulated burst', { brand: burst.brand, issue: burst.topic.issue });
        }
        if (burst && t > burst.until) burst = null;
        carry += (opts.ratePerSecond * elapsed) / 1000;
        const n = Math.floor(carry);
        carry -= n;
        const batch: RawMention[] = [];
        for (let i = 0; i < n; i++) {
          const m = generateMention(rng, pick(rng, opts.brands), now(), seq++, runId);
          // Now and then, a reply to an earlier post: threads in the demo.
          if (recent.length > 0 && rng() < 0.08) m.inReplyTo = pick(rng, recent);
          batch.push(m);
          recent.push(String(m.externalId));
          if (recent.length > 50) recent.shift();
        }
        if (burst) {
          const extra = Math.round(((opts.ratePerSecond * 4 * elapsed) / 1000) * (0.5 + rng()));
          for (let i = 0; i < extra; i++) batch.push(generateMention(rng, burst.brand, now(), seq++, runId, burst.topic));
        }
        if (batch.length > 0) {
          try {
            await sink(batch);
            sent += batch.length;
            health?.report({ state: 'ok', lastSuccessAt: now().toISOString(), lagMs: 0, fetched: sent });
          } catch (err) {
            log.warn('simulator batch refused', { err });
            health?.report({ state: 'degraded', lastErrorAt: now().toISOString(), lastError: err instanceof Error ? err.message : String(err) });
          }
        }
        await abortableSleep(tickMs, signal);
      }
    },
  };
}
