import { DEFAULT_SLA_POLICY, SlaPolicySchema, type SlaPolicy } from '../../shared/sla.js';
import type { Store } from '../../shared/store.js';

export const SLA_KEY = 'sla.policy';

export async function loadSlaPolicy(store: Store): Promise<{ policy: SlaPolicy; version: number }> {
  const s = await store.settings.get<SlaPolicy>({ key: SLA_KEY });
  if (!s) return { policy: DEFAULT_SLA_POLICY, version: 0 };
  const parsed = SlaPolicySchema.safeParse(s.value);
  return { policy: parsed.success ? parsed.data : DEFAULT_SLA_POLICY, version: s.version };
}
