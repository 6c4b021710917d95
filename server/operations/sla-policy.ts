import type { User } from '../../shared/auth.js';
import { DEFAULT_SLA_POLICY, SlaPolicySchema, type SlaPolicy } from '../../shared/sla.js';
import { audit, type OpsDeps } from './deps.js';

export const SLA_KEY = 'sla.policy';

export async function loadSlaPolicy(deps: Pick<OpsDeps, 'store'>): Promise<{ policy: SlaPolicy; version: number }> {
  const s = await deps.store.settings.get<SlaPolicy>({ key: SLA_KEY });
  if (!s) return { policy: DEFAULT_SLA_POLICY, version: 0 };
  const parsed = SlaPolicySchema.safeParse(s.value);
  return { policy: parsed.success ? parsed.data : DEFAULT_SLA_POLICY, version: s.version };
}

/** Compare-and-set on the version the manager saw; audited with the policy it replaced. */
export async function saveSlaPolicy(deps: OpsDeps, actor: User, policy: SlaPolicy, version: number): Promise<{ policy: SlaPolicy; version: number }> {
  const before = await loadSlaPolicy(deps);
  const saved = await deps.store.settings.set({ key: SLA_KEY, value: policy, expectedVersion: version });
  await audit(deps, actor, 'settings.sla_changed', 'settings', SLA_KEY, before.policy, policy);
  return { policy: saved.value, version: saved.version };
}
