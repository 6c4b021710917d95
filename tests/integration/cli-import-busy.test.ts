import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { ROOT } from '../support/spawn-hark.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-cli-busy-'));
const file = path.join(dir, 'hark.sqlite');

describe('npm run hark -- import while another process writes the same DATA_DIR', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('completes: every write transaction takes the write lock first and waits for it, instead of failing with "The database is busy"', async () => {
    openSqliteStore({ file }).close();
    const input = path.join(dir, 'posts.jsonl');
    fs.writeFileSync(input, Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ id: `p${i}`, text: `Imported post ${i}, flight delayed` })).join('\n') + '\n');

    // The other process: 2,000-row transactions back to back, and searches that index what is pending.
    const writer = spawn(process.execPath, ['--import', 'tsx', 'tests/support/busy-writer.ts', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errs = '';
    writer.stdout.on('data', (d: Buffer) => (out += d.toString()));
    writer.stderr.on('data', (d: Buffer) => (errs += d.toString()));
    const exited = new Promise<void>((r) => writer.once('exit', () => r()));
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stdout.on('data', () => out.includes('ready') && resolve());
        void exited.then(() => reject(new Error(`writer exited: ${errs}`)));
      });
      const res = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', input], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' } }).catch((e: { code?: number; stdout?: string; stderr?: string }) => e);
      expect(res.stderr ?? '').not.toMatch(/busy/i);
      expect(res.stdout).toMatch(/Stored 30000 mentions/);
    } finally {
      writer.kill('SIGTERM');
      await exited;
    }
    // The writer kept writing all along, and never failed either.
    expect(out).toMatch(/batches [1-9]\d* errors 0/);
    expect(errs).toBe('');
    const store = openSqliteStore({ file });
    try {
      const count = await store.mentions.count();
      expect(count).toBeGreaterThan(30_000);
    } finally {
      await store.close();
    }
  }, 240_000);
});
