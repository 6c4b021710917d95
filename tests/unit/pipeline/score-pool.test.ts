import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/log.js';
import type { RawMention } from '../../../shared/raw-mention.js';
import { generateMentions } from '../../../connectors/demo/index.js';
import { createLearner } from '../../../server/learning/learner.js';
import { openSqliteStore } from '../../../server/store/sqlite/sqlite-store.js';
import { createScorer, type ScoreInput } from '../../../workers/nlp/index.js';
import { createScorePool, type ScorePool } from '../../../workers/pipeline/score-pool.js';
import { loadDevMentions } from '../../bench/dev-texts.js';

const author = { id: null, handle: 'u', name: null, followers: 120, verified: false, url: null };
const engagement = { likes: 1, reposts: 0, replies: 0 };
const asInput = (m: RawMention, brand: string | null = null): ScoreInput => ({ text: m.text, lang: m.lang ?? null, author: { ...author, followers: Number(m.author?.followers ?? 120) }, engagement, brand });

let posts: RawMention[] = [];
beforeAll(async () => {
  // Real posts when ../shared/data is there (HARK_DATA_DIR elsewhere), the simulator's otherwise.
  const real = await loadDevMentions();
  posts = real.length > 0 ? real.filter((_, i) => i % 13 === 0).slice(0, 2500) : generateMentions(2500, { brands: ['Acme Air'], seed: 3 });
}, 60_000);

describe('scoring pool (PIPELINE_THREADS)', () => {
  const pools: ScorePool[] = [];
  afterAll(async () => {
    for (const p of pools) await p.close();
  });

  it('gives exactly the scores of in-process scoring, in input order', async () => {
    const brands = ['united', 'AmericanAir', 'JetBlue', 'Acme Air'];
    const here = createScorer({ brands });
    const pool = createScorePool({ threads: 2, brands: () => brands, inProcess: async () => here, log: silentLogger, chunkSize: 100 });
    pools.push(pool);
    const inputs = posts.map((m, i) => asInput(m, i % 5 === 0 ? 'Acme Air' : null));
    const got = await pool.scoreMany(inputs);
    expect(got).toHaveLength(inputs.length);
    expect(got).toEqual(inputs.map((i) => here.score(i)));
    // Both threads took part.
    expect(pool.threads()).toHaveLength(2);
  }, 60_000);

  it('loses and duplicates nothing when a thread is killed mid-batch; the thread is replaced', async () => {
    const here = createScorer({ brands: ['Acme Air'] });
    const pool = createScorePool({ threads: 2, brands: () => ['Acme Air'], inProcess: async () => here, log: silentLogger, chunkSize: 20 });
    pools.push(pool);
    await pool.scoreMany(posts.slice(0, 64).map((m) => asInput(m))); // both threads loaded
    const inputs = posts.map((m) => asInput(m));
    const [victim] = pool.threads();
    const scoring = pool.scoreMany(inputs);
    // Chunks are in flight on both threads now: kill one of them.
    await victim!.terminate();
    const got = await scoring;
    expect(got).toHaveLength(inputs.length);
    expect(got).toEqual(inputs.map((i) => here.score(i)));
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.threads()).toHaveLength(2);
    expect(pool.threads()).not.toContain(victim);
    // The replacement scores too.
    expect(await pool.scoreMany(inputs.slice(0, 300))).toEqual(inputs.slice(0, 300).map((i) => here.score(i)));
  }, 60_000);

  it('scores in this thread once threads keep dying on a chunk', async () => {
    const here = createScorer({});
    let killed = 0;
    const pool = createScorePool({ threads: 1, brands: () => [], inProcess: async () => here, log: silentLogger, maxAttempts: 2 });
    pools.push(pool);
    const inputs = posts.slice(0, 50).map((m) => asInput(m));
    const scoring = pool.scoreMany(inputs);
    // Each thread that takes the chunk dies; after two the chunk is scored here.
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const t = pool.threads()[0];
      if (t) {
        await t.terminate();
        killed++;
      }
    }
    expect(killed).toBe(2);
    expect(await scoring).toEqual(inputs.map((i) => here.score(i)));
  }, 60_000);

  it('picks up new brand words and learned models before the next chunk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-pool-'));
    const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
    try {
      const learner = createLearner({ store, log: silentLogger, retrainDelayMs: 60_000 });
      let brands: string[] = ['Acme Air'];
      const pool = createScorePool({ threads: 2, brands: () => brands, learned: learner, inProcess: async () => createScorer({ brands, learned: learner.modelsFor }), log: silentLogger });
      pools.push(pool);
      const inputs = [
        ...posts.slice(0, 200).map((m) => asInput(m, 'Nimbus')),
        asInput({ ...posts[0]!, text: 'Nimbus is awesome, Nimbus rocks' }, null),
      ];
      const before = await pool.scoreMany(inputs);
      expect(before).toEqual(inputs.map((i) => createScorer({ brands }).score(i)));

      // Managers edit the queries: a new brand whose name is a sentiment-free word now.
      brands = ['Acme Air', 'Awesome Rocks'];
      const renamed = await pool.scoreMany(inputs);
      expect(renamed).toEqual(inputs.map((i) => createScorer({ brands }).score(i)));
      expect(renamed.at(-1)).not.toEqual(before.at(-1));

      // Agents correct enough Nimbus mentions for the brand's learned model to speak: every one is "negative".
      for (let i = 0; i < 30; i++) learner.learn({ mentionId: `m${i}`, brand: 'Nimbus', kind: 'sentiment', label: 'negative', text: posts[i]!.text, lang: 'en', actorId: 'a', at: new Date().toISOString() });
      const learned = await pool.scoreMany(inputs);
      const expected = inputs.map((i) => createScorer({ brands, learned: learner.modelsFor }).score(i));
      expect(learned).toEqual(expected);
      expect(learned.slice(0, 200).some((r) => 'scores' in r && r.scores.sentiment.method.startsWith('learned from corrections'))).toBe(true);
      // Only the brand's mentions: the last input has no brand and keeps the rules.
      expect(learned.at(-1)).toEqual(renamed.at(-1));
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
