import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawMention, startHarness, type ApiClient, type Harness } from '../support/harness.js';
import { CONTENT_TYPES, HEADER_NAMES, headerValue, hostileBody, hostileJson, hostileString, rawBody, urlString } from './arbitraries.js';

/**
 * Hostile input across the whole HTTP API and the socket events, against a
 * real server: no 5xx, no crash, nothing already accepted lost. Seeds are
 * printed on failure (FUZZ_SEED=<seed> repeats a run).
 *
 * Left out for now, on purpose: bad percent-encoding in :id and bodies whose
 * Content-Encoding lies (issue 11 item 4, fixed by another helper). Ids are
 * always percent-encoded correctly here and no Content-Encoding is sent.
 */

/** Every route of the API (server/http/app.ts and server/http/routes/*); the test below checks the sources agree. */
export const ROUTES: Array<[method: string, path: string]> = [
  ['GET', '/api/health'],
  ['GET', '/api/cases/queue'],
  ['GET', '/api/cases/escalation-defaults'],
  ['GET', '/api/cases/taxonomy'],
  ['PUT', '/api/cases/taxonomy'],
  ['GET', '/api/cases/:id/workspace'],
  ['POST', '/api/investigations'],
  ['GET', '/api/investigations/:caseId'],
  ['GET', '/api/notices'],
  ['POST', '/api/notices/read'],
  ['GET', '/api/reports/response'],
  ['GET', '/api/reports/volume'],
  ['GET', '/api/reports/share-of-voice'],
  ['GET', '/api/reports/topics'],
  ['GET', '/api/reports/experience/weights'],
  ['PUT', '/api/reports/experience/weights'],
  ['GET', '/api/reports/experience'],
  ['POST', '/api/settings/routing-rules/preview'],
  ['POST', '/api/settings/webhooks/:id/test'],
  ['GET', '/api/wall/screen'],
  ['GET', '/api/views'],
  ['POST', '/api/views'],
  ['DELETE', '/api/views/:id'],
  ['GET', '/api/auth/demo'],
  ['POST', '/api/auth/login'],
  ['POST', '/api/auth/logout'],
  ['GET', '/api/auth/me'],
  ['GET', '/api/mentions'],
  ['GET', '/api/mentions/:id'],
  ['GET', '/api/mentions/:id/context'],
  ['GET', '/api/mentions/:id/timeline'],
  ['POST', '/api/mentions/:id/claim'],
  ['POST', '/api/mentions/:id/release'],
  ['POST', '/api/mentions/:id/assign'],
  ['POST', '/api/mentions/:id/dismiss'],
  ['POST', '/api/mentions/:id/watch'],
  ['POST', '/api/mentions/:id/snooze'],
  ['POST', '/api/mentions/:id/tags'],
  ['POST', '/api/mentions/:id/notes'],
  ['POST', '/api/mentions/:id/correct'],
  ['GET', '/api/mentions/:id/replies'],
  ['POST', '/api/mentions/:id/replies'],
  ['POST', '/api/queue/next'],
  ['POST', '/api/queue/bulk'],
  ['GET', '/api/cases'],
  ['POST', '/api/cases'],
  ['GET', '/api/cases/:id'],
  ['PATCH', '/api/cases/:id'],
  ['POST', '/api/cases/:id/notes'],
  ['GET', '/api/replies/pending'],
  ['POST', '/api/replies/:id/approve'],
  ['POST', '/api/replies/:id/reject'],
  ['POST', '/api/replies/:id/retry'],
  ['GET', '/api/canned-responses'],
  ['POST', '/api/canned-responses'],
  ['PUT', '/api/canned-responses/:id'],
  ['DELETE', '/api/canned-responses/:id'],
  ['GET', '/api/customers'],
  ['GET', '/api/customers/suggestions'],
  ['POST', '/api/customers'],
  ['GET', '/api/customers/:id'],
  ['PATCH', '/api/customers/:id'],
  ['POST', '/api/customers/:id/merge'],
  ['POST', '/api/customers/:id/unmerge'],
  ['POST', '/api/customers/:id/erase'],
  ['GET', '/api/customers/:id/export'],
  ['GET', '/api/settings/sla'],
  ['PUT', '/api/settings/sla'],
  ['GET', '/api/settings/teams'],
  ['PUT', '/api/settings/teams'],
  ['GET', '/api/settings/routing-rules'],
  ['PUT', '/api/settings/routing-rules'],
  ['GET', '/api/settings/retention'],
  ['PUT', '/api/settings/retention'],
  ['GET', '/api/settings/webhooks'],
  ['PUT', '/api/settings/webhooks'],
  ['GET', '/api/settings/webhooks/deliveries'],
  ['POST', '/api/settings/webhooks/deliveries/:id/redeliver'],
  ['GET', '/api/audit'],
  ['GET', '/api/users'],
  ['POST', '/api/users'],
  ['PATCH', '/api/users/:id'],
  ['POST', '/api/users/:id/disable'],
  ['POST', '/api/users/:id/enable'],
  ['GET', '/api/account/sessions'],
  ['DELETE', '/api/account/sessions/:id'],
  ['POST', '/api/account/sign-out-everywhere'],
  ['POST', '/api/account/password'],
  ['GET', '/api/queue/dead-letters'],
  ['POST', '/api/queue/dead-letters/:id/retry'],
  ['GET', '/api/wall'],
  ['GET', '/api/wall/topics'],
  ['GET', '/api/alerts'],
  ['GET', '/api/connectors'],
  ['GET', '/api/networks'],
  ['GET', '/api/networks/:network'],
  ['PUT', '/api/networks/:network'],
  ['GET', '/api/networks/replies'],
  ['POST', '/api/networks/x/account/connect'],
  ['GET', '/api/networks/x/account/callback'],
  ['DELETE', '/api/networks/x/account'],
  ['GET', '/api/listening-queries'],
  ['PUT', '/api/listening-queries'],
  ['POST', '/api/listening-queries/check'],
  ['POST', '/api/import'],
];

const QUERY_KEYS = [
  'status', 'platform', 'sentiment', 'priorityMin', 'priorityMax', 'since', 'until', 'q', 'assignee', 'sort', 'limit', 'cursor', 'before', 'minutes',
  'brand', 'handle', 'name', 'format', 'map', 'actorId', 'entityType', 'entityId', 'webhookId', 'customerId', '__proto__', 'constructor', 'x',
] as const;

const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = (n: number) => ({ seed, numRuns: n, endOnFailure: true });
/** fast-check reports the seed and path; this adds how to replay the whole suite. */
const replay = async (what: string, p: Promise<void>) => {
  try {
    await p;
  } catch (e) {
    throw new Error(`${what} failed with FUZZ_SEED=${seed} (run again with FUZZ_SEED=${seed}):\n${e instanceof Error ? e.message : String(e)}`);
  }
};

describe('fuzz: HTTP API and sockets', () => {
  let h: Harness;
  let admin: ApiClient;
  let agent: ApiClient;
  let anon: ApiClient;
  let seeded: { mentionId: string; mentionText: string; caseId: string; caseNumber: string; customerId: string; count: number };
  const ids: string[] = [];
  const fives: string[] = [];
  let sent = 0;
  const timing = new Map<string, number>();

  beforeAll(async () => {
    h = await startHarness();
    [admin, agent] = await Promise.all([h.signIn('admin'), h.signIn('agent')]);
    anon = new (admin.constructor as new (base: string) => ApiClient)(h.hark.url);
    const { stored } = await h.hark.ingest([rawMention(1), rawMention(2), rawMention(3)]);
    const m = stored[0]!;
    const kase = await admin.post('/api/cases', { mentionIds: [stored[1]!.id] });
    const customer = await admin.post('/api/customers', { name: 'Seed Customer', identities: [{ platform: 'x', handle: 'seeded_person' }] });
    seeded = { mentionId: m.id, mentionText: m.text, caseId: kase.body.case.id, caseNumber: kase.body.case.number, customerId: customer.body.customer.id, count: await h.hark.store.mentions.count() };
    ids.push(m.id, stored[2]!.id, kase.body.case.id, customer.body.customer.id, '1', '2', '999999', '0', 'x', 'reddit', 'simulator');
  });
  afterAll(async () => {
    console.log(`fuzz: ${sent} HTTP requests, seed ${seed}`);
    if (process.env.FUZZ_TIMING) console.log([...timing].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k} ${Math.round(v)} ms`).join('\n'));
    await h?.close();
  });

  const id = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...['1', '2', '3', '999999', 'x', 'reddit']) }, { weight: 1, arbitrary: urlString.filter((s) => s.length > 0) });
  const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), urlString), fc.oneof(urlString, fc.constantFrom('1', '0', '-1', '1000000', 'priority', 'recent', 'csv', 'json', 'new,claimed', 'x', '2026-01-01T00:00:00Z'))), { maxLength: 4 });
  const request = fc.record({
    route: fc.constantFrom(...ROUTES),
    id: fc.oneof(id, fc.constant('')),
    query,
    body: fc.oneof({ weight: 4, arbitrary: hostileBody.map((b) => ({ json: b })) }, { weight: 1, arbitrary: rawBody.map((raw) => ({ raw })) }, { weight: 1, arbitrary: fc.constant({}) }),
    contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: CONTENT_TYPES }),
    headers: fc.dictionary(HEADER_NAMES, headerValue, { maxKeys: 2 }),
    who: fc.constantFrom('admin', 'admin', 'agent', 'anon') as fc.Arbitrary<'admin' | 'agent' | 'anon'>,
  });

  async function send(r: Parameters<Parameters<typeof request.map>[0]>[0]) {
    const [method, template] = r.route;
    const pathname = template.replace(/:(id|network)/g, () => (r.id === '' ? ids[0]! : encodeURIComponent(r.id ?? '')));
    const qs = new URLSearchParams(r.query as Array<[string, string]>).toString();
    const url = `${pathname}${qs ? `?${qs}` : ''}`;
    const client = r.who === 'admin' ? admin : r.who === 'agent' ? agent : anon;
    const hasBody = method !== 'GET' && method !== 'DELETE' && 'json' in r.body ? r.body.json !== undefined : 'raw' in r.body;
    const body = method === 'GET' ? undefined : 'raw' in r.body ? (r.body.raw as string) : 'json' in r.body ? JSON.stringify(r.body.json ?? null) : undefined;
    const t0 = performance.now();
    const res = await fetch(h.hark.url + url, {
      method,
      headers: { ...(client.cookie ? { cookie: client.cookie } : {}), ...r.headers, ...(hasBody ? { 'content-type': r.contentType } : {}) },
      body,
    });
    sent++;
    const text = await res.text();
    const key = `${method} ${template}`;
    timing.set(key, (timing.get(key) ?? 0) + performance.now() - t0);
    if (res.status >= 500) fives.push(`${method} ${url} (${r.who}, ${r.contentType}) body=${(body ?? '').slice(0, 300)} → ${res.status} ${text.slice(0, 200)}`);
    // A fuzzed logout ends that client's session: sign it in again so the rest still reaches past auth.
    if (res.status === 401 && r.who !== 'anon') {
      const fresh = await h.signIn(r.who);
      client.cookie = fresh.cookie;
    }
    return res.status;
  }

  it('the route table matches the route sources', () => {
    const dir = path.join(import.meta.dirname, '../../server/http/routes');
    const found = new Set<string>();
    for (const f of fs.readdirSync(dir)) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/\br\.(get|post|put|patch|delete)\(\s*'([^']+)'/g)) found.add(`${m[1]!.toUpperCase()} ${m[2]}`);
      for (const m of src.matchAll(/\bact\('([a-z-]+)'/g)) found.add(`POST /:id/${m[1]}`);
    }
    const missing = [...found].filter((k) => {
      const [method, sub] = k.split(' ') as [string, string];
      return !ROUTES.some(([m, p]) => m === method && (sub === '/' ? true : p.endsWith(sub.replace(/:network/, ':network'))));
    });
    expect(missing).toEqual([]);
  });

  it('answers 2,800 hostile requests across every route, role, body, query and header with no 5xx', async () => {
    await replay(
      'HTTP fuzz',
      fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 4, maxLength: 4 }), async (batch) => {
          const statuses = await Promise.all(batch.map(send));
          expect(statuses.every((s) => s < 500), fives.join('\n')).toBe(true);
        }),
        runs(Number(process.env.FUZZ_HTTP_RUNS ?? 600)),
      ),
    );
    // Every route, every role, with an empty and a junk body, at least once, whatever the random draw.
    for (const route of ROUTES) for (const who of ['admin', 'agent', 'anon'] as const) for (const body of [{ json: {} }, { raw: '{' }]) await send({ route, id: ids[0]!, query: [], body, contentType: 'application/json', headers: {}, who });
    expect(fives).toEqual([]);
    if (!process.env.FUZZ_HTTP_RUNS) expect(sent).toBeGreaterThanOrEqual(2_800);
  }, 120_000);

  it('survives 1,000 hostile socket events, and the server still answers', async () => {
    const socket = admin.socket();
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const events = fc.constantFrom('room.join', 'room.join', 'room.leave', 'presence.set', 'presence.set', 'nope', '__proto__', 'constructor', 'disconnect_', 'sync.reset');
    const payload = fc.oneof(
      hostileJson,
      fc.record({ room: fc.oneof(hostileString, fc.constantFrom('queue', 'wall', 'cases', 'mention:1', 'case:1', 'team:x', 'mention:999999999999999999')), epoch: hostileJson, lastSeq: hostileJson, typing: hostileJson }, { requiredKeys: [] }),
    );
    const reconnect = () =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        socket.once('connect', () => (clearTimeout(t), resolve()));
        socket.connect();
      });
    let acks = 0;
    let timeouts = 0;
    let reconnects = 0;
    let last = '';
    socket.on('disconnect', (reason) => {
      reconnects++;
      if (process.env.FUZZ_TIMING) console.log('disconnect', reason, last.length, last.slice(0, 80));
    });
    await replay(
      'socket fuzz',
      fc.assert(
        fc.asyncProperty(events, payload, fc.boolean(), async (event, data, withAck) => {
          // The server drops a socket that sends more than its buffer limit (1 MB): that is protection, not a failure; come back.
          if (!socket.connected) await reconnect();
          last = `${event} ${JSON.stringify(data)}`;
          if (withAck && event === 'room.join') {
            await new Promise<void>((resolve) => {
              const t = setTimeout(() => (timeouts++, resolve()), 300);
              (socket as unknown as { emit: (e: string, d: unknown, ack: () => void) => void }).emit(event, data, () => (acks++, clearTimeout(t), resolve()));
            });
          } else (socket as unknown as { emit: (e: string, ...d: unknown[]) => void }).emit(event, data);
        }),
        runs(Number(process.env.FUZZ_SOCKET_RUNS ?? 1000)),
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    if (process.env.FUZZ_TIMING) console.log(`socket: ${acks} acks, ${timeouts} timeouts, ${reconnects} disconnects`);
    expect(acks).toBeGreaterThan(0);
    expect((await admin.get('/api/health')).status).toBe(200);
    // The socket still works: a valid join is acknowledged.
    if (!socket.connected) await reconnect();
    const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit('room.join', { room: 'queue' }, resolve));
    expect(ack.ok).toBe(true);
    socket.close();
  }, 60_000);

  it('lost nothing already accepted', async () => {
    const m = (await admin.get(`/api/mentions/${seeded.mentionId}`)).body.mention;
    expect(m.text).toBe(seeded.mentionText);
    const kase = (await admin.get(`/api/cases/${seeded.caseId}`)).body.case;
    expect(kase.number).toBe(seeded.caseNumber);
    expect((await admin.get(`/api/customers/${seeded.customerId}`)).status).toBe(200);
    expect(await h.hark.store.mentions.count()).toBeGreaterThanOrEqual(seeded.count);
    expect((await admin.get('/api/health')).status).toBe(200);
  });
});
