import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { startHark } from '../../server/hark.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { ApiClient } from '../support/harness.js';
import { testStoreEnv } from '../support/test-store.js';

/** Agents relabel; the brand's model learns without a restart and keeps what it learned after one. */
describe('learning from agent corrections', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-learn-'));
  const testStore = testStoreEnv();
  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await testStore.drop();
  });
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'silent', ...testStore.env });
  const mention = (i: number, text: string) => ({ platform: 'x', externalId: `c-${i}-${Math.random().toString(36).slice(2, 7)}`, text, brand: 'Acme', author: { handle: `u${i}` } });

  it('relabels a mention, recomputes its priority, and teaches the brand model', async () => {
    const hark = await startHark(config, { retrainDelayMs: 50 });
    await hark.store.users.create({ email: 'ag@t.hark', name: 'Ag', role: 'agent', passwordHash: await hashPassword('pw-agent-1') });
    const c = new ApiClient(hark.url);
    await c.post('/api/auth/login', { email: 'ag@t.hark', password: 'pw-agent-1' });

    // "bumped" is a gripe in this brand's world; the lexicon does not know it.
    const first = (await hark.ingest([mention(0, 'bumped off the 9am again')])).stored[0]!;
    expect(first.scores.sentiment.label).not.toBe('negative');
    const bad = await c.post(`/api/mentions/${first.id}/correct`, { version: first.version });
    expect(bad.status).toBe(400);
    const fixed = await c.post(`/api/mentions/${first.id}/correct`, { version: first.version, sentiment: 'negative', intent: 'complaint' });
    expect(fixed.status).toBe(200);
    expect(fixed.body.mention.scores.sentiment).toMatchObject({ label: 'negative', method: 'corrected by an agent' });
    expect(fixed.body.mention.scores.priority.score).toBeGreaterThan(first.scores.priority.score);

    const stored = (await hark.ingest(Array.from({ length: 30 }, (_, i) => mention(i + 1, i % 2 ? `bumped from flight ${i} today` : `flight ${i} got upgraded, nice`)))).stored;
    for (const m of stored) {
      const res = await c.post(`/api/mentions/${m.id}/correct`, { version: m.version, sentiment: /bumped/.test(m.text) ? 'negative' : 'positive' });
      expect(res.status).toBe(200);
    }
    await hark.learner.flush();
    const later = (await hark.ingest([mention(99, 'bumped once more, lovely')])).stored[0]!;
    expect(later.scores.sentiment.label).toBe('negative');
    expect(later.scores.sentiment.method).toMatch(/learned from corrections/);
    await hark.close();

    // After a restart the model is still there.
    const again = await startHark(config, { retrainDelayMs: 50 });
    const after = (await again.ingest([mention(100, 'bumped yet again')])).stored[0]!;
    expect(after.scores.sentiment.label).toBe('negative');
    expect(after.scores.sentiment.method).toMatch(/learned from corrections/);
    // Another brand is not affected.
    const other = (await again.ingest([{ ...mention(101, 'bumped into an old friend at the gate'), brand: 'Globex' }])).stored[0]!;
    expect(other.scores.sentiment.method).not.toMatch(/learned/);
    await again.close();
  }, 60_000);
});
