import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { MentionQuerySchema } from '../../shared/mention-query.js';
import { ROOT } from '../support/spawn-hark.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-cli-'));
const hark = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' } });

describe('npm run hark -- import', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports a JSONL file with no mapping, reports counts and time, and is idempotent', async () => {
    const file = path.join(dir, 'posts.jsonl');
    fs.writeFileSync(
      file,
      [
        { id: 'a1', text: 'My order never arrived, second time this month', author: 'kim', author_followers: 5400, created_at: '2026-11-01T10:00:00Z', lang: 'en' },
        { id: 'a2', text: '¿Alguien sabe si la tienda abre el domingo?', author: 'luis' },
        { id: 'a3', text: 'Ich liebe die neue App!' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n') + '\n',
    );
    const first = await hark(['import', file]);
    expect(first.stdout).toMatch(/Stored 3 mentions from posts\.jsonl in \d+\.\d s/);
    const second = await hark(['import', file]);
    expect(second.stdout).toMatch(/Stored 0 mentions .*3 duplicates/);

    const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
    try {
      const page = await store.mentions.list(MentionQuerySchema.parse({ platform: 'import', sort: 'recent' }));
      expect(page.items.map((m) => m.externalId).sort()).toEqual(['a1', 'a2', 'a3']);
      const a1 = page.items.find((m) => m.externalId === 'a1')!;
      expect(a1.author).toMatchObject({ handle: 'kim', followers: 5400 });
      expect(a1.createdAt).toBe('2026-11-01T10:00:00.000Z');
    } finally {
      await store.close();
    }
  }, 60_000);

  it('imports a CSV with --platform and --map', async () => {
    const file = path.join(dir, 'posts.csv');
    fs.writeFileSync(file, 'tweet_id,body,user\n1,"Hello, world ""quoted""",ann\n2,"multi\nline",bob\n');
    const res = await hark(['import', file, '--platform', 'legacy', '--map', 'id=tweet_id,text=body,author=user']);
    expect(res.stdout).toMatch(/Stored 2 mentions/);
  }, 60_000);

  it('explains bad arguments with exit code 2', async () => {
    const err = (await hark(['import', path.join(dir, 'nope.csv')]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/no such file/);
    const bad = (await hark(['import', 'x.csv', '--map', 'colour=red']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--map/);
  }, 60_000);
});

describe('npm run hark -- train / analyze', () => {
  it('trains a model from a labelled CSV and uses it to analyze JSONL from stdin', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-train-'));
    const csv = path.join(d, 'labels.csv');
    const rows = ['body,mood'];
    for (let i = 0; i < 30; i++) rows.push(`"got bumped off flight ${i}",negative`, `"got upgraded on flight ${i}",positive`, `"flight ${i} boards at gate ${i}",neutral`);
    rows.push('"no label here",maybe');
    fs.writeFileSync(csv, rows.join('\n'));
    const model = path.join(d, 'model.json');
    const trained = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'train', csv, '--text-column', 'body', '--label-column', 'mood', '--out', model], { cwd: ROOT });
    expect(trained.stdout).toMatch(/Trained on 90 rows \(30 negative, 30 neutral, 30 positive; 1 skipped\)/);

    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'analyze', '--model', model], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stdin.end(['{"id":"a","text":"bumped again, great"}', 'garbage', '{"id":"c","text":"Mi vuelo fue cancelado","lang":"es"}'].join('\n') + '\n');
    await new Promise((r) => child.once('exit', r));
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ id: 'a', lang: 'en', sentiment: { label: 'negative' } });
    expect(lines[0].sentiment.score).toBeGreaterThanOrEqual(-1);
    expect(lines[1]).toMatchObject({ id: null, line: 2, error: 'not valid JSON' });
    expect(lines[2]).toMatchObject({ id: 'c', lang: 'es' });
    fs.rmSync(d, { recursive: true, force: true });
  }, 60_000);
});
