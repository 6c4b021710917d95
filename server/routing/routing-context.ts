import type { RoutingRule, Team } from '../../shared/routing.js';
import type { Store } from '../../shared/store.js';
import { readSetting } from '../settings/registry.js';
import { DEFAULT_SLA_POLICY } from '../../shared/sla.js';
import type { RoutingContext } from '../../workers/pipeline/route.js';

export const TEAMS_KEY = 'teams' as const;
export const RULES_KEY = 'routing.rules' as const;

export async function loadTeams(store: Store): Promise<{ teams: Team[]; version: number }> {
  const s = await readSetting(store, TEAMS_KEY);
  return { teams: s?.value ?? [], version: s?.version ?? 0 };
}
export async function loadRules(store: Store): Promise<{ rules: RoutingRule[]; version: number }> {
  const s = await readSetting(store, RULES_KEY);
  return { rules: s?.value ?? [], version: s?.version ?? 0 };
}

/** Builds the routing context the pipeline asks for once per batch. */
export function routingContextFrom(store: Store): () => Promise<RoutingContext> {
  return async () => {
    const { rules } = await loadRules(store);
    const sla = rules.length > 0 ? ((await readSetting(store, 'sla.policy'))?.value ?? DEFAULT_SLA_POLICY) : undefined;
    return {
      rules,
      ...(sla ? { sla } : {}),
      async customersOf(identities) {
        const found = await store.customers.findByIdentities({ identities });
        return new Map([...found.entries()].map(([k, c]) => [k, c.id]));
      },
      async leastLoaded(team) {
        const members = (await store.users.list()).filter((u) => u.teams.includes(team) && u.capacity > 0);
        let best: { id: string; free: number } | null = null;
        for (const u of members) {
          const held = await store.mentions.list({ assignee: u.id, status: ['claimed'], sort: 'recent', limit: Math.min(200, u.capacity) });
          const open = await store.cases.list({ assignee: u.id, status: ['open', 'pending'], limit: Math.min(200, u.capacity) });
          const free = u.capacity - held.items.length - open.items.length;
          if (free > 0 && (!best || free > best.free)) best = { id: u.id, free };
        }
        return best?.id ?? null;
      },
    };
  };
}

