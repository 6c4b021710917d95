import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/connector.js';
import { startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

/** A connector that accepts every reply at once. */
const replier = (): Connector => {
  let n = 0;
  return {
    id: 'reports-replier',
    platform: 'x',
    async run({ signal }) {
      await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
    },
    async reply() {
      n++;
      return { externalId: `r${n}`, url: `https://x.example/r${n}` };
    },
  };
};

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const range = 'from=2026-11-20T00:00:00.000Z&to=2026-11-21T00:00:00.000Z';

describe('reports over HTTP', () => {
  let h: Harness;
  let clock = at(0);
  let agent: ApiClient;
  let boss: ApiClient;
  let ids: string[] = [];
  let followUp = '';
  const raw = (i: number, text: string, minutes: number, over: Record<string, unknown> = {}) => ({
    platform: 'x',
    externalId: `rep-${i}`,
    text,
    createdAt: at(minutes).toISOString(),
    brand: 'Acme',
    author: { handle: `cust${i}`, followers: 50 },
    ...over,
  });
  const reply = async (id: string, minutes: number) => {
    clock = at(minutes);
    const res = await agent.post(`/api/mentions/${id}/replies`, { text: 'Sorry about that, we are on it', idempotencyKey: `reply-key-${id}-${minutes}` });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    await waitFor(async () => (await agent.get(`/api/mentions/${id}/replies`)).body.items.every((r: { state: string }) => r.state === 'sent'), 5000, 'reply sent');
  };

  beforeAll(async () => {
    h = await startHarness({}, { connectors: [replier()], now: () => clock });
    [agent, boss] = await Promise.all([h.signIn('agent'), h.signIn('manager')]);
    const report = await h.hark.ingest([
      raw(1, 'My flight was cancelled and nobody answers, I want a refund', 0),
      raw(2, 'Lost luggage again, this is terrible service', 0),
      raw(3, 'Lost luggage, still waiting for a refund', 0),
      raw(4, 'What time does the lounge open?', 0, { platform: 'reddit', externalId: 'rep-4' }),
    ]);
    ids = report.stored.map((m) => m.id);
    expect(ids).toHaveLength(4);
    await reply(ids[0]!, 10); // 10 min
    await reply(ids[1]!, 70); // 70 min
    // The first customer answers after the reply: a feedback event (positive: 100).
    clock = at(120);
    followUp = (await h.hark.ingest([raw(1, 'Thank you so much, great help, love it', 120, { externalId: 'rep-1b' })])).stored[0]!.id;
    // A case for the third, resolved after three hours.
    const kase = (await agent.post('/api/cases', { mentionIds: [ids[2]] })).body.case;
    clock = at(180);
    const resolved = await agent.request('PATCH', `/api/cases/${kase.id}`, { version: kase.version, status: 'resolved' });
    expect(resolved.status).toBe(200);
  });
  afterAll(() => h.close());

  it('response report by network: received, responded, rate, median and p90 from the histograms, resolutions', async () => {
    const res = await boss.get(`/api/reports/response?${range}&groupBy=network`);
    expect(res.status).toBe(200);
    const x = res.body.groups.find((g: { key: string }) => g.key === 'x');
    const reddit = res.body.groups.find((g: { key: string }) => g.key === 'reddit');
    expect(x).toMatchObject({ received: 4, responded: 2, responseRate: 0.5, resolved: 1 });
    expect(reddit).toMatchObject({ received: 1, responded: 0, responseRate: 0 });
    // 600 s and 4200 s: each percentile is within one bucket (19 %) of its sample
    expect(x.frtMedianSeconds / 600).toBeGreaterThan(0.84);
    expect(x.frtMedianSeconds / 600).toBeLessThan(1.19);
    expect(x.frtP90Seconds / 4200).toBeGreaterThan(0.84);
    expect(x.frtP90Seconds / 4200).toBeLessThan(1.19);
    // the case was opened at +120 min and resolved at +180
    expect(x.resolveMedianSeconds / 3600).toBeGreaterThan(0.84);
    expect(x.resolveMedianSeconds / 3600).toBeLessThan(1.19);
    expect(res.body.total).toMatchObject({ key: 'total', received: 5, responded: 2, resolved: 1 });
    expect(res.body.businessHours).toBe(false);
    // SLA: the three complaints are high priority (60 min to a first response, 8 h to resolve):
    // the 10-minute reply and the 1-hour resolution met it, the 70-minute reply missed it
    expect(res.body.total).toMatchObject({ slaMet: 2, slaMissed: 1, slaCompliance: 0.6667 });
    const byPriority = (await boss.get(`/api/reports/response?${range}&groupBy=priority`)).body.groups;
    expect(byPriority.map((g: { key: string; received: number; responded: number }) => [g.key, g.received, g.responded])).toEqual([
      ['high', 3, 2],
      ['low', 1, 0],
      ['normal', 1, 0],
    ]);
  });

  it('by agent: responses carry the agent name, no response rate; brand filter; a range outside holds nothing', async () => {
    const res = await boss.get(`/api/reports/response?${range}&groupBy=agent`);
    const agents = res.body.groups.filter((g: { responded: number }) => g.responded > 0);
    expect(agents).toHaveLength(1);
    expect(agents[0]).toMatchObject({ responded: 2, received: null, responseRate: null });
    expect(agents[0].key).toMatch(/^agent /);
    expect(res.body.total).toMatchObject({ received: 5, responseRate: 0.4 });
    const other = await boss.get(`/api/reports/response?${range}&groupBy=brand&brand=Globex`);
    expect(other.body.groups).toEqual([]);
    const before = await boss.get('/api/reports/response?from=2026-11-18T00:00:00Z&to=2026-11-19T00:00:00Z');
    expect(before.body.total.received).toBe(0);
  });

  it('downloads the response report as CSV with the same numbers', async () => {
    const json = (await boss.get(`/api/reports/response?${range}&groupBy=network`)).body;
    const res = await boss.get(`/api/reports/response?${range}&groupBy=network&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="hark-response-2026-11-20-2026-11-21.csv"');
    const lines = (res.body as string).trim().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['network', 'received', 'responded', 'response_rate', 'first_response_median_s', 'first_response_p90_s', 'resolved', 'reopened', 'resolve_median_s', 'resolve_p90_s', 'sla_met', 'sla_missed', 'sla_compliance']);
    expect(lines.slice(1).map((l) => l[0])).toEqual(['reddit', 'x', 'total']);
    const x = lines.find((l) => l[0] === 'x')!;
    expect(x.slice(1, 5)).toEqual(['4', '2', '0.5', String(json.groups.find((g: { key: string }) => g.key === 'x').frtMedianSeconds)]);
  });

  it('volume, topics, share of voice and the experience score', async () => {
    const vol = (await boss.get(`/api/reports/volume?${range}`)).body;
    expect(vol.grain).toBe('hour');
    expect(vol.totals.total).toBe(5);
    expect(vol.points.map((p: { period: string }) => p.period)).toEqual(['2026-11-20T10:00:00.000Z', '2026-11-20T12:00:00.000Z']);
    const topics = (await boss.get(`/api/reports/topics?${range}`)).body;
    expect(topics.negativeMentions).toBeGreaterThanOrEqual(2);
    expect(topics.topics.find((t: { topic: string }) => t.topic === 'lost luggage')).toMatchObject({ mentions: 2 });
    const sov = (await boss.get(`/api/reports/share-of-voice?${range}`)).body;
    expect(sov.brands).toEqual([expect.objectContaining({ brand: 'Acme', mentions: 5, share: 1 })]);
    const eex = (await boss.get(`/api/reports/experience?${range}`)).body;
    expect(eex.rows).toEqual([
      { network: 'x', process: 'triage_response', events: 1, eex: 100, terms: [{ kind: 'reply_followup', events: 1, valueSum: 100, weight: 1, weighted: 100 }] },
      { network: 'x', process: 'case_resolution', events: 1, eex: 100, terms: [{ kind: 'case_resolved', events: 1, valueSum: 100, weight: 1, weighted: 100 }] },
    ]);
    // the same author posting again is not a second feedback event
    await h.hark.ingest([raw(1, 'Still thinking about it', 130, { externalId: 'rep-1c' })]);
    expect((await boss.get(`/api/reports/experience?${range}`)).body.overall.events).toBe(2);
  });

  it('managers edit the weights (version checked, audited) and the score follows', async () => {
    const w = (await boss.get('/api/reports/experience/weights')).body;
    expect(w).toEqual({ version: 0, weights: { reply_followup: 1, case_resolved: 1, case_reopened: 1, correction: 1 } });
    // A kind left out keeps its default weight.
    const saved = await boss.request('PUT', '/api/reports/experience/weights', { version: 0, weights: { reply_followup: 0.5, case_resolved: 2, case_reopened: 1 } });
    expect(saved.status).toBe(200);
    expect(saved.body.weights).toEqual({ reply_followup: 0.5, case_resolved: 2, case_reopened: 1, correction: 1 });
    expect((await boss.request('PUT', '/api/reports/experience/weights', { version: 0, weights: w.weights })).status).toBe(409);
    const bad = await boss.request('PUT', '/api/reports/experience/weights', { version: 1, weights: { ...w.weights, case_resolved: 11 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^weights\.case_resolved/);
    const eex = (await boss.get(`/api/reports/experience?${range}`)).body;
    // (100·0.5 + 100·2) / 2
    expect(eex.overall.eex).toBe(125);
    const csv = (await boss.get(`/api/reports/experience?${range}&format=csv`)).body as string;
    expect(csv.split('\r\n')[0]).toBe('network,process,kind,events,value_sum,weight,weighted_sum,row_events,row_eex');
    expect(csv).toContain('x,triage_response,reply_followup,1,100,0.5,50,1,50');
    const audit = (await boss.get('/api/audit?entityType=settings')).body.items.map((e: { action: string }) => e.action);
    expect(audit).toContain('settings.eex_weights_changed');
  });

  it('bad parameters are a 400 naming the field; agents get 403', async () => {
    const cases: Array<[string, string]> = [
      ['/api/reports/response?from=yesterday&to=2026-11-21T00:00:00Z', 'from'],
      [`/api/reports/response?${range}&groupBy=colour`, 'groupBy'],
      ['/api/reports/volume?from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z', 'to'],
      [`/api/reports/topics?${range}&network=myspace`, 'network'],
      [`/api/reports/experience?${range}&format=xml`, 'format'],
      ['/api/reports/share-of-voice?to=2026-11-21T00:00:00Z', 'from'],
    ];
    for (const [url, field] of cases) {
      const res = await boss.get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.error.message.startsWith(`${field}:`), `${url}: ${res.body.error.message}`).toBe(true);
    }
    for (const path of ['response', 'volume', 'share-of-voice', 'topics', 'experience', 'experience/weights']) expect((await agent.get(`/api/reports/${path}?${range}`)).status).toBe(403);
  });

  it('an agent correcting the sentiment of a follow-up to a reply turns its event into a correction (what the customer said)', async () => {
    const before = (await boss.get(`/api/reports/experience?${range}`)).body;
    expect(before.overall.events).toBe(2);
    const m = (await agent.get(`/api/mentions/${followUp}`)).body.mention;
    expect(m.scores.sentiment.label).toBe('positive');
    // The agent reads it as sarcasm: negative.
    const fixed = await agent.post(`/api/mentions/${followUp}/correct`, { version: m.version, sentiment: 'negative' });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    const eex = (await boss.get(`/api/reports/experience?${range}`)).body;
    // Still one event for that mention, now of kind correction valued 0 (weights of the previous test: case_resolved 2, correction 1).
    expect(eex.overall.events).toBe(2);
    expect(eex.rows.find((r: { process: string }) => r.process === 'triage_response')).toEqual({
      network: 'x',
      process: 'triage_response',
      events: 1,
      eex: 0,
      terms: [{ kind: 'correction', events: 1, valueSum: 0, weight: 1, weighted: 0 }],
    });
    // (0·1 + 100·2) / 2
    expect(eex.overall.eex).toBe(100);
    // Corrected again (neutral): the correction is revised, not counted twice.
    const again = await agent.post(`/api/mentions/${followUp}/correct`, { version: fixed.body.mention.version, sentiment: 'neutral' });
    expect(again.status).toBe(200);
    const twice = (await boss.get(`/api/reports/experience?${range}`)).body;
    expect(twice.overall.terms.find((t: { kind: string }) => t.kind === 'correction')).toEqual({ kind: 'correction', events: 1, valueSum: 50, weight: 1, weighted: 50 });
    expect(twice.overall.events).toBe(2);
    // A correction of a mention that was not a follow-up to a reply is no feedback event.
    const o = (await agent.get(`/api/mentions/${ids[3]}`)).body.mention;
    expect((await agent.post(`/api/mentions/${ids[3]}/correct`, { version: o.version, sentiment: 'negative' })).status).toBe(200);
    expect((await boss.get(`/api/reports/experience?${range}`)).body.overall.events).toBe(2);
    const csv = (await boss.get(`/api/reports/experience?${range}&format=csv`)).body as string;
    expect(csv).toContain('x,triage_response,correction,1,50,1,50,1,50');
  });
});
