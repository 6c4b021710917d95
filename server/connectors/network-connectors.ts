import crypto from 'node:crypto';
import type { Connector } from '../../connectors/connector.js';
import { createRedditConnector } from '../../connectors/reddit/reddit-connector.js';
import { createXConnector } from '../../connectors/x/x-connector.js';
import { NETWORKS, type ListeningQuery, type Network } from '../../shared/networks.js';
import { buildBlueskyMastodonConnectors } from './bluesky-mastodon-connectors.js';
import type { Config } from '../config.js';
import type { NetworkConfig } from './network-config.js';
import type { ConnectorSupervisor } from './supervisor.js';

const forNetwork = (queries: ListeningQuery[], n: Network) =>
  queries.filter((q) => q.enabled && (q.networks.length === 0 || q.networks.includes(n))).map(({ id, brand, query }) => ({ id, brand, query }));

/** Same options, same fingerprint: the running connector is kept. Secrets enter only as part of a hash. */
const fingerprint = (o: unknown) => crypto.createHash('sha256').update(JSON.stringify(o)).digest('hex');

/** The network connectors the current configuration asks for (null where a network is off or lacks credentials). */
export async function buildNetworkConnectors(net: NetworkConfig, config: Readonly<Config>): Promise<Record<Network, { connector: Connector | null; fingerprint: string }>> {
  const { queries } = await net.queries();

  const x = await net.settings('x');
  const xCreds = await net.credentials('x');
  const xQueries = forNetwork(queries, 'x');
  let xc: Connector | null = null;
  let xf = 'off';
  if (x.settings.enabled && xCreds.credentials && (xQueries.length > 0 || x.settings.brandUserId)) {
    const s = x.settings;
    const opts = {
      id: 'x',
      bearerToken: xCreds.credentials.bearerToken,
      queries: xQueries,
      mode: s.mode,
      pollIntervalMs: s.pollSeconds * 1000,
      ...(config.x.baseUrl ? { baseUrl: config.x.baseUrl } : {}),
      ...(s.brandUserId ? { brandUserId: s.brandUserId, brand: s.brand ?? undefined } : {}),
      ...(s.monthlyReadCap ? { monthlyReadCap: s.monthlyReadCap } : {}),
    };
    xc = createXConnector(opts);
    xf = fingerprint(opts);
  }

  const r = await net.settings('reddit');
  const rCreds = await net.credentials('reddit');
  const rQueries = forNetwork(queries, 'reddit');
  let rc: Connector | null = null;
  let rf = 'off';
  if (r.settings.enabled && rCreds.credentials && rQueries.length > 0) {
    const s = r.settings;
    const opts = {
      id: 'reddit',
      auth: { ...rCreds.credentials, userAgent: s.userAgent },
      subreddits: s.subreddits,
      queries: rQueries,
      pollIntervalMs: s.pollSeconds * 1000,
      ...(config.reddit.baseUrl ? { baseUrl: config.reddit.baseUrl } : {}),
      ...(config.reddit.authUrl ? { authUrl: config.reddit.authUrl } : {}),
    };
    rc = createRedditConnector(opts);
    rf = fingerprint(opts);
  }
  return { x: { connector: xc, fingerprint: xf }, reddit: { connector: rc, fingerprint: rf }, ...(await buildBlueskyMastodonConnectors(net, config, queries)) };
}

/** Brings the running network connectors in line with the configuration; returns the networks restarted. */
export async function applyNetworkConfig(net: NetworkConfig, config: Readonly<Config>, supervisor: ConnectorSupervisor): Promise<Network[]> {
  const built = await buildNetworkConnectors(net, config);
  const changed: Network[] = [];
  for (const n of NETWORKS) if (await supervisor.replace(n, built[n].connector, built[n].fingerprint)) changed.push(n);
  return changed;
}
