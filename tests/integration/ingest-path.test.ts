import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { MentionQuerySchema } from '../../shared/mention-query.js';
import { ROOT } from '../support/spawn-hark.js';
import { startHarness, type ApiClient, type Harness } from '../support/harness.js';

const run = promisify(execFile);

const mention = (id: string, text: string, brand: string | null) => ({ platform: 'x', externalId: id, text, lang: 'en', brand, author: { handle: 'kim', followers: 10 } });

/**
 * The brand words of the scorer come from the listening queries (a brand's
 * own name, and its competitors', never carry sentiment), not from the demo
 * simulator's settings, and follow the managers' edits.
 */
describe.each(['1', '2'])('brand words from the listening queries (PIPELINE_THREADS=%s)', (threads) => {
  let h: Harness;
  let manager: ApiClient;
  beforeAll(async () => {
    h = await startHarness({
      SIMULATOR: 'off',
      PIPELINE_THREADS: threads,
      X_QUERIES: JSON.stringify([
        { id: 'zephyr', brand: 'Zephyr', query: 'zephyr' },
        { id: 'superfresh', brand: 'Super Fresh', query: '"super fresh"' },
      ]),
    });
    manager = await h.signIn('manager');
  });
  afterAll(() => h?.close());

  it("a competitor's name from the queries carries no sentiment", async () => {
    const r = await h.hark.ingest([mention('bw-1', 'Leaving Super Fresh for Zephyr next month', 'Zephyr')]);
    expect(r.stored[0]!.scores.sentiment).toMatchObject({ label: 'neutral', score: 0 });
  });

  it('a brand added by a manager counts at once', async () => {
    const text = 'Happy Hound is opening a store downtown';
    expect((await h.hark.ingest([mention('bw-2', text, 'Zephyr')])).stored[0]!.scores.sentiment.label).toBe('positive');
    const cur = (await manager.get('/api/listening-queries')).body;
    const saved = await manager.request('PUT', '/api/listening-queries', { version: cur.version, queries: [...cur.queries, { id: 'hound', brand: 'Happy Hound', query: '"happy hound"' }] });
    expect(saved.status).toBe(200);
    expect((await h.hark.ingest([mention('bw-3', text, 'Zephyr')])).stored[0]!.scores.sentiment).toMatchObject({ label: 'neutral', score: 0 });
  });
});

describe('one ingest path for the server, POST /api/import and the CLI', () => {
  it('POST /api/import runs the pipeline in batches of PIPELINE_BATCH_SIZE', async () => {
    const h = await startHarness({ PIPELINE_BATCH_SIZE: '2' });
    try {
      const batches: number[] = [];
      // An upload publishes its progress, not its mentions: count the batches where they are stored.
      const mentions = h.hark.store.mentions;
      const insertMany = mentions.insertMany.bind(mentions);
      mentions.insertMany = (args) => (batches.push(args.mentions.length), insertMany(args));
      const manager = await h.signIn('manager');
      const body = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `b${i}`, text: `post number ${i}` })).join('\n') + '\n';
      const r = await manager.post('/api/import?format=jsonl', body, { 'content-type': 'application/x-ndjson' });
      expect(r.body).toMatchObject({ received: 5, stored: 5 });
      expect(batches).toEqual([2, 2, 1]);
    } finally {
      await h.close();
    }
  });

  it('the CLI import applies routing rules and the queries\' brand words, like the server', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-cli-path-'));
    try {
      const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
      await store.settings.set({ key: 'teams', value: [{ id: 'billing', name: 'Billing', approvalRequired: false }], expectedVersion: 0 });
      await store.settings.set({ key: 'routing.rules', value: [{ id: 'refunds', name: 'Refunds to billing', enabled: true, when: { keywords: ['refund'] }, then: { team: 'billing', assignLeastLoaded: false } }], expectedVersion: 0 });
      await store.settings.set({ key: 'listening.queries', value: [{ id: 'hound', brand: 'Happy Hound', query: '"happy hound"', networks: [], enabled: true }], expectedVersion: 0 });
      await store.close();
      const file = path.join(dir, 'posts.jsonl');
      fs.writeFileSync(file, [{ id: 'c1', text: 'Where is my refund?' }, { id: 'c2', text: 'Happy Hound opened a store downtown' }].map((o) => JSON.stringify(o)).join('\n') + '\n');
      await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', file], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn', SIMULATOR: 'off' } });
      const after = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
      try {
        const items = (await after.mentions.list(MentionQuerySchema.parse({ platform: 'import', sort: 'recent' }))).items;
        expect(items.find((m) => m.externalId === 'c1')!.triage.team).toBe('billing');
        expect(items.find((m) => m.externalId === 'c2')!.scores.sentiment).toMatchObject({ label: 'neutral', score: 0 });
      } finally {
        await after.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
