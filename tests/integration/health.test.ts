import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../shared/queues.js';
import { ApiClient, startHarness, waitFor, type Harness } from '../support/harness.js';
import { TEST_STORE } from '../support/test-store.js';

describe('GET /api/health, embedded mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { sweepMs: 50 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('tells anonymous callers and agents the status word only, and managers the detail', async () => {
    const anon = await new ApiClient(h.hark.url).get('/api/health');
    expect(anon.status).toBe(200);
    expect(anon.body).toEqual({ status: 'ok' });
    const agent = await (await h.signIn('agent')).get('/api/health');
    expect(agent.body).toEqual({ status: 'ok' });
    const mgr = await h.signIn('manager');
    const duties = await waitFor(async () => {
      const r = (await mgr.get('/api/health')).body;
      return r.detail.leases.some((l: { name: string }) => l.name === 'duty:spikes') && r;
    }, 5000, 'the sweep leases in the detail');
    expect(duties).toMatchObject({ status: 'ok', detail: { role: 'all', store: { ok: true, kind: TEST_STORE }, redis: null, queue: { ok: true, waiting: 0, oldestWaitingAgeMs: null }, problems: [] } });
    expect(duties.detail.store.latencyMs).toBeGreaterThanOrEqual(0);
    expect(duties.detail.leases.find((l: { name: string }) => l.name === 'duty:spikes')).toMatchObject({ expired: false, holder: expect.stringMatching(/^all@/) });
  });

  it('a batch that is not a batch becomes a dead letter that managers list and can re-run; agents cannot', async () => {
    await h.hark.queue.add(QUEUES.ingest, { source: 'broken-import', mentions: 'not a list' as never });
    const mgr = await h.signIn('manager');
    const dead = await waitFor(async () => (await mgr.get('/api/queue/dead-letters')).body.items[0], 5000, 'a dead letter');
    expect(dead).toMatchObject({ kind: 'bad_data', error: expect.stringMatching(/^mentions: /), attempts: 1 });
    expect((await (await h.signIn('agent')).get('/api/queue/dead-letters')).status).toBe(403);
    expect((await mgr.get('/api/queue/dead-letters?limit=0')).status).toBe(400);
    expect((await mgr.post('/api/queue/dead-letters/nope/retry', {})).status).toBe(404);
    expect((await mgr.post(`/api/queue/dead-letters/${dead.id}/retry`, {})).status).toBe(200);
    // Still bad: it comes back as a new dead letter, and the retry is in the audit log.
    await waitFor(async () => (await mgr.get('/api/queue/dead-letters')).body.items[0]?.id !== dead.id, 5000, 're-run and failed again');
    const audit = await mgr.get('/api/audit?entityType=queue');
    expect(audit.body.items[0]).toMatchObject({ action: 'queue.dead_letter_retried', entityId: dead.id });
  });

  it('answers 503 "down" when the store cannot serve, to anyone', async () => {
    await h.hark.store.close();
    const anon = await new ApiClient(h.hark.url).get('/api/health');
    expect(anon.status).toBe(503);
    expect(anon.body).toEqual({ status: 'down' });
  });
});
