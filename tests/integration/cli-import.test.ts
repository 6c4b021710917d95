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
  run(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' } });

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
