import type { User } from '../../shared/auth.js';
import { ValidationError } from '../../shared/errors.js';
import type { Network } from '../../shared/networks.js';
import type { NetworkConfig } from '../connectors/network-config.js';
import { audit, type OpsDeps } from './deps.js';

export interface NetworkUpdate {
  version: number;
  settings?: unknown;
  credentials?: unknown;
}

/**
 * An admin's change to one network: refused when it changes nothing (no
 * audit entry, no reload), compare-and-set on the network's version for
 * settings and credentials alike, audited with which credential fields
 * changed (never their values), then the connectors follow.
 */
export async function updateNetwork(
  ops: OpsDeps,
  net: { config: NetworkConfig; reload: () => Promise<Network[]> },
  actor: User | null,
  n: Network,
  body: NetworkUpdate,
): Promise<{ restarted: Network[] }> {
  if (body.settings === undefined && body.credentials === undefined) {
    throw new ValidationError('settings or credentials: give at least one of them to change (the body only had a version)', [
      { field: 'settings', message: 'nothing to change' },
      { field: 'credentials', message: 'nothing to change' },
    ]);
  }
  const snapshot = async () => ({ settings: (await net.config.settings(n)).settings, credentials: (await net.config.credentials(n)).state });
  const before = await snapshot();
  await net.config.saveUpdate(n, { settings: body.settings as never, credentials: body.credentials as never }, body.version);
  await audit(ops, actor, 'settings.network_changed', 'settings', `network.${n}`, before, await snapshot());
  return { restarted: await net.reload() };
}
