import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { ROOT } from '../support/spawn-hark.js';

/** Contract C-CASE-2 across processes: API processes sharing one SQLite file create cases at the same moment. */
describe('case numbers from several processes at once', () => {
  it('every create succeeds and the numbers are distinct and consecutive', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-cases-'));
    const file = path.join(dir, 'hark.sqlite');
    try {
      openSqliteStore({ file }).close();
      const at = String(Date.now() + 3000);
      const runs = Array.from({ length: 4 }, () =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const c = spawn(process.execPath, ['--import', 'tsx', 'tests/support/create-cases.ts', file, at, '60'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          c.stderr.on('data', (d: Buffer) => (err += d.toString()));
          c.on('exit', (code) => resolve({ code, err }));
        }),
      );
      const results = await Promise.all(runs);
      expect(results.map((r) => r.code), results.map((r) => r.err).join('\n').slice(0, 2000)).toEqual([0, 0, 0, 0]);
      const store = openSqliteStore({ file });
      const numbers: number[] = [];
      for (let cursor: string | undefined; ; ) {
        const page = await store.cases.list({ limit: 100, ...(cursor ? { cursor } : {}) });
        numbers.push(...page.items.map((c) => Number(c.number.slice(3))));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      await store.close();
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 240 }, (_, i) => 1001 + i));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
