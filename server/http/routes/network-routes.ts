import { Router, type Request } from 'express';
import { z } from 'zod';
import { queryRoleIssues } from '../../../shared/brand-roles.js';
import { isHarkError, NotFoundError, ValidationError } from '../../../shared/errors.js';
import {
  BlueskyCredentialsSchema,
  BlueskySettingsSchema,
  ListeningQuerySchema,
  MastodonCredentialsSchema,
  MastodonSettingsSchema,
  NETWORKS,
  RedditCredentialsSchema,
  RedditSettingsSchema,
  XCredentialsPatchSchema,
  XSettingsSchema,
  type ListeningQuery,
  type Network,
  type NetworkView,
  type NetworksView,
  type QueryCheck,
  type ReplyAbilities,
} from '../../../shared/networks.js';
import type { ConnectorHealth } from '../../../shared/connector-ports.js';
import { compileFor, isQueryError, networksOf, parseQuery } from '../../../connectors/query/index.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import { audit, type OpsDeps } from '../../operations/deps.js';
import type { NetworkConfig } from '../../connectors/network-config.js';
import { updateNetwork } from '../../operations/network-update.js';
import { beginXConnect, completeXConnect, disconnectX } from '../../operations/x-account-connect.js';

export interface NetworkDeps {
  config: NetworkConfig;
  health: () => Promise<ConnectorHealth[]>;
  reload: () => Promise<Network[]>;
  /** Whether each platform's replies can be posted now (for the reply composer). */
  replyAbilities: () => ReplyAbilities;
  /** The OAuth 2.0 callback registered with X; by default this server's own /api/networks/x/account/callback. */
  xRedirectUri: string | null;
}

/** A query that does not parse is a 400 whose details point at the character, for the editor to underline. */
function checkQuery(query: string, field: string): QueryCheck {
  const tree = parseQuery(query);
  if (isQueryError(tree)) throw new ValidationError(`${field}: ${tree.message} (at character ${tree.position + 1})`, [{ field, message: tree.message, position: tree.position }]);
  const nets = networksOf(tree);
  return {
    ok: true,
    networks: nets === 'any' ? [...NETWORKS] : NETWORKS.filter((n) => nets.has(n)),
    compiled: Object.fromEntries(NETWORKS.map((n) => [n, compileFor(n, tree)])) as QueryCheck['compiled'],
  };
}

const QueriesBody = z
  .object({ version: z.number().int().min(0), queries: z.array(ListeningQuerySchema).max(200) })
  .strict()
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.queries.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['queries', i, 'id'], message: `id ${q.id} is used twice` });
      seen.add(q.id);
    });
    for (const issue of queryRoleIssues(b.queries)) ctx.addIssue({ code: 'custom', path: ['queries', issue.index, issue.field], message: issue.message });
  });

/** Listening queries: everyone reads them, managers edit them; every query is parsed before it is saved. */
export function listeningQueryRoutes(ops: OpsDeps, net: NetworkDeps) {
  const r = Router();
  r.get('/', async (_req, res) => void res.json(await net.config.queries()));
  r.post('/check', requireRole('manager'), (req, res) => {
    const { query } = parseOr400(z.object({ query: z.string().min(1, 'query is required').max(1000) }).strict(), req.body, 'body');
    res.json(checkQuery(query, 'query'));
  });
  r.put('/', requireRole('manager'), async (req, res) => {
    const body = parseOr400(QueriesBody, req.body, 'body');
    body.queries.forEach((q, i) => checkQuery(q.query, `queries.${i}.query`));
    const before = await net.config.queries();
    const saved = await net.config.saveQueries(body.queries as ListeningQuery[], body.version);
    await audit(ops, currentUser(req), 'settings.listening_queries_changed', 'settings', 'listening.queries', before.queries, saved.queries);
    const restarted = await net.reload();
    res.json({ ...saved, restarted });
  });
  return r;
}

const XCallbackQuery = z.object({ state: z.string().max(500).optional(), code: z.string().max(2000).optional(), error: z.string().max(500).optional(), error_description: z.string().max(2000).optional() });

const UpdateBodies = {
  x: z.object({ version: z.number().int().min(0), settings: XSettingsSchema.optional(), credentials: XCredentialsPatchSchema.nullable().optional() }).strict(),
  reddit: z.object({ version: z.number().int().min(0), settings: RedditSettingsSchema.optional(), credentials: RedditCredentialsSchema.nullable().optional() }).strict(),
  bluesky: z.object({ version: z.number().int().min(0), settings: BlueskySettingsSchema.optional(), credentials: BlueskyCredentialsSchema.nullable().optional() }).strict(),
  mastodon: z.object({ version: z.number().int().min(0), settings: MastodonSettingsSchema.optional(), credentials: MastodonCredentialsSchema.nullable().optional() }).strict(),
};

/** Network settings and credentials: managers see them (credentials as set / not set), admins change them. */
export function networkRoutes(ops: OpsDeps, net: NetworkDeps, canStoreCredentials: boolean) {
  const r = Router();
  async function view(n: Network): Promise<NetworkView> {
    const { settings, version } = await net.config.settings(n);
    const { state } = await net.config.credentials(n);
    const health = (await net.health()).find((h) => h.connectorId === n) ?? null;
    return { network: n, settings, credentials: state, version, health, ...(n === 'x' ? { account: await net.config.xAccount.status() } : {}) } as NetworkView;
  }
  const networkOf = (req: Request<{ network: string }>): Network => {
    const n = req.params.network;
    if (!(NETWORKS as readonly string[]).includes(n)) throw new NotFoundError(`No network ${n}: use ${NETWORKS.join(' or ')}`);
    return n as Network;
  };
  r.get('/', requireRole('manager'), async (_req, res) => {
    const body: NetworksView = { networks: await Promise.all(NETWORKS.map(view)), canStoreCredentials };
    res.json(body);
  });
  r.get('/replies', async (_req, res) => void res.json(net.replyAbilities() satisfies ReplyAbilities));
  // Connect X account (OAuth 2.0 with PKCE): the admin's browser goes to X and comes back to the callback.
  const redirectUri = (req: Request) => net.xRedirectUri ?? `${req.protocol}://${req.get('host')}/api/networks/x/account/callback`;
  r.post('/x/account/connect', requireRole('admin'), async (req, res) => void res.json(await beginXConnect(net, redirectUri(req))));
  r.get('/x/account/callback', requireRole('admin'), async (req, res) => {
    const q = parseOr400(XCallbackQuery, req.query, 'query');
    try {
      await completeXConnect(ops, net, currentUser(req), q);
      res.redirect(303, '/#/settings?xAccount=connected');
    } catch (e) {
      // The admin arrives here from X in the browser: back to the Settings page, which shows why.
      if (!isHarkError(e) || e.status >= 500) throw e;
      res.redirect(303, `/#/settings?xAccount=failed&reason=${encodeURIComponent(e.message)}`);
    }
  });
  r.delete('/x/account', requireRole('admin'), async (req, res) => void res.json(await disconnectX(ops, net, currentUser(req))));
  r.get('/:network', requireRole('manager'), async (req: Request<{ network: string }>, res) => void res.json(await view(networkOf(req))));
  r.put('/:network', requireRole('admin'), async (req: Request<{ network: string }>, res) => {
    const n = networkOf(req);
    const body = parseOr400(UpdateBodies[n], req.body, 'body');
    const { restarted } = await updateNetwork(ops, net, currentUser(req), n, body);
    res.json({ ...(await view(n)), restarted });
  });
  return r;
}
