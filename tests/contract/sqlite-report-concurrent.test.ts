import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { ROOT } from '../support/spawn-hark.js';

describe('SQLite report histogram written by several processes at once', () => {
  it('counts every bucket increment of every process (the merge runs inside the upsert, under the write lock)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-hist-race-'));
    const file = path.join(dir, 'hark.sqlite');
    try {
      await openSqliteStore({ file }).close();
      const at = String(Date.now() + 4000);
      const PROCS = 3;
      const EACH = 300;
      const runs = Array.from({ length: PROCS }, () =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const c = spawn(process.execPath, ['--import', 'tsx', 'tests/support/add-histogram-once.ts', file, at, String(EACH)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          c.stderr.on('data', (d: Buffer) => (err += d.toString()));
          c.on('exit', (code) => resolve({ code, err }));
        }),
      );
      const results = await Promise.all(runs);
      expect(results.map((r) => r.code), results.map((r) => r.err).join('\n')).toEqual(Array.from({ length: PROCS }, () => 0));
      const store = openSqliteStore({ file });
      const rows = await store.reports.sum({ grain: 'day', dim: 'resp.agent', from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z', brands: ['Acme'], network: 'x', byPeriod: false });
      await store.close();
      expect(rows.map((r) => [r.n, r.sum])).toEqual([[PROCS * EACH, PROCS * EACH]]);
      expect(rows[0]!.hist).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, b) => [String(b), (PROCS * EACH) / 10])));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
