import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoAccount } from '../shared/auth.js';
import type { Logger } from '../shared/log.js';
import { QUEUES, type EventBus, type QueuePort } from '../shared/queues.js';
import type { RawMention } from '../shared/raw-mention.js';
import type { Store } from '../shared/store.js';
import type { Connector } from '../connectors/connector.js';
import { createSimulator } from '../connectors/demo/index.js';
import { withSimulatedReplies } from '../connectors/simulated-replies.js';
import { createScorer } from '../workers/nlp/index.js';
import { runIngest, type IngestReport } from '../workers/pipeline/run-ingest.js';
import { bootstrapAccounts } from './auth/bootstrap.js';
import { createSessionService } from './auth/sessions.js';
import { createMemoryBus } from './bus/memory-bus.js';
import { createRedisBus } from './bus/redis-bus.js';
import { createBullQueue } from './queue/bullmq-queue.js';
import { publishHealth, readHealth } from './connectors/shared-health.js';
import { ConfigError, type Config } from './config.js';
import { createApp } from './http/app.js';
import { createLogger } from './logger.js';
import { createInlineQueue } from './queue/inline-queue.js';
import { createGateway, type Gateway } from './realtime/gateway.js';
import { openStore } from './store/open-store.js';
import { createReplySender } from './replies/reply-sender.js';
import type { ReplyDeps } from './operations/replies.js';
import { checkSlaBreaches } from './operations/cases.js';
import { wakeSnoozed } from './operations/triage.js';
import { createSpikeWatcher } from './operations/spikes.js';
import { loadTeams, routingContextFrom } from './routing/routing-context.js';
import { startWebhookDispatcher } from './webhooks/dispatcher.js';
import { createLearner } from './learning/learner.js';
import { settingsCursorStore } from './connectors/settings-cursors.js';
import { createHealthRegistry } from './connectors/health-registry.js';
import { createConnectorSupervisor } from './connectors/supervisor.js';
import { createNetworkConfig } from './connectors/network-config.js';
import { applyNetworkConfig, buildNetworkConnectors } from './connectors/network-connectors.js';
import { createSecretBox } from './secrets/secret-box.js';

export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/dist');

/** What one process runs: everything (embedded), or one part of distributed mode. */
export type Role = 'all' | 'api' | 'worker' | 'connectors';

export interface Hark {
  role: Role;
  /** Empty in roles without HTTP (worker, connectors). */
  url: string;
  port: number;
  store: Store;
  bus: EventBus;
  queue: QueuePort;
  gateway: Gateway | null;
  learner: import('./learning/learner.js').Learner;
  demoAccounts: DemoAccount[];
  /** Runs the pipeline on a batch in this process (imports, tests). */
  ingest(batch: RawMention[]): Promise<IngestReport>;
  close(): Promise<void>;
}

/**
 * Wires Hark: in one process (role `all`, embedded mode) or one part of it
 * (distributed mode, with REDIS_URL): `api` serves HTTP and sockets and the
 * agents' actions, `worker` runs the pipeline, timed sweeps and webhooks'
 * sources, `connectors` runs the network connectors. All of them share the
 * store, the queue and the bus.
 */
export async function startHark(
  config: Readonly<Config>,
  opts: {
    role?: Role;
    log?: Logger;
    now?: () => Date;
    connectors?: Connector[];
    sweepMs?: number;
    retrainDelayMs?: number;
    webhooks?: Partial<Pick<Parameters<typeof startWebhookDispatcher>[0], 'fetchImpl' | 'tickMs' | 'backoffMs' | 'timeoutMs'>>;
  } = {},
): Promise<Hark> {
  const role = opts.role ?? 'all';
  if (role !== 'all' && !config.redisUrl) throw new ConfigError(`--role ${role} needs REDIS_URL: separate processes share their queue and bus through Redis`);
  const runs = { http: role === 'all' || role === 'api', pipeline: role === 'all' || role === 'worker', connectors: role === 'all' || role === 'connectors' };
  const log = opts.log ?? createLogger(config.logLevel);
  const now = opts.now ?? (() => new Date());
  const store = await openStore(config);
  const bus = config.redisUrl ? await createRedisBus(config.redisUrl, log.child({ part: 'bus' })) : createMemoryBus(log);
  const queue = config.redisUrl ? createBullQueue({ url: config.redisUrl, log: log.child({ part: 'queue' }) }) : createInlineQueue({ log: log.child({ part: 'queue' }) });
  const learner = createLearner({ store, log: log.child({ part: 'learning' }), retrainDelayMs: opts.retrainDelayMs, onSaved: (kind, brand) => bus.publish('model.updated', { kind, brand }) });
  // Only processes that score (the pipeline, and the api for imports and corrections) need the learned models.
  if (runs.http || runs.pipeline) await learner.load();
  // Models are retrained where corrections arrive (the API); processes that score reload them.
  if (role === 'worker') bus.subscribe('model.updated', () => void learner.load().catch((err: unknown) => log.error('model reload failed', { err })));
  const scorer = createScorer({ brands: config.simulator.brands, learned: learner.modelsFor });
  const routing = routingContextFrom(store);
  const ingest = (batch: RawMention[]) => runIngest(batch, { mentions: store.mentions, scorer, bus, now, log: log.child({ part: 'pipeline' }), routing });

  if (runs.pipeline) {
    queue.process(QUEUES.ingest, async (job) => {
      await ingest(job.mentions);
    });
  }

  const simulator = config.simulator.enabled ? withSimulatedReplies(createSimulator({ brands: config.simulator.brands, ratePerSecond: config.simulator.rate })) : null;
  const connectors: Connector[] = [...(opts.connectors ?? []), ...(simulator ? [simulator] : [])];
  const health = createHealthRegistry();
  const cursors = settingsCursorStore(store);
  const supervisor = createConnectorSupervisor({
    log,
    // A connector saves its cursor when the sink resolves: only once the batch cannot be lost.
    sink: (c) => (batch) => queue.addDurable(QUEUES.ingest, { source: c.id, mentions: batch }),
    cursors,
    health,
  });
  const box = createSecretBox(config.secretKey);
  const networkConfig = createNetworkConfig({ store, config, box, now });
  // The API process answers replies with clients of its own (built, never run) when connectors run elsewhere.
  const replyPool = new Map<string, { fingerprint: string; connector: Connector | null }>();
  const fingerprints = async () => {
    const built = await buildNetworkConnectors(networkConfig, config);
    const changed: Array<'x' | 'reddit'> = [];
    for (const n of ['x', 'reddit'] as const) {
      if (replyPool.get(n)?.fingerprint !== built[n].fingerprint) changed.push(n);
      replyPool.set(n, built[n]);
    }
    return changed;
  };
  const networks = {
    config: networkConfig,
    canStoreCredentials: box.available,
    health: async () => (runs.connectors ? health.list() : readHealth(store, now)),
    /** After a change in the UI: restart only the connectors whose configuration changed (here, or in the connectors process). */
    reload: async () => {
      if (runs.connectors) return applyNetworkConfig(networkConfig, config, supervisor);
      const changed = await fingerprints();
      bus.publish('networks.changed', { at: now().toISOString() });
      return changed;
    },
  };
  const replyConnectors = (): Connector[] =>
    runs.connectors ? supervisor.list() : [...(simulator ? [simulator] : []), ...[...replyPool.values()].flatMap((e) => (e.connector ? [e.connector] : []))];
  const ops: ReplyDeps = {
    store,
    bus,
    now,
    log: log.child({ part: 'ops' }),
    sendReply: createReplySender(replyConnectors),
    needsApproval: async (user) => {
      if (user.needsApproval) return true;
      const { teams } = await loadTeams(store);
      return teams.some((t) => t.approvalRequired && user.teams.includes(t.id));
    },
  };

  let webhooks: ReturnType<typeof startWebhookDispatcher> | null = null;
  let server: http.Server | null = null;
  let gateway: Gateway | null = null;
  let port = 0;
  let demoAccounts: DemoAccount[] = [];
  if (runs.http) {
    webhooks = startWebhookDispatcher({ store, bus, log: log.child({ part: 'webhooks' }), now, ...opts.webhooks });
    demoAccounts = await bootstrapAccounts(store, config, log);
    const sessions = createSessionService(store, config.sessionTtlMs, now);
    const app = createApp({
      store,
      sessions,
      log,
      demo: config.demo,
      demoAccounts,
      cookieSecure: config.cookieSecure,
      importMaxBytes: config.importMaxBytes,
      ingest,
      clientDir: CLIENT_DIR,
      now,
      ops,
      webhooks,
      learner,
      connectorHealth: networks.health,
      networks,
    });
    server = http.createServer(app);
    gateway = createGateway({
      http: server,
      bus,
      sessions,
      store,
      log: log.child({ part: 'realtime' }),
      batchMs: config.realtime.batchMs,
      replayBatches: config.realtime.replayBatches,
      now,
    });
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(config.port, config.host, () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    if (!runs.connectors) await fingerprints();
  }

  let sharedHealth: ReturnType<typeof publishHealth> | null = null;
  if (runs.connectors) {
    for (const c of connectors) supervisor.start(c, 'static');
    await networks.reload();
    if (role === 'connectors') {
      sharedHealth = publishHealth(store, health, now);
      bus.subscribe('networks.changed', () => void networks.reload().catch((err: unknown) => log.error('network reload failed', { err })));
    }
  }

  const sweep = setInterval(() => {
    store.sessions.deleteExpired({ now: now().toISOString() }).catch((err: unknown) => log.error('session sweep failed', { err }));
  }, 3_600_000);
  sweep.unref();
  const spikes = createSpikeWatcher(ops);
  // Timed work, once per deployment (the worker): snoozed mentions coming back, SLA breaches being flagged, spikes raising alerts.
  let sweeping = false;
  const clocks = setInterval(() => {
    if (sweeping || !runs.pipeline) return;
    sweeping = true;
    Promise.all([wakeSnoozed(ops), checkSlaBreaches(ops), spikes.check()])
      .catch((err: unknown) => log.error('timed sweep failed', { err }))
      .finally(() => (sweeping = false));
  }, opts.sweepMs ?? 10_000);
  clocks.unref();

  let closing: Promise<void> | null = null;
  return {
    role,
    url: server ? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}` : '',
    port,
    store,
    bus,
    queue,
    gateway,
    learner,
    demoAccounts,
    ingest,
    close() {
      // Order matters: stop producers, finish what was accepted, then close the doors and the store.
      closing ??= (async () => {
        clearInterval(sweep);
        clearInterval(clocks);
        await supervisor.close();
        await sharedHealth?.close();
        // Embedded mode finishes what it accepted; in Redis, waiting batches stay for the next worker.
        if (!config.redisUrl) await queue.drain();
        await queue.close();
        await webhooks?.close();
        await learner.flush();
        await gateway?.close();
        if (server) {
          const s = server;
          s.closeAllConnections();
          await new Promise<void>((r) => s.close(() => r()));
        }
        await bus.close();
        await store.close();
      })();
      return closing;
    },
  };
}
