import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoAccount } from '../shared/auth.js';
import type { Logger } from '../shared/log.js';
import { QUEUES, type EventBus, type QueuePort } from '../shared/queues.js';
import type { RawMention } from '../shared/raw-mention.js';
import type { Store } from '../shared/store.js';
import { NETWORKS, type Network, type ReplyAbilities } from '../shared/networks.js';
import type { Connector } from '../connectors/connector.js';
import { createSimulator } from '../connectors/demo/index.js';
import { withSimulatedReplies } from '../connectors/simulated-replies.js';
import type { IngestReport } from '../workers/pipeline/run-ingest.js';
import { WRITE_CHUNK } from '../workers/pipeline/persist.js';
import { createIngestPath } from './ingest-path.js';
import { bootstrapAccounts } from './auth/bootstrap.js';
import { demoQueriesBlocked, seedDemo } from './demo/seed-demo.js';
import { createSessionService } from './auth/sessions.js';
import { createLoginThrottle, memoryThrottleState, redisThrottleState, withFallback } from './auth/login-throttle.js';
import { Redis } from 'ioredis';
import { trustFunction } from './http/origin-check.js';
import { trackSocketSessions } from './realtime/socket-sessions.js';
import { createMemoryBus } from './bus/memory-bus.js';
import { createRedisBus } from './bus/redis-bus.js';
import { createBullQueue } from './queue/bullmq-queue.js';
import { publishHealth, readHealth } from './connectors/shared-health.js';
import { ConfigError, type Config } from './config.js';
import { createApp } from './http/app.js';
import { createLogger } from './logger.js';
import { createInlineQueue } from './queue/inline-queue.js';
import { createGateway, type Gateway } from './realtime/gateway.js';
import { withFeedPublisher } from './realtime/feed-publisher.js';
import { importProgressReporter, quietForImport } from './realtime/import-progress.js';
import { createMemoryReplayLog } from './realtime/memory-replay-log.js';
import { createRedisReplayLog } from './realtime/redis-replay-log.js';
import { openStore } from './store/open-store.js';
import { createReplyNetwork } from './replies/reply-sender.js';
import { startReplyOutbox } from './replies/reply-outbox.js';
import type { ReplyDeps } from './operations/replies.js';
import { checkSlaBreaches } from './operations/cases.js';
import { wakeSnoozed } from './operations/triage.js';
import { purgeExpired } from './operations/privacy.js';
import { createSpikeWatcher } from './operations/spikes.js';
import { loadTeams } from './routing/routing-context.js';
import { startWebhookDispatcher } from './webhooks/dispatcher.js';
import { createDutyRunner, holderId } from './duties/duty-runner.js';
import { startHealthPort } from './health/health-port.js';
import { BadDataError } from '../shared/errors.js';
import { IngestJobSchema } from './queue/ingest-job.js';
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
  /** Worker and connectors roles with HEALTH_PORT: where GET /health answers. */
  healthUrl: string | null;
  port: number;
  store: Store;
  bus: EventBus;
  queue: QueuePort;
  gateway: Gateway | null;
  /** The express app (null in roles without HTTP), so tests can walk its route table. */
  app: import('express').Express | null;
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
    retentionMs?: number;
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
  const rawBus = config.redisUrl ? await createRedisBus(config.redisUrl, log.child({ part: 'bus' })) : createMemoryBus(log);
  // One numbered log of the queue's events for every API process (Redis), or for this one (memory).
  const logLimits = { maxBytes: config.realtime.replayMaxBytes, maxEntries: config.realtime.replayMaxEntries };
  const replayLog = config.redisUrl ? await createRedisReplayLog(config.redisUrl, 'queue', logLimits) : createMemoryReplayLog(logLimits);
  const bus = withFeedPublisher(rawBus, replayLog, config.realtime, log.child({ part: 'realtime' }));
  const queue = config.redisUrl ? createBullQueue({ url: config.redisUrl, log: log.child({ part: 'queue' }), lockMs: config.queueLockMs }) : createInlineQueue({ log: log.child({ part: 'queue' }) });
  const holder = holderId(role);
  const duties = createDutyRunner({ store, holder, log: log.child({ part: 'duties' }), now, leaseMs: config.leaseMs });
  const learner = createLearner({ store, log: log.child({ part: 'learning' }), retrainDelayMs: opts.retrainDelayMs, onSaved: (kind, brand) => bus.publish('model.updated', { kind, brand }) });
  // Only processes that score (the pipeline, and the api for imports and corrections) need the learned models.
  if (runs.http || runs.pipeline) await learner.load();
  // Models are retrained where corrections arrive (the API); processes that score reload them.
  if (role === 'worker') bus.subscribe('model.updated', () => void learner.load().catch((err: unknown) => log.error('model reload failed', { err })));
  const box = createSecretBox(config.secretKey);
  const networkConfig = createNetworkConfig({ store, config, box, now });
  // A process without HTTP (a worker) answers no requests: it writes whole batches.
  const ingestPath = await createIngestPath({ store, config, net: networkConfig, bus, now, log, learned: learner, writeChunk: runs.http ? WRITE_CHUNK : Number.POSITIVE_INFINITY });
  const ingest = ingestPath.ingest;
  // Brand words follow the listening queries: the API reloads them where managers edit, the workers when told over the bus.
  bus.subscribe('case.created', (m) => void (m.case.kind === 'investigation' && ingestPath.investigationsChanged()));
  bus.subscribe('case.updated', (m) => void (m.case.kind === 'investigation' && ingestPath.investigationsChanged()));
  if (role === 'worker') bus.subscribe('networks.changed', () => void ingestPath.reloadBrands().catch((err: unknown) => log.error('brand reload failed', { err })));
  // An upload's mentions reach browsers as its progress, not one by one.
  const importIngest = () => ingestPath.sequence(quietForImport(bus));

  if (runs.pipeline) {
    queue.process(QUEUES.ingest, async (job) => {
      // The edge of the worker: a payload that is not a batch is bad data (a dead letter), never a retry loop.
      const parsed = IngestJobSchema.safeParse(job);
      if (!parsed.success) throw new BadDataError(`${parsed.error.issues[0]?.path.join('.') || 'job'}: ${parsed.error.issues[0]?.message ?? 'not an ingest batch'}`);
      await ingest(job.mentions);
    });
  }

  const simulator = config.simulator.enabled ? withSimulatedReplies(createSimulator({ brands: config.simulator.brands, ratePerSecond: config.simulator.rate }), { logFile: path.join(config.dataDir, 'simulated-replies.jsonl') }) : null;
  const connectors: Connector[] = [...(opts.connectors ?? []), ...(simulator ? [simulator] : [])];
  const health = createHealthRegistry();
  const cursors = settingsCursorStore(store);
  const supervisor = createConnectorSupervisor({
    log,
    // A connector saves its cursor when the sink resolves: only once the batch cannot be lost.
    sink: (c) => (batch) => queue.addDurable(QUEUES.ingest, { source: c.id, mentions: batch }),
    cursors,
    health,
    // Several connectors processes: each connector runs in the one holding its lease; embedded mode has one process and no lease to wait for after a restart.
    ...(config.redisUrl ? { lease: { leases: store.leases, holder, ttlMs: config.leaseMs, now } } : {}),
  });
  // The API process answers replies with clients of its own (built, never run) when connectors run elsewhere.
  const replyPool = new Map<string, { fingerprint: string; connector: Connector | null }>();
  const fingerprints = async () => {
    const built = await buildNetworkConnectors(networkConfig, config);
    const changed: Network[] = [];
    for (const n of NETWORKS) {
      if (replyPool.get(n)?.fingerprint !== built[n].fingerprint) changed.push(n);
      replyPool.set(n, built[n]);
    }
    return changed;
  };
  const networks = {
    config: networkConfig,
    canStoreCredentials: box.available,
    xRedirectUri: config.x.oauth2.redirectUri,
    replyAbilities: () => replyAbilities(),
    health: async () => (runs.connectors ? health.list() : readHealth(store, now)),
    /** After a change in the UI: restart only the connectors whose configuration changed (here, or in the connectors process). */
    reload: async () => {
      await ingestPath.reloadBrands();
      if (runs.connectors) return applyNetworkConfig(networkConfig, config, supervisor);
      const changed = await fingerprints();
      bus.publish('networks.changed', { at: now().toISOString() });
      return changed;
    },
  };
  const replyConnectors = (): Connector[] =>
    runs.connectors ? supervisor.list() : [...(simulator ? [simulator] : []), ...[...replyPool.values()].flatMap((e) => (e.connector ? [e.connector] : []))];
  /** What the reply composer is told: a platform without a connector that can reply is absent. */
  const replyAbilities = (): ReplyAbilities => {
    const out: ReplyAbilities = {};
    for (const c of replyConnectors()) {
      if (!c.reply || out[c.platform]?.canReply) continue;
      const st = c.replyStatus?.() ?? { authorised: true, via: null, problem: null };
      out[c.platform] = { canReply: st.authorised, via: st.via, reason: st.problem };
    }
    return out;
  };
  const ops: ReplyDeps = {
    store,
    bus,
    now,
    log: log.child({ part: 'ops' }),
    // A post or a look on the network must end well inside the lease, so a live sender never loses its claim mid-post.
    network: createReplyNetwork(replyConnectors, Math.min(15_000, config.replyLeaseMs / 3)),
    outbox: { owner: `${role}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`, leaseMs: config.replyLeaseMs, waitMs: Math.min(10_000, config.replyLeaseMs / 2), inflight: new Set() },
    needsApproval: async (user) => {
      if (user.needsApproval) return true;
      const { teams } = await loadTeams(store);
      return teams.some((t) => t.approvalRequired && user.teams.includes(t.id));
    },
  };

  const healthDeps = { store, queue, role, distributed: config.redisUrl !== null, now };
  let webhooks: ReturnType<typeof startWebhookDispatcher> | null = null;
  let server: http.Server | null = null;
  let gateway: Gateway | null = null;
  let app: import('express').Express | null = null;
  let guard: ReturnType<typeof trackSocketSessions> | null = null;
  let throttleRedis: Redis | null = null;
  let port = 0;
  let demoAccounts: DemoAccount[] = [];
  if (runs.http) {
    webhooks = startWebhookDispatcher({ store, bus, log: log.child({ part: 'webhooks' }), now, holder, duties, ...opts.webhooks });
    demoAccounts = await bootstrapAccounts(store, config, log);
    // The demo's teams, agents, rules, SLA, saved replies and competitors: once per fresh store, never over a manager's changes.
    if (config.demo && config.simulator.enabled && demoAccounts.length > 0) {
      await seedDemo(store, config.simulator.brands, log.child({ part: 'demo' }), { queriesBlocked: demoQueriesBlocked(config) });
      await ingestPath.reloadBrands();
    }
    const sessions = createSessionService(store, config.sessionTtlMs, now);
    // Sign-in failures are counted once for all API processes (Redis), or in this one (embedded).
    throttleRedis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectionName: 'hark-login-throttle' }) : null;
    throttleRedis?.on('error', () => undefined);
    const origins = { allowed: config.allowedOrigins, trust: trustFunction(config.trustProxy) };
    app = createApp({
      origins,
      throttle: createLoginThrottle(
        throttleRedis
          ? { state: withFallback(redisThrottleState(throttleRedis), memoryThrottleState({ maxEntries: 100_000, now: Date.now }), (err) => log.warn('login throttle: Redis unavailable, counting in this process', { err: String(err) })) }
          : {},
      ),
      store,
      sessions,
      log,
      demo: config.demo,
      demoAccounts,
      cookieSecure: config.cookieSecure,
      importMaxBytes: config.importMaxBytes,
      importMaxLineBytes: config.importMaxLineBytes,
      importBatchSize: ingestPath.batchSize,
      importWindow: ingestPath.window,
      ingest: importIngest,
      importProgress: (meta) => importProgressReporter(bus, meta),
      clientDir: CLIENT_DIR,
      now,
      ops,
      webhooks,
      learner,
      connectorHealth: networks.health,
      networks,
      health: healthDeps,
    });
    server = http.createServer(app);
    // A signed-out, revoked, expired or disabled session's sockets end, on every API process (the bus carries it).
    guard = trackSocketSessions({ bus, sessions, origins, log: log.child({ part: 'realtime' }), now });
    gateway = createGateway({
      http: server,
      bus,
      sessions,
      store,
      log: log.child({ part: 'realtime' }),
      replayLog,
      maxMessageBytes: config.realtime.maxMessageBytes,
      now,
      allowRequest: guard.allowRequest,
    });
    guard.attach(gateway.io);
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(config.port, config.host, () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    if (!runs.connectors) await fingerprints();
  }

  const healthPort = !runs.http && config.healthPort !== null ? await startHealthPort(healthDeps, config.host, config.healthPort) : null;

  let sharedHealth: ReturnType<typeof publishHealth> | null = null;
  if (runs.connectors) {
    for (const c of connectors) supervisor.start(c, 'static');
    await networks.reload();
    if (role === 'connectors') {
      sharedHealth = publishHealth(store, health, now);
      bus.subscribe('networks.changed', () => void networks.reload().catch((err: unknown) => log.error('network reload failed', { err })));
    }
  }

  // Processes that send replies (they hold the network clients) also resume the replies other senders left behind; started once those clients exist.
  const outbox = runs.http ? startReplyOutbox(ops, { tickMs: Math.min(5_000, Math.max(500, config.replyLeaseMs / 6)) }) : null;

  // Timed work, once per deployment whatever the number of processes: each duty runs where its lease is held.
  const spikes = createSpikeWatcher(ops);
  duties.every('sessions', 3_600_000, () => store.sessions.deleteExpired({ now: now().toISOString() }));
  if (runs.pipeline) {
    const sweepMs = opts.sweepMs ?? config.sweepMs;
    duties.every('snoozes', sweepMs, () => wakeSnoozed(ops));
    duties.every('sla', sweepMs, () => checkSlaBreaches(ops));
    duties.every('spikes', sweepMs, () => spikes.check());
    // Retention (raw mention text and author data past the period): hourly, since each purge merges the text index.
    duties.every('retention', opts.retentionMs ?? 3_600_000, () => purgeExpired(ops, now()));
  }

  let closing: Promise<void> | null = null;
  return {
    role,
    url: server ? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}` : '',
    port,
    healthUrl: healthPort?.url ?? null,
    store,
    bus,
    queue,
    gateway,
    app,
    learner,
    demoAccounts,
    ingest: (batch) => ingest(batch),
    close() {
      // Order matters: stop producers, finish what was accepted, then close the doors and the store.
      closing ??= (async () => {
        // Before the connectors stop: a sweep mid-send still has its network.
        await outbox?.close();
        await duties.close();
        await healthPort?.close();
        await supervisor.close();
        await sharedHealth?.close();
        // Embedded mode finishes what it accepted; in Redis, waiting batches stay for the next worker.
        if (!config.redisUrl) await queue.drain();
        await queue.close();
        await ingestPath.close();
        await webhooks?.close();
        await learner.flush();
        guard?.close();
        await gateway?.close();
        if (server) {
          const s = server;
          s.closeAllConnections();
          await new Promise<void>((r) => s.close(() => r()));
        }
        await throttleRedis?.quit().catch(() => undefined);
        await bus.close();
        await replayLog.close();
        await store.close();
      })();
      return closing;
    },
  };
}
