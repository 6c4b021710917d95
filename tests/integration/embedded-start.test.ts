import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../support/harness.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';

describe('embedded start (npm start on a bare machine)', () => {
  let proc: SpawnedHark;
  beforeAll(async () => {
    proc = await spawnHark({ SIMULATOR_RATE: '20' });
  }, 60_000);
  afterAll(async () => {
    expect(await proc.stop()).toBe(0);
  });

  it('prints the URL, says it runs on demo data, and prints demo sign-ins that work', async () => {
    expect(proc.output()).toMatch(/DEMO MODE/);
    expect(proc.demo.map((d) => d.role).sort()).toEqual(['admin', 'agent', 'manager']);
    const c = new ApiClient(proc.url);
    const agent = proc.demo.find((d) => d.role === 'agent')!;
    const login = await c.post('/api/auth/login', { email: agent.email, password: agent.password });
    expect(login.status).toBe(200);
    const demo = await new ApiClient(proc.url).get('/api/auth/demo');
    expect(demo.body.demo).toBe(true);
    expect(demo.body.accounts).toHaveLength(3);
  });

  it('fills the queue from the simulator with scored, demo-labelled mentions', async () => {
    const c = new ApiClient(proc.url);
    const agent = proc.demo.find((d) => d.role === 'agent')!;
    await c.post('/api/auth/login', { email: agent.email, password: agent.password });
    const page = await waitFor(async () => {
      const res = await c.get('/api/mentions?limit=20');
      return res.body.items.length >= 5 ? res.body : undefined;
    }, 15_000, 'simulated mentions');
    for (const m of page.items) {
      expect(m.demo).toBe(true);
      expect(m.platform).toBe('simulator');
      expect(m.scores.priority.reasons.length).toBeGreaterThan(0);
    }
  });

  it('reports connector health to managers', async () => {
    const c = new ApiClient(proc.url);
    const mgr = proc.demo.find((d) => d.role === 'manager')!;
    await c.post('/api/auth/login', { email: mgr.email, password: mgr.password });
    const res = await c.get('/api/connectors');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([expect.objectContaining({ connectorId: 'simulator', platform: 'simulator', state: 'ok' })]);
    expect(res.body.items[0].fetched).toBeGreaterThan(0);
  });
});
