import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { ROOT } from '../support/spawn-hark.js';

describe('SQLite store opened by several processes at once (distributed mode on one host)', () => {
  it('applies each migration once and every process starts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-race-'));
    const file = path.join(dir, 'hark.sqlite');
    try {
      const at = String(Date.now() + 4000);
      const runs = Array.from({ length: 4 }, () =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const c = spawn(process.execPath, ['--import', 'tsx', 'tests/support/open-store-once.ts', file, at], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          c.stderr.on('data', (d: Buffer) => (err += d.toString()));
          c.on('exit', (code) => resolve({ code, err }));
        }),
      );
      const results = await Promise.all(runs);
      expect(results.map((r) => r.code), results.map((r) => r.err).join('\n')).toEqual([0, 0, 0, 0]);
      const store = openSqliteStore({ file });
      expect((await store.settings.keys({ prefix: 'opened.' })).length).toBe(4);
      await store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
