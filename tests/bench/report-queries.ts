import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newTriage, type Mention, type NewMention } from '../../shared/mention.js';
import { bucketOf, DAY_MS, GROUP_BYS, type GroupBy, type ReportIncrement, type ReportQuery } from '../../shared/reports.js';
import type { Store } from '../../shared/store.js';
import { recordCaseFacts, recordReplyFacts } from '../../server/operations/report-events.js';
import { experienceReport, responseReport, shareOfVoiceReport, topicsReport, volumeReport } from '../../server/operations/reports.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { summarize } from './stats.js';

const BRANDS = ['Acme Air', 'Globex Air', 'Initech Air'];
const NETWORKS = ['x', 'reddit', 'bluesky', 'mastodon'];
const TEAMS = ['care', 'billing', 'baggage', 'social', 'vip', 'tier2'];
const AGENTS = Array.from({ length: 20 }, (_, i) => String(i + 1));
const PRIORITIES = ['urgent', 'high', 'normal', 'low'];
const INTENTS = ['complaint', 'question', 'praise', 'lead', 'spam', 'other'];
const DAYS = 90;

export interface ReportBenchRow {
  mentions: string;
  how: string;
  rollupRows: number;
  seedSeconds: number;
  dbMB: number;
  reports: Array<{ name: string; p50: number; p95: number }>;
}

function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

/** 100k mentions stored through the real write (insertMany: rollups in the same transaction), then replies and cases through the operations' hooks. */
async function seedReal(store: Store, count: number, end: number) {
  const rnd = rng(7);
  const labels = ['negative', 'negative', 'neutral', 'neutral', 'positive'] as const;
  const words = ['delayed flight', 'lost luggage', 'refund', 'seat', 'crew', 'app crash', 'wifi', 'boarding', 'gate change', 'baggage fee'];
  const stored: Mention[] = [];
  let batch: NewMention[] = [];
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(end - Math.floor(rnd() * DAYS * DAY_MS)).toISOString();
    const label = labels[Math.floor(rnd() * labels.length)]!;
    const priority = Math.floor(rnd() * 101);
    batch.push({
      platform: NETWORKS[Math.floor(rnd() * NETWORKS.length)] as NewMention['platform'],
      externalId: `rb-${i}`,
      url: null,
      text: `${words[i % words.length]} ${words[(i * 7) % words.length]} again ${i % 97}`,
      lang: 'en',
      createdAt,
      ingestedAt: createdAt,
      author: { id: null, handle: `u${i % 40_000}`, name: null, followers: 100, verified: false, url: null },
      engagement: { likes: 0, reposts: 0, replies: 0 },
      inReplyTo: null,
      conversationId: null,
      brand: BRANDS[i % BRANDS.length]!,
      query: null,
      demo: false,
      scores: {
        sentiment: { label, score: label === 'negative' ? -0.6 : label === 'positive' ? 0.6 : 0, confidence: 0.7, method: 'bench' },
        influence: { score: 40, parts: { followers: 30, verified: 0, engagement: 10 } },
        intent: { label: INTENTS[i % INTENTS.length] as 'complaint', confidence: 0.7, cues: i % 3 ? ['delayed'] : [] },
        priority: { score: priority, action: 'respond', reasons: [] },
        risks: [],
      },
      triage: { ...newTriage('respond'), team: TEAMS[i % TEAMS.length]! },
      customerId: null,
    });
    if (batch.length === 5000) {
      stored.push(...(await store.mentions.insertMany({ mentions: batch })).inserted);
      batch = [];
    }
  }
  if (batch.length) stored.push(...(await store.mentions.insertMany({ mentions: batch })).inserted);
  const deps = { store, now: () => new Date(end) };
  for (let i = 0; i < stored.length; i++) {
    const m = stored[i]!;
    if (i % 5 < 3) {
      const sentAt = new Date(Date.parse(m.createdAt) + Math.floor(30_000 * Math.exp(rnd() * 7))).toISOString();
      await recordReplyFacts(deps, { id: String(i), mentionId: m.id, authorId: AGENTS[i % AGENTS.length]!, sentAt } as never, m, true);
    }
    if (i % 20 === 0) {
      const createdAt = m.createdAt;
      const done = new Date(Date.parse(createdAt) + Math.floor(600_000 * Math.exp(rnd() * 6))).toISOString();
      const kase = { id: String(i), number: `HK-${i}`, title: '', status: 'open', priority: PRIORITIES[i % 4], team: m.triage.team, assignee: AGENTS[i % AGENTS.length], customerId: null, mentionIds: [m.id], externalRef: null, createdAt, updatedAt: createdAt, firstResponseAt: null, resolvedAt: null, sla: { firstResponseDueAt: null, resolutionDueAt: new Date(Date.parse(createdAt) + 8 * 3_600_000).toISOString(), breached: [] }, version: 1 } as never as Parameters<typeof recordCaseFacts>[1];
      await recordCaseFacts(deps, kase, { ...kase, status: 'resolved', resolvedAt: done, updatedAt: done });
    }
  }
}

/**
 * 10M mentions' rollups written directly (no mention rows): for each of 90
 * days, 111,111 mentions spread over 3 brands × 4 networks, counted into the
 * same day rows the write path makes: volume by sentiment and intent,
 * "received" by team, priority, network and brand, first responses for 60 %
 * (by team, 20 agents, network, priority and brand, over 20 histogram buckets
 * from 30 s to 10 h, with SLA met/missed), resolutions for 5 % (24 buckets;
 * each histogram's buckets go into its one row, as the write path keeps them),
 * feedback events, and 400 negative topics and 30 reasons per brand and
 * network per day, each in its day and week rows (volume also in hour rows).
 */
async function seedDirect(store: Store, total: number, end: number) {
  const rnd = rng(11);
  const perCombo = total / DAYS / (BRANDS.length * NETWORKS.length);
  const split = (n: number, k: number) => Array.from({ length: k }, () => (n / k) * (0.5 + rnd()));
  for (let d = 0; d < DAYS; d++) {
    const at = new Date(end - (d + 1) * DAY_MS + 3_600_000).toISOString();
    const incs: ReportIncrement[] = [];
    for (const brand of BRANDS) {
      for (const network of NETWORKS) {
        const base = { at, brand, network, bucket: -1, sum: 0 };
        const add = (dim: ReportIncrement['dim'], value: string, metric: string, n: number, bucket = -1, sum = 0) => incs.push({ ...base, dim, value, metric, n: Math.max(1, Math.round(n)), bucket, sum });
        split(perCombo, 3).forEach((n, i) => add('sentiment', ['negative', 'neutral', 'positive'][i]!, 'mentions', n));
        split(perCombo, 6).forEach((n, i) => add('intent', INTENTS[i]!, 'mentions', n));
        const values: Record<GroupBy, string[]> = { team: TEAMS, agent: AGENTS, network: [network], priority: PRIORITIES, brand: [brand] };
        for (const g of GROUP_BYS) {
          for (const v of values[g]) {
            const share = perCombo / values[g].length;
            if (g !== 'agent') add(`resp.${g}`, v, 'received', share);
            const responded = share * 0.6;
            add(`resp.${g}`, v, 'responded', responded);
            for (let b = 0; b < 20; b++) add(`resp.${g}`, v, 'frt_wall', responded / 20, bucketOf(30 * 2 ** (b * 0.36)), 0);
            add(`resp.${g}`, v, 'fr_sla_met', responded * 0.8);
            add(`resp.${g}`, v, 'fr_sla_missed', responded * 0.2);
            const resolved = share * 0.05;
            add(`resp.${g}`, v, 'resolved', resolved);
            add(`resp.${g}`, v, 'reopened', resolved * 0.1);
            for (let b = 0; b < 24; b++) add(`resp.${g}`, v, 'ttr_wall', resolved / 24, bucketOf(600 * 2 ** (b * 0.33)), 0);
            add(`resp.${g}`, v, 'res_sla_met', resolved * 0.9);
          }
        }
        add('eex', `triage_response|reply_followup|${network}`, 'feedback', perCombo * 0.1, -1, perCombo * 0.1 * 55);
        add('eex', `case_resolution|case_resolved|${network}`, 'feedback', perCombo * 0.05, -1, perCombo * 0.05 * 100);
        add('eex', `case_resolution|case_reopened|${network}`, 'feedback', perCombo * 0.005);
        for (let t = 0; t < 400; t++) add('neg.topic', `topic ${t}`, 'mentions', (perCombo * 0.4) / (t + 1));
        for (let t = 0; t < 30; t++) add('neg.reason', `complaint: reason ${t}`, 'mentions', (perCombo * 0.4) / (t + 1));
      }
    }
    await store.reports.add({ increments: incs });
  }
}

async function timeReports(store: Store, end: number, runs: number) {
  const q = (over: Partial<ReportQuery> = {}): ReportQuery => ({ from: new Date(end - DAYS * DAY_MS).toISOString(), to: new Date(end).toISOString(), groupBy: 'team', format: 'json', ...over });
  const deps = { store, queries: async () => [] };
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['response by team', () => responseReport(deps, q())],
    ['response by agent', () => responseReport(deps, q({ groupBy: 'agent' }))],
    ['response by team, one brand and network', () => responseReport(deps, q({ brand: BRANDS[0]!, network: 'x' }))],
    ['volume (daily series)', () => volumeReport(deps, q())],
    ['share of voice', () => shareOfVoiceReport(deps, q())],
    ['topics', () => topicsReport(deps, q())],
    ['experience', () => experienceReport(deps, q())],
  ];
  const out: ReportBenchRow['reports'] = [];
  for (const [name, fn] of cases) {
    await fn();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await fn();
      samples.push(performance.now() - t);
    }
    const s = summarize(samples);
    out.push({ name, p50: s.p50, p95: s.p95 });
  }
  return out;
}

export async function benchReports(opts: { cases: Array<['real' | 'direct', number]>; runs: number }): Promise<ReportBenchRow[]> {
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const rows: ReportBenchRow[] = [];
  for (const [kind, n] of opts.cases) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-bench-reports-'));
    const file = path.join(dir, 'hark.sqlite');
    const store = openSqliteStore({ file });
    try {
      const t0 = performance.now();
      if (kind === 'real') await seedReal(store, n, end);
      else await seedDirect(store, n, end);
      const seedSeconds = (performance.now() - t0) / 1000;
      const rollupRows = await countRows(file);
      const reports = await timeReports(store, end, opts.runs);
      rows.push({
        mentions: n.toLocaleString('en'),
        how: kind === 'real' ? 'stored through insertMany, replies and resolutions through the operations’ hooks' : 'rollup rows seeded directly (no mention rows; see below)',
        rollupRows,
        seedSeconds,
        dbMB: fs.statSync(file).size / 2 ** 20,
        reports,
      });
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function countRows(file: string) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM report_rollups').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
