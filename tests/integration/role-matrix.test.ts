import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiClient, type Harness } from '../support/harness.js';

/** Every role-restricted route, with the lowest role allowed. */
const ROUTES: Array<[method: string, path: string, body: unknown, least: 'agent' | 'manager' | 'admin']> = [
  ['GET', '/api/mentions', undefined, 'agent'],
  ['GET', '/api/cases', undefined, 'agent'],
  ['GET', '/api/cases/queue', undefined, 'agent'],
  ['GET', '/api/cases/escalation-defaults?mentionId=999999', undefined, 'agent'],
  ['GET', '/api/cases/taxonomy', undefined, 'agent'],
  ['PUT', '/api/cases/taxonomy', { version: 99, taxonomy: { categories: [], resolutionCodes: [] } }, 'manager'],
  ['GET', '/api/cases/999999/workspace', undefined, 'agent'],
  ['POST', '/api/cases/999999/replies', { mentionId: '1', text: 'hi', idempotencyKey: 'role-matrix-key' }, 'agent'],
  ['POST', '/api/cases/999999/merge', { into: '1' }, 'agent'],
  ['GET', '/api/notices', undefined, 'agent'],
  ['POST', '/api/notices/read', { all: true }, 'agent'],
  ['GET', '/api/views', undefined, 'agent'],
  ['POST', '/api/views', { name: 'role matrix', filters: {} }, 'agent'],
  ['DELETE', '/api/views/999999', undefined, 'agent'],
  ['GET', '/api/canned-responses', undefined, 'agent'],
  ['GET', '/api/settings/sla', undefined, 'agent'],
  ['GET', '/api/settings/teams', undefined, 'agent'],
  ['GET', '/api/users', undefined, 'agent'],
  ['POST', '/api/canned-responses', { title: 't', body: 'b' }, 'manager'],
  ['PUT', '/api/settings/sla', { version: 99, policy: {} }, 'manager'],
  ['PUT', '/api/settings/teams', { version: 99, teams: [] }, 'manager'],
  ['PUT', '/api/settings/routing-rules', { version: 99, rules: [] }, 'manager'],
  ['GET', '/api/replies/pending', undefined, 'manager'],
  ['POST', '/api/replies/1/approve', undefined, 'manager'],
  ['GET', '/api/audit', undefined, 'manager'],
  ['POST', '/api/import', 'id,text\n', 'manager'],
  ['GET', '/api/settings/webhooks', undefined, 'admin'],
  ['PUT', '/api/settings/webhooks', { version: 99, webhooks: [] }, 'admin'],
  ['GET', '/api/settings/webhooks/deliveries', undefined, 'admin'],
  ['POST', '/api/settings/webhooks/nope/test', undefined, 'admin'],
  ['POST', '/api/settings/routing-rules/preview', { rules: [] }, 'manager'],
  ['POST', '/api/users', { email: 'x@y.zz', name: 'X', role: 'agent', password: 'long enough pw' }, 'admin'],
  ['PATCH', '/api/users/1', { capacity: 3 }, 'admin'],
  ['POST', '/api/users/999999/disable', undefined, 'admin'],
  ['POST', '/api/users/999999/enable', undefined, 'admin'],
  ['GET', '/api/account/sessions', undefined, 'agent'],
  ['GET', '/api/wall/topics', undefined, 'agent'],
  ['GET', '/api/wall/screen', undefined, 'agent'],
  ['POST', '/api/investigations', { brand: 'Acme', topic: 'outage' }, 'manager'],
  ['GET', '/api/investigations/999999', undefined, 'agent'],
  ['GET', '/api/listening-queries', undefined, 'agent'],
  ['PUT', '/api/listening-queries', { version: 99, queries: [] }, 'manager'],
  ['POST', '/api/listening-queries/check', { query: 'acme' }, 'manager'],
  ['GET', '/api/connectors', undefined, 'manager'],
  ['GET', '/api/networks', undefined, 'manager'],
  ['GET', '/api/networks/x', undefined, 'manager'],
  ['PUT', '/api/networks/x', { version: 99 }, 'admin'],
  ['PUT', '/api/networks/reddit', { version: 99 }, 'admin'],
  ['GET', '/api/networks/replies', undefined, 'agent'],
  ['POST', '/api/networks/x/account/connect', undefined, 'admin'],
  ['GET', '/api/networks/x/account/callback?state=s&code=c', undefined, 'admin'],
  ['DELETE', '/api/networks/x/account', undefined, 'admin'],
  ['GET', '/api/settings/retention', undefined, 'agent'],
  ['PUT', '/api/settings/retention', { version: 99, mentionDays: 30 }, 'manager'],
  ['GET', '/api/customers?q=ana&limit=5', undefined, 'agent'],
  ['POST', '/api/customers/999999/erase', { confirmName: 'x' }, 'manager'],
  ['GET', '/api/customers/999999/export', undefined, 'manager'],
  ['GET', '/api/reports/response?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z', undefined, 'manager'],
  ['GET', '/api/reports/volume?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z', undefined, 'manager'],
  ['GET', '/api/reports/share-of-voice?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z', undefined, 'manager'],
  ['GET', '/api/reports/topics?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z', undefined, 'manager'],
  ['GET', '/api/reports/experience?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z', undefined, 'manager'],
  ['GET', '/api/reports/experience/weights', undefined, 'manager'],
  ['PUT', '/api/reports/experience/weights', { version: 99, weights: { reply_followup: 1, case_resolved: 1, case_reopened: 1 } }, 'manager'],
];
const RANK = { agent: 1, manager: 2, admin: 3 } as const;

describe('role matrix: every route checks the role', () => {
  let h: Harness;
  const clients: Partial<Record<keyof typeof RANK, ApiClient>> = {};
  beforeAll(async () => {
    h = await startHarness();
    for (const role of ['agent', 'manager', 'admin'] as const) clients[role] = await h.signIn(role);
  });
  afterAll(() => h.close());

  for (const [method, path, body, least] of ROUTES) {
    it(`${method} ${path} needs ${least}`, async () => {
      for (const role of ['agent', 'manager', 'admin'] as const) {
        const res = await clients[role]!.request(method, path, body);
        if (RANK[role] < RANK[least]) {
          expect(res.status, `${role}`).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        } else expect(res.status, `${role}: ${JSON.stringify(res.body)}`).not.toBe(403);
      }
    });
  }
});
