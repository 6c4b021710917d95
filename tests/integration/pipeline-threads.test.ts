import { BrandRoles } from '../../shared/brand-roles.js';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/log.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { MentionQuerySchema } from '../../shared/mention-query.js';
import { generateMentions } from '../../connectors/demo/index.js';
import { createMemoryBus } from '../../server/bus/memory-bus.js';
import { loadConfig } from '../../server/config.js';
import { createIngestPath } from '../../server/ingest-path.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import type { Store } from '../../shared/store.js';
import { createScorer } from '../../workers/nlp/index.js';
import { loadDevMentions } from '../bench/dev-texts.js';
import { ApiClient } from '../support/harness.js';
import { ROOT, spawnHark } from '../support/spawn-hark.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-threads-'));
let posts: RawMention[] = [];
const brands = ['Acme Air', 'Nimbus Mobile'];

beforeAll(async () => {
  const real = await loadDevMentions();
  posts = (real.length > 0 ? real.filter((_, i) => i % 17 === 0) : generateMentions(2400, { brands, seed: 11 })).slice(0, 2400).map((m, i) => ({ ...m, platform: 'import', externalId: `p${i}` }));
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every stored mention, in the order it was stored (SQLite ids grow with each insert). */
async function allStored(store: Store) {
  const rows = [];
  for (let cursor: string | undefined; ; ) {
    const page = await store.mentions.list(MentionQuerySchema.parse({ sort: 'recent', limit: 100, ...(cursor ? { cursor } : {}) }));
    rows.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

describe('PIPELINE_THREADS: the import path scores in a pool', () => {
  it('keeps the order of storage and loses or repeats nothing when a thread is killed mid-import', async () => {
    const store = openSqliteStore({ file: path.join(dir, 'kill', 'hark.sqlite') });
    try {
      const config = loadConfig({ PIPELINE_THREADS: '2', DATA_DIR: dir, SIMULATOR: 'off' });
      const ingestPath = await createIngestPath({ store, config, net: { brands: async () => brands, brandRoles: async () => new BrandRoles() }, bus: createMemoryBus(silentLogger), now: () => new Date(), log: silentLogger });
      try {
        expect(ingestPath.window).toBe(2);
        const ingest = ingestPath.sequence();
        const batches = Array.from({ length: 24 }, (_, b) => posts.slice(b * 100, b * 100 + 100));
        const reports = [];
        const inFlight: Array<ReturnType<typeof ingest>> = [];
        let killed = false;
        for (const [b, batch] of batches.entries()) {
          inFlight.push(ingest(batch));
          // Half way, with chunks on both threads, one thread dies.
          if (b === 12 && ingestPath.scoringThreads()[0]) {
            await ingestPath.scoringThreads()[0]!.terminate();
            killed = true;
          }
          if (inFlight.length >= ingestPath.window) reports.push(await inFlight.shift()!);
        }
        for (const p of inFlight) reports.push(await p);
        expect(killed).toBe(true);
        // Each batch's report lists its mentions in input order, and batches were stored in turn.
        expect(reports.flatMap((r) => r.stored.map((m) => m.externalId))).toEqual(posts.map((m) => m.externalId));
        const stored = await allStored(store);
        expect(stored.map((m) => m.externalId)).toEqual(posts.map((m) => m.externalId));
        // The very scores this thread would have given.
        const here = createScorer({ brands });
        for (const [i, m] of stored.entries()) {
          const p = posts[i]!;
          expect(m.scores.sentiment).toEqual(here.score({ text: m.text, lang: p.lang ?? null, author: m.author, engagement: m.engagement, brand: m.brand }).scores.sentiment);
        }
        expect(ingestPath.scoringThreads()).toHaveLength(2);
      } finally {
        await ingestPath.close();
      }
    } finally {
      await store.close();
    }
  }, 120_000);

  it('npm run hark -- import with PIPELINE_THREADS=2 scores in two threads and stores every post once, in file order', async () => {
    const data = path.join(dir, 'cli');
    const file = path.join(dir, 'posts.jsonl');
    fs.writeFileSync(file, posts.map((m) => JSON.stringify({ id: m.externalId, text: m.text, lang: m.lang ?? undefined, author: m.author?.handle })).join('\n') + '\n');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', file], { cwd: ROOT, env: { ...process.env, DATA_DIR: data, LOG_LEVEL: 'warn', SIMULATOR: 'off', PIPELINE_THREADS: '2', PIPELINE_BATCH_SIZE: '200' } });
    expect(stdout).toMatch(new RegExp(`Stored ${posts.length} mentions from posts\\.jsonl .*scored in 2 threads`));
    const store = openSqliteStore({ file: path.join(data, 'hark.sqlite') });
    try {
      expect((await allStored(store)).map((m) => m.externalId)).toEqual(posts.map((m) => m.externalId));
    } finally {
      await store.close();
    }
    const single = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', file], { cwd: ROOT, env: { ...process.env, DATA_DIR: path.join(dir, 'cli1'), LOG_LEVEL: 'warn', SIMULATOR: 'off', PIPELINE_THREADS: '1' } });
    expect(single.stdout).toMatch(/scored in the main thread/);
  }, 120_000);

  it('a PIPELINE_THREADS that is not a whole number of at least 1 stops the start, naming it', async () => {
    const bad = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', path.join(dir, 'posts.jsonl')], { cwd: ROOT, env: { ...process.env, DATA_DIR: path.join(dir, 'bad'), PIPELINE_THREADS: '0' } }).catch((e: { code: number; stderr: string; stdout: string }) => e);
    expect('code' in bad && bad.code).not.toBe(0);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/PIPELINE_THREADS: PIPELINE_THREADS must be at least 1/);
  }, 60_000);

  it('the server scores POST /api/import in its pool', async () => {
    const server = await spawnHark({ SIMULATOR: 'off', LOG_LEVEL: 'info', PIPELINE_THREADS: '2', HARK_ADMIN_EMAIL: 'pool@hark.test', HARK_ADMIN_PASSWORD: 'pool-password' });
    try {
      expect(server.output()).toMatch(/scoring in a pool of threads.*"threads":2/);
      const admin = new ApiClient(server.url);
      expect((await admin.post('/api/auth/login', { email: 'pool@hark.test', password: 'pool-password' })).status).toBe(200);
      const body = posts.slice(0, 1500).map((m) => JSON.stringify({ id: m.externalId, text: m.text, lang: m.lang ?? undefined })).join('\n') + '\n';
      const r = await admin.post('/api/import?format=jsonl', body, { 'content-type': 'application/x-ndjson' });
      expect(r.body).toMatchObject({ received: 1500, stored: 1500, rejected: 0 });
      const page = await admin.get('/api/mentions?sort=recent&limit=5');
      expect(page.body.items).toHaveLength(5);
      for (const m of page.body.items) expect(m.scores.sentiment.label).toMatch(/negative|neutral|positive/);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
