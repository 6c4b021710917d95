import type { User } from '../../shared/auth.js';
import type { RoutingRule, Team } from '../../shared/routing.js';
import type { Store } from '../../shared/store.js';
import { loadRules, loadTeams, RULES_KEY, TEAMS_KEY } from '../routing/routing-context.js';
import { SettingsDocumentError, writeSetting, type SettingInput } from '../settings/registry.js';
import { audit, type OpsDeps } from './deps.js';

/**
 * A list-valued settings document (teams, routing rules, webhooks): read whole,
 * replaced whole with compare-and-set, every change audited. `redact` hides what
 * must never leave the server; `unredact` turns what a client sent back (maybe
 * redacted) into the full value, given the stored one.
 */
export type ListSettingKey = 'teams' | 'routing.rules' | 'webhooks';
export interface ListSetting<T> {
  key: ListSettingKey;
  field: string;
  load: (store: Store) => Promise<{ items: T[]; version: number }>;
  redact?: (items: T[]) => unknown[];
  unredact?: (sent: unknown, stored: T[]) => unknown;
}

export const teamsSetting: ListSetting<Team> = {
  key: TEAMS_KEY,
  field: 'teams',
  load: async (store) => {
    const { teams, version } = await loadTeams(store);
    return { items: teams, version };
  },
};

export const rulesSetting: ListSetting<RoutingRule> = {
  key: RULES_KEY,
  field: 'rules',
  load: async (store) => {
    const { rules, version } = await loadRules(store);
    return { items: rules, version };
  },
};

const same = <T>(items: T[]): unknown[] => items;

export async function readListSetting<T>(deps: Pick<OpsDeps, 'store'>, spec: ListSetting<T>): Promise<Record<string, unknown> & { version: number }> {
  const cur = await spec.load(deps.store);
  return { [spec.field]: (spec.redact ?? same)(cur.items), version: cur.version };
}

/** `parse` is the edge's validation of the (unredacted) body; it throws a 400 naming the field. */
export async function replaceListSetting<T>(
  deps: OpsDeps,
  actor: User,
  spec: ListSetting<T>,
  sent: unknown,
  parse: (body: unknown) => { version: number; items: T[] },
): Promise<Record<string, unknown> & { version: number }> {
  const redact = spec.redact ?? same;
  // A stored list that fails its schema must not block saving a good one: it counts as empty, at its version.
  const before = await spec.load(deps.store).catch((e: unknown) => {
    if (e instanceof SettingsDocumentError) return { items: [] as T[], version: e.version };
    throw e;
  });
  const raw = sent as Record<string, unknown> | undefined;
  const full = raw && typeof raw === 'object' && spec.unredact ? { ...raw, [spec.field]: spec.unredact(raw[spec.field], before.items) } : raw;
  const body = parse(full);
  // The edge checked the items against this key's item schema; writeSetting checks them again against the registry.
  const saved = await writeSetting(deps.store, spec.key, body.items as SettingInput<ListSettingKey>, body.version);
  await audit(deps, actor, `settings.${spec.field}_changed`, 'settings', spec.key, redact(before.items), redact(body.items));
  return { [spec.field]: redact(saved.value as T[]), version: saved.version };
}
