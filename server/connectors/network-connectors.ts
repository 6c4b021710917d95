import crypto from 'node:crypto';
import type { Connector } from '../../connectors/connector.js';
import { createRedditConnector } from '../../connectors/reddit/reddit-connector.js';
import { createXConnector } from '../../connectors/x/x-connector.js';
import type { XUserAuth } from '../../connectors/x/x-reply.js';
import { NETWORKS, type ListeningQuery, type Network, type XCredentials } from '../../shared/networks.js';
import { buildBlueskyMastodonConnectors } from './bluesky-mastodon-connectors.js';
import type { Config } from '../config.js';
import type { NetworkConfig } from './network-config.js';
import type { ConnectorSupervisor } from './supervisor.js';

const forNetwork = (queries: ListeningQuery[], n: Network) =>
  queries.filter((q) => q.enabled && (q.networks.length === 0 || q.networks.includes(n))).map(({ id, brand, query }) => ({ id, brand, query }));

/** Same options, same fingerprint: the running connector is kept. Secrets enter only as part of a hash. */
const fingerprint = (o: unknown) => crypto.createHash('sha256').update(JSON.stringify(o)).digest('hex');

/**
 * Who posts X replies: the OAuth 2.0 connected account when there is one
 * (its token is refreshed as needed, so a refresh restarts nothing), else
 * the OAuth 1.0a tokens, else nobody (replies say they are not authorised).
 */
async function xUserAuth(net: NetworkConfig, creds: XCredentials): Promise<{ userAuth: XUserAuth | null; fingerprint: unknown }> {
  const account = await net.xAccount.status();
  if (account.connected && account.canConnect) return { userAuth: { kind: 'oauth2', accessToken: () => net.xAccount.accessToken() }, fingerprint: { kind: 'oauth2', connectedAt: account.connectedAt } };
  if (creds.apiKey && creds.apiSecret && creds.accessToken && creds.accessSecret) {
    const auth = { kind: 'oauth1' as const, appKey: creds.apiKey, appSecret: creds.apiSecret, accessToken: creds.accessToken, accessSecret: creds.accessSecret };
    return { userAuth: auth, fingerprint: auth };
  }
  return { userAuth: null, fingerprint: null };
}

/** The network connectors the current configuration asks for (null where a network is off or lacks credentials). */
export async function buildNetworkConnectors(net: NetworkConfig, config: Readonly<Config>): Promise<Record<Network, { connector: Connector | null; fingerprint: string }>> {
  const { queries } = await net.queries();

  const x = await net.settings('x');
  const xCreds = await net.credentials('x');
  const xQueries = forNetwork(queries, 'x');
  let xc: Connector | null = null;
  let xf = 'off';
  const bearerToken = xCreds.credentials?.bearerToken;
  if (x.settings.enabled && bearerToken && (xQueries.length > 0 || x.settings.brandUserId)) {
    const s = x.settings;
    const { userAuth, fingerprint: authFingerprint } = await xUserAuth(net, xCreds.credentials!);
    const opts = {
      id: 'x',
      bearerToken,
      userAuth,
      queries: xQueries,
      mode: s.mode,
      pollIntervalMs: s.pollSeconds * 1000,
      ...(config.x.baseUrl ? { baseUrl: config.x.baseUrl } : {}),
      ...(s.brandUserId ? { brandUserId: s.brandUserId, brand: s.brand ?? undefined } : {}),
      ...(s.monthlyReadCap ? { monthlyReadCap: s.monthlyReadCap } : {}),
    };
    xc = createXConnector(opts);
    xf = fingerprint({ ...opts, userAuth: authFingerprint });
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
