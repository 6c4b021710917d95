import type { RawMention } from '../../shared/raw-mention.js';
import type { Connector } from '../connector.js';
import { abortableSleep } from '../sleep.js';
import { businessOf, citySlot, competitorsOf, PROFILES, type BusinessProfile, type Template } from './businesses.js';
import { FIRST_NAMES, GENERIC_COMPETITORS, HANDLE_TAILS, LAST_NAMES } from './templates.js';

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

/** Who a post is about: the brand, its business, and the rivals it may name. */
interface Subject {
  brand: string;
  profile: BusinessProfile;
  rivals: string[];
}

function subjectFor(brand: string, ownOf?: string): Subject {
  const profile = PROFILES[businessOf(ownOf ?? brand)];
  // A competitor's post names the own brand as its rival; an own brand names its competitors.
  const rivals = ownOf ? [ownOf] : competitorsOf(brand).length > 0 ? competitorsOf(brand) : GENERIC_COMPETITORS;
  return { brand, profile, rivals };
}

function fill(template: string, rng: () => number, s: Subject): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (slot === 'brand') return rng() < 0.5 ? `@${s.brand.replace(/\s+/g, '')}` : s.brand;
    if (slot === 'n') return String(2 + Math.floor(rng() * 40));
    if (slot === 'city') return pick(rng, citySlot);
    if (slot === 'competitor') return pick(rng, s.rivals);
    const list = (s.profile.slots as Record<string, readonly string[]>)[slot];
    return list ? pick(rng, list) : slot;
  });
}

/** Followers from ~10 to ~2M, log-distributed: most authors are small, a few are loud. */
const followers = (rng: () => number) => Math.round(10 ** (1 + rng() ** 1.7 * 5.3));

interface Author {
  id: string;
  handle: string;
  name: string;
  followers: number;
  verified: boolean;
}

function randomAuthor(rng: () => number, unique?: string): Author {
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  // `unique` makes a handle no one else in the run has: a scene's many distinct people.
  const handle = `${first.toLowerCase()}${pick(rng, HANDLE_TAILS)}${unique ?? Math.floor(rng() * 100)}`;
  const f = followers(rng);
  return { id: `sim-${handle}`, handle, name: `${first} ${last}`, followers: f, verified: f > 200_000 && rng() < 0.5 };
}

/**
 * Regular customers: the same few people per brand post again and again, so a
 * customer's history, the Customers page and repeat contact have something to show.
 */
export function regularAuthor(brand: string, i: number): Author {
  const slug = brand.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
  const last = LAST_NAMES[(i * 7) % LAST_NAMES.length]!;
  const handle = `${first.toLowerCase()}_${last.toLowerCase()}_${slug}`;
  return { id: `sim-${handle}`, handle, name: `${first} ${last}`, followers: 50 + ((i * 977) % 4000), verified: false };
}
export const REGULARS_PER_BRAND = 12;

interface MakeArgs {
  rng: () => number;
  subject: Subject;
  template: Template;
  now: Date;
  seq: number;
  runId: string;
  author?: Author;
}

function make({ rng, subject, template, now, seq, runId, author }: MakeArgs): RawMention {
  const a = author ?? (rng() < 0.25 ? regularAuthor(subject.brand, Math.floor(rng() * REGULARS_PER_BRAND)) : randomAuthor(rng));
  const externalId = `${runId}-${seq}`;
  const reach = Math.log10(a.followers + 1);
  return {
    platform: 'simulator',
    externalId,
    text: fill(template.text, rng, subject),
    createdAt: now.toISOString(),
    lang: template.lang,
    url: `https://demo.hark.invalid/${encodeURIComponent(subject.brand.toLowerCase().replace(/\s+/g, '-'))}/${externalId}`,
    author: { id: a.id, handle: a.handle, name: a.name, followers: a.followers, verified: a.verified },
    engagement: { likes: Math.floor(rng() * reach * 20), reposts: Math.floor(rng() * reach * 4), replies: Math.floor(rng() * reach * 2) },
    inReplyTo: null,
    conversationId: null,
    brand: subject.brand,
    demo: true,
  };
}

/** Own brands, and their competitors for share of voice (a competitor speaks its own brand's business). */
function subjectsOf(brands: string[]): { own: Subject[]; rivals: Subject[] } {
  const own = brands.map((b) => subjectFor(b));
  const rivals = brands.flatMap((b) => competitorsOf(b).map((c) => subjectFor(c, b)));
  return { own, rivals };
}

/** Share of posts about a competitor rather than an own brand. */
const COMPETITOR_SHARE = 0.18;

function everyday(rng: () => number, s: { own: Subject[]; rivals: Subject[] }, now: Date, seq: number, runId: string, only?: string): RawMention {
  const subject = only ? s.own.find((o) => o.brand === only) ?? subjectFor(only) : s.rivals.length > 0 && rng() < COMPETITOR_SHARE ? pick(rng, s.rivals) : pick(rng, s.own);
  return make({ rng, subject, template: pick(rng, subject.profile.templates), now, seq, runId });
}

export interface GenerateOptions {
  brands: string[];
  seed?: number;
  now?: () => Date;
  /** Leave out competitors' posts (benchmarks that compare own-brand pipelines). */
  competitors?: boolean;
}

/** One demo mention about `brand` (an own brand), in its business; `seq` makes its id unique within a run. */
export function generateMention(rng: () => number, brand: string, now: Date, seq: number, runId: string): RawMention {
  const subject = subjectFor(brand);
  return make({ rng, subject, template: pick(rng, subject.profile.templates), now, seq, runId });
}

/** N mentions as fast as possible, for benchmarks and tests; brands take turns, with competitors' posts mixed in. */
export function generateMentions(count: number, opts: GenerateOptions): RawMention[] {
  const rng = seededRandom(opts.seed ?? 1);
  const now = opts.now?.() ?? new Date();
  const runId = `gen${opts.seed ?? 1}`;
  const s = subjectsOf(opts.brands);
  if (opts.competitors === false) s.rivals = [];
  return Array.from({ length: count }, (_, i) => {
    const own = opts.brands[i % opts.brands.length]!;
    return s.rivals.length > 0 && rng() < COMPETITOR_SHARE ? everyday(rng, s, now, i, runId) : everyday(rng, s, now, i, runId, own);
  });
}

export type SceneKind = 'outage' | 'vip_complaint' | 'praise_wave' | 'sales_lead';

/** A scene in progress: extra posts about one brand until `until`. */
interface Playing {
  kind: SceneKind;
  subject: Subject;
  until: number;
  /** Extra posts per second while it plays (0 for one-off posts). */
  rate: number;
}

/**
 * The first scenes after a start, seconds from it: a newcomer sees an outage
 * alert, a VIP, a lead and a praise wave within ten minutes. Then scenes come
 * at random, about every `burstEverySeconds`.
 */
const OPENING: { at: number; kind: SceneKind }[] = [
  { at: 60, kind: 'outage' },
  { at: 170, kind: 'vip_complaint' },
  { at: 260, kind: 'sales_lead' },
  { at: 360, kind: 'praise_wave' },
];

export interface SimulatorOptions {
  brands: string[];
  ratePerSecond: number;
  random?: () => number;
  now?: () => Date;
  tickMs?: number;
  /** About how often a scene starts after the opening ones. */
  burstEverySeconds?: number;
  /** Play the opening scenes (default yes); off, scenes only come at random. */
  opening?: boolean;
  /** Called when a scene starts (logs, tests). */
  onScene?: (scene: { kind: SceneKind; brand: string; issue: string | null; at: string }) => void;
}

/**
 * The demo's stream, step by step: `tick(t)` returns what was posted up to
 * time `t` (ms). The connector calls it on a timer; tests and replays call it
 * with a clock of their own, so a seeded run is the same run every time.
 */
export function createDemoStream(opts: Omit<SimulatorOptions, 'tickMs' | 'now'> & { startAt: number; tickMs?: number; log?: { info(msg: string, meta?: Record<string, unknown>): void } }) {
  const rng = opts.random ?? Math.random;
  const tickMs = opts.tickMs ?? 200;
  const runId = `sim-${opts.startAt.toString(36)}${Math.floor(rng() * 1e6).toString(36)}`;
  const subjects = subjectsOf(opts.brands);
  let seq = 0;
  let carry = 0;
  let sceneCarry = 0;
  let playing: Playing | null = null;
  const sceneEvery = (opts.burstEverySeconds ?? 300) * 1000;
  const startedAt = opts.startAt;
  const opening = opts.opening === false ? [] : OPENING.map((o) => ({ ...o }));
  const recent: string[] = [];
  let last = startedAt;
  const start = (kind: SceneKind, t: number): RawMention[] => {
    const subject = pick(rng, subjects.own);
    const issue = kind === 'outage' ? subject.profile.scenes.outage.issue : null;
    // An outage keeps the log line it always had ("simulated burst"), which operators and tests look for.
    if (issue) opts.log?.info('simulated burst', { brand: subject.brand, issue });
    else opts.log?.info('simulated scene', { scene: kind, brand: subject.brand });
    opts.onScene?.({ kind, brand: subject.brand, issue, at: new Date(t).toISOString() });
    if (kind === 'outage') playing = { kind, subject, until: t + 45_000 + rng() * 30_000, rate: Math.max(0.6, opts.ratePerSecond * 1.5) };
    else if (kind === 'praise_wave') playing = { kind, subject, until: t + 40_000 + rng() * 20_000, rate: Math.max(0.3, opts.ratePerSecond * 0.8) };
    else {
      // One-off posts: a loud verified account, or a lead worth a sales call.
      const vip = kind === 'vip_complaint';
      const text = vip ? subject.profile.scenes.vipComplaint : subject.profile.scenes.lead;
      const author = vip ? { ...randomAuthor(rng, `v${seq}`), followers: 400_000 + Math.floor(rng() * 2_500_000), verified: true } : randomAuthor(rng, `l${seq}`);
      return [make({ rng, subject, template: { lang: 'en', kind: vip ? 'complaint' : 'lead', text }, now: new Date(t), seq: seq++, runId, author })];
    }
    return [];
  };
  return {
    tick(t: number): RawMention[] {
      // The rate follows the clock, not the number of ticks: a late timer does not slow the demo down.
      const elapsed = Math.min(5000, Math.max(0, t - last));
      last = t;
      const at = new Date(t);
      const batch: RawMention[] = [];
      const due = opening[0] && t - startedAt >= opening[0].at * 1000 ? opening.shift()! : null;
      if (due && !playing) batch.push(...start(due.kind, t));
      else if (due) opening.unshift(due);
      else if (!playing && opening.length === 0 && rng() < Math.min(1, Math.max(tickMs, elapsed) / sceneEvery)) batch.push(...start(pick(rng, ['outage', 'vip_complaint', 'praise_wave', 'sales_lead'] as const), t));
      const p = playing as Playing | null;
      if (p && t > p.until) playing = null;
      carry += (opts.ratePerSecond * elapsed) / 1000;
      const n = Math.floor(carry);
      carry -= n;
      for (let i = 0; i < n; i++) {
        const m = everyday(rng, subjects, at, seq++, runId);
        // Now and then, a reply to an earlier post: threads in the demo.
        if (recent.length > 0 && rng() < 0.08) m.inReplyTo = pick(rng, recent);
        batch.push(m);
        recent.push(String(m.externalId));
        if (recent.length > 50) recent.shift();
      }
      if (playing) {
        const cur: Playing = playing;
        sceneCarry += (cur.rate * elapsed) / 1000;
        const extra = Math.floor(sceneCarry);
        sceneCarry -= extra;
        const texts = cur.kind === 'outage' ? cur.subject.profile.scenes.outage.texts : cur.subject.profile.scenes.praise;
        for (let i = 0; i < extra; i++) {
          // Many distinct people: every scene post has an author of its own.
          const author = randomAuthor(rng, `s${seq}`);
          batch.push(make({ rng, subject: cur.subject, template: { lang: 'en', kind: cur.kind === 'outage' ? 'complaint' : 'praise', text: pick(rng, texts) }, now: at, seq: seq++, runId, author }));
        }
      } else sceneCarry = 0;
      return batch;
    },
  };
}

/**
 * The demo connector: mentions of each brand's own business at a steady rate,
 * competitors' posts mixed in, and scenes now and then (an outage burst from
 * many distinct people, a verified account with a large following, a praise
 * wave, a sales lead). Every mention carries demo: true, and the UI labels it.
 */
export function createSimulator(opts: SimulatorOptions): Connector {
  const now = opts.now ?? (() => new Date());
  const tickMs = opts.tickMs ?? 200;
  return {
    id: 'simulator',
    platform: 'simulator',
    async run({ sink, signal, log, health }) {
      const stream = createDemoStream({ ...opts, tickMs, startAt: now().getTime(), log });
      let sent = 0;
      health?.report({ state: 'ok', lastSuccessAt: now().toISOString(), fetched: 0 });
      while (!signal.aborted) {
        const batch = stream.tick(now().getTime());
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
