import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Doc } from '../../server/store/mongo/db.js';
import { openMongoStore } from '../../server/store/mongo/mongo-store.js';
import { foldBucketRows } from '../../server/store/mongo/report-store.js';
import { MIGRATIONS } from '../../server/store/sqlite/schema.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { dropMongoDatabase, freshMongoUri, MONGODB_URI, skipMongoReason } from '../support/mongo.js';

/**
 * Rollups written when a histogram was a row per bucket (bucket ≥ 0) are
 * folded into one row per histogram by each adapter's upgrade; plain rows
 * (bucket -1) read as before.
 */
const DAY = Date.parse('2026-11-20T00:00:00.000Z');
const q = { grain: 'day' as const, dim: 'resp.team' as const, from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z', byPeriod: false };
const OLD_ROWS = [
  { metric: 'frt_wall', bucket: 20, n: 2, sum: 130 },
  { metric: 'frt_wall', bucket: 30, n: 1, sum: 900 },
  { metric: 'responded', bucket: -1, n: 3, sum: 0 },
];
const expected = [
  { metric: 'frt_wall', n: 3, sum: 1030, hist: { 20: 2, 30: 1 } },
  { metric: 'responded', n: 3, sum: 0, hist: null },
];
const shape = (rows: Array<{ metric: string; n: number; sum: number; hist: unknown }>) => rows.map((r) => ({ metric: r.metric, n: r.n, sum: r.sum, hist: r.hist })).sort((a, b) => a.metric.localeCompare(b.metric));

describe('report rollups kept per bucket are upgraded to one row per histogram', () => {
  it('SQLite: the migration folds the bucket rows of a file written by the older schema', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-rollup-upgrade-'));
    const file = path.join(dir, 'hark.sqlite');
    try {
      const at = MIGRATIONS.findIndex((m) => m.includes('report_rollups_new'));
      expect(at).toBeGreaterThan(0);
      const db = new Database(file);
      for (let v = 0; v < at; v++) db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${at}`);
      const ins = db.prepare("INSERT INTO report_rollups (grain, dim, brand, network, period, value, metric, bucket, n, sum) VALUES ('day', 'resp.team', '*', '*', ?, 'care', ?, ?, ?, ?)");
      for (const r of OLD_ROWS) ins.run(DAY, r.metric, r.bucket, r.n, r.sum);
      db.close();
      const store = openSqliteStore({ file });
      try {
        expect(shape(await store.reports.sum(q))).toEqual(expected);
        // And it goes on adding to the folded row.
        await store.reports.add({ increments: [{ at: '2026-11-20T08:00:00.000Z', dim: 'resp.team', value: 'care', brand: 'Acme', network: 'x', metric: 'frt_wall', bucket: 20, n: 1, sum: 70 }] });
        expect((await store.reports.sum({ ...q, metrics: ['frt_wall'] })).map((r) => r.hist)).toEqual([{ 20: 3, 30: 1 }]);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const mongoIt = MONGODB_URI ? it : it.skip;
  mongoIt(MONGODB_URI ? 'MongoDB: the store folds the bucket documents at open, once each even when two upgrades run together' : `MongoDB upgrade skipped: ${skipMongoReason}`, async () => {
    const uri = freshMongoUri();
    try {
      let s = await openMongoStore({ uri, rollupGraceMs: 0 });
      const col = s.internal.col('report_rollups');
      const oldKey = (metric: string, bucket: number) => ['day', 'resp.team', '*', '*', DAY, 'care', metric, bucket].join('\u0001');
      await col.insertMany(OLD_ROWS.map((r) => ({ _id: oldKey(r.metric, r.bucket), grain: 'day', dim: 'resp.team', brand: '*', network: '*', period: DAY, value: 'care', metric: r.metric, bucket: r.bucket, n: r.n, sum: r.sum }) as Doc));
      // Two processes upgrading at the same time add each old document once.
      expect((await Promise.all([foldBucketRows(col), foldBucketRows(col)])).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
      expect(shape(await s.reports.sum(q))).toEqual(expected);
      expect(await col.countDocuments({ bucket: { $gte: 0 } } as Doc)).toBe(0);
      await s.close();
      // A store opened on older data folds it at open (the marker is removed to play an older database).
      s = await openMongoStore({ uri, rollupGraceMs: 0 });
      await s.internal.col('migrations').deleteOne({ _id: 'report_rollups:hist' } as Doc);
      await s.internal.col('report_rollups').insertOne({ _id: oldKey('ttr_wall', 40), grain: 'day', dim: 'resp.team', brand: '*', network: '*', period: DAY, value: 'care', metric: 'ttr_wall', bucket: 40, n: 4, sum: 4000 } as Doc);
      await s.close();
      s = await openMongoStore({ uri, rollupGraceMs: 0 });
      expect(shape(await s.reports.sum({ ...q, metrics: ['ttr_wall'] }))).toEqual([{ metric: 'ttr_wall', n: 4, sum: 4000, hist: { 40: 4 } }]);
      await s.close();
    } finally {
      await dropMongoDatabase(uri);
    }
  });
});

describe('negative topics keep day rows only: an older store loses its topic week rows at upgrade', () => {
  const WEEK = Date.parse('2026-11-16T00:00:00.000Z');
  const weekQ = { grain: 'week' as const, dim: 'neg.topic' as const, from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', byPeriod: false };
  const dayQ = { ...weekQ, grain: 'day' as const };

  it('SQLite: the migration deletes them and keeps the day rows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-topic-weeks-'));
    const file = path.join(dir, 'hark.sqlite');
    try {
      const at = MIGRATIONS.findIndex((m) => m.includes("dim = 'neg.topic' AND grain = 'week'"));
      expect(at).toBeGreaterThan(0);
      const db = new Database(file);
      for (let v = 0; v < at; v++) db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${at}`);
      const ins = db.prepare("INSERT INTO report_rollups (grain, dim, brand, network, period, value, metric, n, sum) VALUES (?, 'neg.topic', '*', '*', ?, 'lost bag', 'mentions', 2, 0)");
      ins.run('week', WEEK);
      ins.run('day', DAY);
      db.close();
      const store = openSqliteStore({ file });
      try {
        expect(await store.reports.sum(weekQ)).toEqual([]);
        expect((await store.reports.sum(dayQ)).map((r) => [r.value, r.n])).toEqual([['lost bag', 2]]);
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const mongoIt = MONGODB_URI ? it : it.skip;
  mongoIt(MONGODB_URI ? 'MongoDB: the store deletes them at open, once' : `MongoDB upgrade skipped: ${skipMongoReason}`, async () => {
    const uri = freshMongoUri();
    try {
      let s = await openMongoStore({ uri, rollupGraceMs: 0 });
      await s.internal.col('migrations').deleteOne({ _id: 'report_rollups:topic-weeks' } as Doc);
      const key = (grain: string, period: number) => [grain, 'neg.topic', '*', '*', period, 'lost bag', 'mentions', -1].join('\u0001');
      await s.internal.col('report_rollups').insertMany([
        { _id: key('week', WEEK), grain: 'week', dim: 'neg.topic', brand: '*', network: '*', period: WEEK, value: 'lost bag', metric: 'mentions', n: 2, sum: 0 },
        { _id: key('day', DAY), grain: 'day', dim: 'neg.topic', brand: '*', network: '*', period: DAY, value: 'lost bag', metric: 'mentions', n: 2, sum: 0 },
      ] as Doc[]);
      await s.close();
      s = await openMongoStore({ uri, rollupGraceMs: 0 });
      expect(await s.reports.sum(weekQ)).toEqual([]);
      expect((await s.reports.sum(dayQ)).map((r) => [r.value, r.n])).toEqual([['lost bag', 2]]);
      await s.close();
    } finally {
      await dropMongoDatabase(uri);
    }
  });
});
