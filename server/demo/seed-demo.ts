import { ConflictError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import type { ListeningQuery } from '../../shared/networks.js';
import type { RoutingRule, Team } from '../../shared/routing.js';
import type { SlaPolicy } from '../../shared/sla.js';
import type { Store } from '../../shared/store.js';
import { businessOf, competitorsOf, type Business } from '../../connectors/demo/index.js';
import { hashPassword } from '../auth/passwords.js';
import type { Config } from '../config.js';
import { writeSetting, type SettingInput, type SettingKey } from '../settings/registry.js';

/**
 * The demo's setup, so a newcomer sees routing, SLAs, saved replies and share
 * of voice at work: teams with an agent each, routing rules, an SLA policy
 * with business hours, saved replies per brand, and competitors for every
 * brand. Seeded once per fresh store: each document is written with
 * compare-and-set on "must not exist yet", so a restart, or several API
 * processes starting at once, seed it once, and nothing a manager changed is
 * ever overwritten.
 */

export const DEMO_AGENT_PASSWORD = 'hark-demo-agent';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
const teamOf = (brand: string) => `${slug(brand)}-care`.slice(0, 64);

export interface DemoPlan {
  teams: Team[];
  rules: RoutingRule[];
  sla: SlaPolicy;
  queries: ListeningQuery[];
  agents: { email: string; name: string; team: string }[];
  replies: { title: string; body: string; shortcut: string | null }[];
}

const REPLIES: Record<Business, { title: string; body: string }[]> = {
  airline: [
    { title: 'Delayed flight', body: 'Hi {{author_name}}, sorry about the delay. Please DM us your booking reference and {{agent}} will look at rebooking or compensation. – {{brand}}' },
    { title: 'Missing bag', body: 'Hi {{author}}, we are sorry your bag did not arrive. Send us your bag tag number by DM and we will trace it right away. – {{agent}}, {{brand}}' },
  ],
  mobile: [
    { title: 'No coverage', body: 'Hi {{author_name}}, sorry about the signal. Could you DM us your postcode? {{agent}} will check the network in your area. – {{brand}}' },
    { title: 'Bill question', body: 'Hi {{author}}, we can go through your bill together. DM us your account number and {{agent}} will explain every line. – {{brand}}' },
  ],
  bank: [
    { title: 'Card declined', body: 'Hi {{author_name}}, sorry your card was declined. For your security, never post card details: DM us and {{agent}} will help. – {{brand}}' },
    { title: 'App trouble', body: 'Hi {{author}}, sorry the {{brand}} app is giving you trouble. Please update it and DM us if it persists; {{agent}} is on it.' },
  ],
  retail: [{ title: 'Order help', body: 'Hi {{author_name}}, sorry about your order. DM us the order number and {{agent}} will sort it out. – {{brand}}' }],
};

export function demoPlan(brands: string[]): DemoPlan {
  const teams: Team[] = [
    ...brands.map((b) => ({ id: teamOf(b), name: `${b} care`, approvalRequired: false })),
    { id: 'vip-press', name: 'VIP and press', approvalRequired: true },
    { id: 'sales', name: 'Sales leads', approvalRequired: false },
  ];
  const rules: RoutingRule[] = [
    // Loud accounts first: a verified complaint with a large following goes to the senior team, whose replies a manager approves.
    { id: 'vip-complaints', name: 'VIP complaints', enabled: true, when: { intents: ['complaint'], minInfluence: 70 }, then: { team: 'vip-press', assignLeastLoaded: true } },
    { id: 'sales-leads', name: 'Sales leads', enabled: true, when: { intents: ['lead'] }, then: { team: 'sales', assignLeastLoaded: true } },
    ...brands.map((b) => ({ id: `${slug(b)}-care`.slice(0, 64), name: `${b} care`, enabled: true, when: { brands: [b], intents: ['complaint' as const, 'question' as const] }, then: { team: teamOf(b), assignLeastLoaded: false } })),
  ];
  const sla: SlaPolicy = {
    targets: {
      urgent: { firstResponseMinutes: 15, resolutionMinutes: 4 * 60 },
      high: { firstResponseMinutes: 30, resolutionMinutes: 8 * 60 },
      normal: { firstResponseMinutes: 2 * 60, resolutionMinutes: 24 * 60 },
      low: { firstResponseMinutes: 8 * 60, resolutionMinutes: 72 * 60 },
    },
    // Care desks staffed 07:00-22:00 every day, on Lisbon time; the clock stops overnight and on Christmas Day.
    businessHours: { utcOffsetMinutes: 0, timeZone: 'Europe/Lisbon', days: [0, 1, 2, 3, 4, 5, 6], start: '07:00', end: '22:00', holidays: ['2026-12-25', '2027-01-01'] },
    onBreach: { raisePriority: true, reassignTeam: null, notifyTeam: 'vip-press' },
    atRiskPercent: 80,
  };
  const queries: ListeningQuery[] = brands.flatMap((b) => [
    { id: slug(b), brand: b, query: `"${b}" OR @${b.replace(/\s+/g, '')}`, networks: [], enabled: true, role: 'own' as const, competitorOf: null },
    ...competitorsOf(b).map((c) => ({ id: slug(c), brand: c, query: `"${c}" OR @${c.replace(/\s+/g, '')}`, networks: [], enabled: true, role: 'competitor' as const, competitorOf: b })),
  ]);
  const agents = teams.map((t) => ({ email: `${t.id}@demo.hark`, name: `${t.name} agent`, team: t.id }));
  const replies = brands.flatMap((b) => REPLIES[businessOf(b)].map((r) => ({ title: `${b}: ${r.title}`, body: r.body.replaceAll('{{brand}}', b), shortcut: null })));
  return { teams, rules, sla, queries, agents, replies };
}

/** Writes a document only if it does not exist yet; false when it does (seeded before, or changed by someone). */
async function once<K extends SettingKey>(store: Store, key: K, value: SettingInput<K>): Promise<boolean> {
  try {
    await writeSetting(store, key, value, 0);
    return true;
  } catch (e) {
    if (e instanceof ConflictError) return false;
    throw e;
  }
}

/**
 * Why the demo must not save its listening queries, or null when it may: the
 * queries name every network (a query cannot name the simulator), so with a real
 * network listening they would search it for the demo's brand words, spending
 * the account's rate limits and pulling strangers' posts into the demo.
 */
export function demoQueriesBlocked(config: Pick<Config, 'x' | 'reddit' | 'bluesky' | 'mastodon'>): string | null {
  if ([config.x.queries, config.reddit.queries, config.bluesky.queries, config.mastodon.queries].some((q) => q.length > 0)) return 'listening queries come from env';
  const live = [
    config.x.bearerToken || config.x.oauth1 || config.x.oauth2Client ? 'x' : null,
    config.reddit.auth ? 'reddit' : null,
    config.bluesky.enabled ? 'bluesky' : null,
    config.mastodon.enabled ? 'mastodon' : null,
  ].filter((n): n is string => n !== null);
  return live.length > 0 ? `a real network is configured in env (${live.join(', ')})` : null;
}

export async function seedDemo(store: Store, brands: string[], log: Logger, opts: { queriesBlocked?: string | null } = {}): Promise<{ seeded: string[] }> {
  const plan = demoPlan(brands);
  const seeded: string[] = [];
  if (await once(store, 'teams', plan.teams)) seeded.push('teams');
  for (const a of plan.agents) {
    if (await store.users.findByEmail({ email: a.email })) continue;
    try {
      const u = await store.users.create({ email: a.email, name: a.name, role: 'agent', passwordHash: await hashPassword(DEMO_AGENT_PASSWORD), settings: { teams: [a.team], capacity: 25, needsApproval: false } });
      seeded.push(`user ${u.email}`);
    } catch (e) {
      // Another process created it a moment ago.
      if (!(e instanceof ConflictError)) throw e;
    }
  }
  if (await once(store, 'routing.rules', plan.rules)) seeded.push('routing rules');
  if (await once(store, 'sla.policy', plan.sla)) seeded.push('SLA policy');
  // Queries given in env (X_QUERIES, …) are the operator's (a saved list would override them), and a real network must not hear the demo's: see demoQueriesBlocked.
  if (opts.queriesBlocked) log.info('demo listening queries not seeded', { why: opts.queriesBlocked });
  else if (await once(store, 'listening.queries', plan.queries)) seeded.push('listening queries');
  // Saved replies are rows, not one document: a marker document claims them, so they are created once.
  if (await once(store, 'demo.seeded', { replies: true })) {
    for (const r of plan.replies) {
      const at = new Date().toISOString();
      await store.cannedResponses.create({ draft: { ...r, createdAt: at, updatedAt: at } });
    }
    seeded.push('saved replies');
  }
  if (seeded.length > 0) log.info('demo set up', { seeded });
  return { seeded };
}
