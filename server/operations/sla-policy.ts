import type { User } from '../../shared/auth.js';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../../shared/sla.js';
import { readForReplace, readSetting, writeSetting } from '../settings/registry.js';
import { audit, type OpsDeps } from './deps.js';

export const SLA_KEY = 'sla.policy' as const;

export async function loadSlaPolicy(deps: Pick<OpsDeps, 'store'>): Promise<{ policy: SlaPolicy; version: number }> {
  const s = await readSetting(deps.store, SLA_KEY);
  return s ? { policy: s.value, version: s.version } : { policy: DEFAULT_SLA_POLICY, version: 0 };
}

/** Compare-and-set on the version the manager saw; audited with the policy it replaced. */
export async function saveSlaPolicy(deps: OpsDeps, actor: User, policy: SlaPolicy, version: number): Promise<{ policy: SlaPolicy; version: number }> {
  const before = await readForReplace(deps.store, SLA_KEY);
  const saved = await writeSetting(deps.store, SLA_KEY, policy, version);
  await audit(deps, actor, 'settings.sla_changed', 'settings', SLA_KEY, before.value ?? (before.version ? null : DEFAULT_SLA_POLICY), policy);
  return { policy: saved.value, version: saved.version };
}
