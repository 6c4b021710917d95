import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/log.js';
import { createDemoStream, seededRandom } from '../../connectors/demo/index.js';
import { createScorer } from '../../workers/nlp/index.js';
import { normalize } from '../../workers/pipeline/normalize.js';
import { route } from '../../workers/pipeline/route.js';
import { score } from '../../workers/pipeline/score.js';
import { routingContextFrom } from '../../server/routing/routing-context.js';
import { demoPlan, demoQueriesBlocked, seedDemo } from '../../server/demo/seed-demo.js';
import { loadConfig } from '../../server/config.js';
import { readSetting, writeSetting } from '../../server/settings/registry.js';
import { openSharedTestStores } from '../support/test-store.js';

const BRANDS = ['Acme Air', 'Nimbus Mobile', 'Brightbank'];

describe('demo seeding', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });
  const stores = async (n: number) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-demo-'));
    const s = await openSharedTestStores(path.join(dir, 'hark.sqlite'), n);
    close = async () => {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    return s.stores;
  };

  it('seeds teams, an agent per team, rules, an SLA with business hours, saved replies per brand and competitors, once across processes and restarts', async () => {
    const [a, b] = await stores(2);
    // Two API processes starting at once on one fresh store.
    await Promise.all([seedDemo(a!, BRANDS, silentLogger), seedDemo(b!, BRANDS, silentLogger)]);
    // And a restart.
    expect((await seedDemo(a!, BRANDS, silentLogger)).seeded).toEqual([]);
    const teams = (await readSetting(a!, 'teams'))!;
    expect(teams.version).toBe(1);
    expect(teams.value.map((t) => t.id)).toEqual(expect.arrayContaining(['acme-air-care', 'nimbus-mobile-care', 'brightbank-care', 'vip-press', 'sales']));
    const users = await a!.users.list();
    for (const t of teams.value) expect(users.filter((u) => u.role === 'agent' && u.teams.includes(t.id))).toHaveLength(1);
    const replies = await a!.cannedResponses.list();
    expect(replies).toHaveLength(demoPlan(BRANDS).replies.length);
    for (const brand of BRANDS) expect(replies.filter((r) => r.title.startsWith(`${brand}:`)).length).toBeGreaterThanOrEqual(2);
    const sla = (await readSetting(a!, 'sla.policy'))!.value;
    expect(sla.businessHours).toMatchObject({ timeZone: 'Europe/Lisbon', start: '07:00' });
    const queries = (await readSetting(a!, 'listening.queries'))!.value;
    for (const brand of BRANDS) expect(queries.filter((q) => q.role === 'competitor' && q.competitorOf === brand).length).toBeGreaterThanOrEqual(2);
    expect((await readSetting(a!, 'routing.rules'))!.value.length).toBe(BRANDS.length + 2);
  });

  it('does not save its listening queries when a real network listens from env, nor over env queries', async () => {
    expect(demoQueriesBlocked(loadConfig({}))).toBeNull();
    expect(demoQueriesBlocked(loadConfig({ X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAbearer-token-for-tests-0123456789' }))).toMatch(/real network .*\(x\)/);
    expect(demoQueriesBlocked(loadConfig({ REDDIT_CLIENT_ID: 'id', REDDIT_CLIENT_SECRET: 'secret' }))).toMatch(/reddit/);
    expect(demoQueriesBlocked(loadConfig({ X_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme Air', query: 'acme' }]) }))).toMatch(/env/);
    const [s] = await stores(1);
    const { seeded } = await seedDemo(s!, BRANDS, silentLogger, { queriesBlocked: demoQueriesBlocked(loadConfig({ X_BEARER_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAbearer-token-for-tests-0123456789' })) });
    expect(seeded).not.toContain('listening queries');
    expect(seeded).toContain('teams');
    expect(await readSetting(s!, 'listening.queries')).toBeNull();
  });

  it('never overwrites what a manager changed', async () => {
    const [s] = await stores(1);
    await seedDemo(s!, BRANDS, silentLogger);
    await writeSetting(s!, 'teams', [{ id: 'only', name: 'Only team', approvalRequired: false }], 1);
    await seedDemo(s!, BRANDS, silentLogger);
    expect((await readSetting(s!, 'teams'))!.value.map((t) => t.id)).toEqual(['only']);
  });

  it('routes the simulator: complaints about each brand reach its care team with the first-response clock running', async () => {
    const [s] = await stores(1);
    await seedDemo(s!, BRANDS, silentLogger);
    const scorer = createScorer({ brands: BRANDS });
    const stream = createDemoStream({ brands: BRANDS, ratePerSecond: 5, random: seededRandom(4), startAt: Date.UTC(2026, 11, 2, 10) });
    const raw = Array.from({ length: 40 }, (_, i) => stream.tick(Date.UTC(2026, 11, 2, 10) + i * 1000)).flat();
    const now = new Date(Date.UTC(2026, 11, 2, 10, 1));
    const { scored: batch } = await score(normalize(raw, { now: () => now }).ok, { scorer });
    await route(batch, await routingContextFrom(s!)());
    const routed = batch.filter((b) => b.mention.triage.team?.endsWith('-care'));
    expect(routed.length).toBeGreaterThan(5);
    for (const { mention: m } of routed) {
      expect(m.triage.team).toBe(`${m.brand!.toLowerCase().replace(/\s+/g, '-')}-care`);
      expect(Date.parse(m.triage.slaDueAt!)).toBeGreaterThan(Date.parse(m.ingestedAt));
    }
  });
});
