import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newTriage, type NewMention, type SentimentLabel, type TriageStatus } from '../../shared/mention.js';
import { openMongoStore } from '../../server/store/mongo/mongo-store.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { dropMongoDatabase } from '../support/mongo.js';
import { spawnHark } from '../support/spawn-hark.js';
import { loadDevMentions } from './dev-texts.js';
import { summarize } from './stats.js';
import { treeRssKb } from './import-memory.js';

export interface QueuePageResult {
  stored: number;
  seedSeconds: number;
  dbMB: number;
  rssMB: number;
  peakRssMB: number;
  rows: Array<{ name: string; query: string; p50: number; p95: number; items: number }>;
}

const STATUSES: TriageStatus[] = ['new', 'new', 'new', 'new', 'new', 'new', 'new', 'claimed', 'responded', 'dismissed', 'escalated', 'watching'];
const LABELS: SentimentLabel[] = ['negative', 'negative', 'neutral', 'neutral', 'positive'];
const PLATFORMS = ['x', 'x', 'x', 'reddit', 'reddit', 'simulator', 'import'];

/** Deterministic pseudo-random mentions with realistic spreads; texts from the real posts when present. */
export function* syntheticMentions(count: number, texts: string[], now: number): Generator<NewMention> {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < count; i++) {
    const label = LABELS[Math.floor(rnd() * LABELS.length)]!;
    const priority = Math.min(100, Math.floor(rnd() ** 1.6 * 101));
    const createdAt = new Date(now - Math.floor(rnd() * 30 * 86_400_000)).toISOString();
    const status = STATUSES[Math.floor(rnd() * STATUSES.length)]!;
    yield {
      platform: PLATFORMS[Math.floor(rnd() * PLATFORMS.length)]!,
      externalId: `seed-${i}`,
      url: null,
      text: texts[i % texts.length]!,
      lang: 'en',
      createdAt,
      ingestedAt: createdAt,
      author: { id: null, handle: `user${i % 50_000}`, name: null, followers: Math.floor(10 ** (1 + rnd() * 5)), verified: rnd() < 0.02, url: null },
      engagement: { likes: Math.floor(rnd() * 50), reposts: Math.floor(rnd() * 10), replies: Math.floor(rnd() * 5) },
      inReplyTo: null,
      conversationId: null,
      brand: 'Acme Air',
      query: null,
      demo: false,
      scores: {
        sentiment: { label, score: label === 'negative' ? -0.6 : label === 'positive' ? 0.6 : 0, confidence: 0.7, method: 'bench' },
        influence: { score: 40, parts: { followers: 30, verified: 0, engagement: 10 } },
        intent: { label: 'complaint', confidence: 0.7, cues: ['delayed'] },
        priority: { score: priority, action: priority > 60 ? 'respond' : priority > 30 ? 'watch' : 'dismiss', reasons: ['negative', 'complaint ("delayed")'] },
        risks: [],
      },
      triage: newTriage('respond', status),
      customerId: null,
    };
  }
}

// tsx runs the server in a child node process: count the whole tree.
const rssOf = (pid: number) => ({ rss: treeRssKb(pid) / 1024, peak: treeRssKb(pid, 'VmHWM') / 1024 });

/** Seeds `count` mentions, starts the real server on them (SQLite, or MongoDB with `mongoUri`), and times 50-item queue pages over HTTP. */
export async function benchQueuePage(count: number, requestsPerQuery = 200, mongoUri?: string): Promise<QueuePageResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-bench-page-'));
  const texts = (await loadDevMentions()).map((m) => m.text);
  if (texts.length === 0) texts.push('Flight delayed again, no refund', 'Love the app', 'How do I reset my password?', 'Lost luggage at the airport');
  const now = Date.now();
  const store = mongoUri ? await openMongoStore({ uri: mongoUri }) : openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
  const t0 = performance.now();
  let batch: NewMention[] = [];
  for (const m of syntheticMentions(count, texts, now)) {
    batch.push(m);
    if (batch.length === 5000) {
      await store.mentions.insertMany({ mentions: batch });
      batch = [];
    }
  }
  if (batch.length) await store.mentions.insertMany({ mentions: batch });
  const seedSeconds = (performance.now() - t0) / 1000;
  await store.close();
  const dbMB = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0) / 1048576;

  const proc = await spawnHark({ DATA_DIR: dir, ...(mongoUri ? { STORE: 'mongo', MONGODB_URI: mongoUri } : {}), SIMULATOR: 'off', HARK_ADMIN_EMAIL: 'bench@hark.local', HARK_ADMIN_PASSWORD: 'bench-password', LOG_LEVEL: 'error' });
  try {
    const login = await fetch(`${proc.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@hark.local', password: 'bench-password' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const get = async (qs: string) => {
      const res = await fetch(`${proc.url}/api/mentions?${qs}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`${qs}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { items: unknown[]; nextCursor: string | null };
    };
    const day = new Date(now - 86_400_000).toISOString();
    const week = new Date(now - 7 * 86_400_000).toISOString();
    const second = await get('limit=50');
    const queries: Array<[string, string]> = [
      ['default (priority)', 'limit=50'],
      ['recent', 'limit=50&sort=recent'],
      ['status=new', 'limit=50&status=new'],
      ['status=new,claimed', 'limit=50&status=new,claimed'],
      ['platform=reddit', 'limit=50&platform=reddit'],
      ['sentiment=negative', 'limit=50&sentiment=negative'],
      ['priorityMin=80', 'limit=50&priorityMin=80'],
      ['last 24 h', `limit=50&since=${day}`],
      ['last 24 h, recent', `limit=50&sort=recent&since=${day}`],
      ['new + negative + reddit + ≥50 + 7 days', `limit=50&status=new&sentiment=negative&platform=reddit&priorityMin=50&since=${week}`],
      ['full text "delayed"', 'limit=50&q=delayed'],
      ['page 2 (cursor)', `limit=50&cursor=${encodeURIComponent(second.nextCursor ?? '')}`],
    ];
    const rows: QueuePageResult['rows'] = [];
    for (const [name, qs] of queries) {
      for (let i = 0; i < 10; i++) await get(qs);
      const samples: number[] = [];
      let items = 0;
      for (let i = 0; i < requestsPerQuery; i++) {
        const t = performance.now();
        items = (await get(qs)).items.length;
        samples.push(performance.now() - t);
      }
      const s = summarize(samples);
      rows.push({ name, query: qs.replace(/cursor=[^&]+/, 'cursor=…'), p50: s.p50, p95: s.p95, items });
    }
    const { rss, peak } = rssOf(proc.pid);
    return { stored: count, seedSeconds, dbMB, rssMB: rss, peakRssMB: peak, rows };
  } finally {
    await proc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    if (mongoUri) await dropMongoDatabase(mongoUri);
  }
}
