import type { User } from '../../shared/auth.js';
import type { Network } from '../../shared/networks.js';
import type { NetworkConfig } from '../connectors/network-config.js';
import { audit, type OpsDeps } from './deps.js';

type Net = { config: NetworkConfig; reload: () => Promise<Network[]> };

/**
 * "Connect X account" on the Settings page: OAuth 2.0 Authorization Code
 * with PKCE for the brand account, so replies post with its user context.
 * The flow's state and the tokens live in the store (server/connectors/x-account.ts);
 * these steps add the audit trail and restart what posts replies.
 */
export function beginXConnect(net: Net, redirectUri: string): Promise<{ url: string }> {
  return net.config.xAccount.begin(redirectUri);
}

export async function completeXConnect(ops: OpsDeps, net: Net, actor: User | null, answer: { state?: string; code?: string; error?: string }): Promise<{ scopes: string[]; restarted: Network[] }> {
  const { scopes } = await net.config.xAccount.complete(answer);
  await audit(ops, actor, 'settings.x_account_connected', 'settings', 'network.x', null, { scopes });
  return { scopes, restarted: await net.reload() };
}

export async function disconnectX(ops: OpsDeps, net: Net, actor: User | null): Promise<{ restarted: Network[] }> {
  const before = await net.config.xAccount.status();
  await net.config.xAccount.disconnect();
  await audit(ops, actor, 'settings.x_account_disconnected', 'settings', 'network.x', { connectedAt: before.connectedAt, scopes: before.scopes }, null);
  return { restarted: await net.reload() };
}
