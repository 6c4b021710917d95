import crypto from 'node:crypto';
import type { Connector } from '../../connectors/connector.js';
import { createBlueskyConnector } from '../../connectors/bluesky/bluesky-connector.js';
import { createMastodonConnector } from '../../connectors/mastodon/mastodon-connector.js';
import type { ListeningQuery } from '../../shared/networks.js';
import type { Config } from '../config.js';
import type { NetworkConfig } from './network-config.js';

type Built = { connector: Connector | null; fingerprint: string };
const fingerprint = (o: unknown) => crypto.createHash('sha256').update(JSON.stringify(o)).digest('hex');
const forNetwork = (queries: ListeningQuery[], n: 'bluesky' | 'mastodon') =>
  queries.filter((q) => q.enabled && (q.networks.length === 0 || q.networks.includes(n))).map(({ id, brand, query }) => ({ id, brand, query }));

/**
 * The Bluesky and Mastodon connectors the configuration asks for. Bluesky
 * listens without an account (Jetstream and the public AppView are open);
 * its credentials are needed for replies only. Mastodon needs instances and
 * something to read on them (a timeline or hashtags).
 */
export async function buildBlueskyMastodonConnectors(net: NetworkConfig, config: Readonly<Config>, queries: ListeningQuery[]): Promise<{ bluesky: Built; mastodon: Built }> {
  const b = (await net.settings('bluesky')).settings;
  const bCreds = (await net.credentials('bluesky')).credentials;
  const bQueries = forNetwork(queries, 'bluesky');
  let bluesky: Built = { connector: null, fingerprint: 'off' };
  if (b.enabled && bQueries.length > 0) {
    const opts = {
      id: 'bluesky',
      queries: bQueries,
      jetstreamUrl: config.bluesky.jetstreamUrl,
      appviewUrl: config.bluesky.appviewUrl,
      service: config.bluesky.service,
      credentials: bCreds,
      backfillPages: b.backfillPages,
    };
    bluesky = { connector: createBlueskyConnector(opts), fingerprint: fingerprint(opts) };
  }

  const m = (await net.settings('mastodon')).settings;
  const mCreds = (await net.credentials('mastodon')).credentials;
  const mQueries = forNetwork(queries, 'mastodon');
  let mastodon: Built = { connector: null, fingerprint: 'off' };
  if (m.enabled && m.instances.length > 0 && mQueries.length > 0 && (m.timeline !== 'none' || m.hashtags.length > 0)) {
    const opts = { id: 'mastodon', queries: mQueries, instances: m.instances, tokens: mCreds?.tokens ?? {}, hashtags: m.hashtags, timeline: m.timeline, replyInstance: m.replyInstance };
    mastodon = { connector: createMastodonConnector(opts), fingerprint: fingerprint(opts) };
  }
  return { bluesky, mastodon };
}
