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
import type { Config } from './config.js';
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
import { applyNetworkConfig } from './connectors/network-connectors.js';
import { createSecretBox } from './secrets/secret-box.js';

export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/dist');

export interface Hark {
  url: string;
  port: number;
  store: Store;
  bus: EventBus;
  queue: QueuePort;
  gateway: Gateway;
  learner: import('./learning/learner.js').Learner;
  demoAccounts: DemoAccount[];
  /** Runs the pipeline on a batch in this process (imports, tests). */
  ingest(batch: RawMention[]): Promise<IngestReport>;
  close(): Promise<void>;
}

/** Wires the whole product in one process (embedded mode): store, pipeline, API, realtime, connectors. */
export async function startHark(
  config: Readonly<Config>,
  opts: {
    log?: Logger;
    now?: () => Date;
    connectors?: Connector[];
    sweepMs?: number;
    retrainDelayMs?: number;
    webhooks?: Partial<Pick<Parameters<typeof startWebhookDispatcher>[0], 'fetchImpl' | 'tickMs' | 'backoffMs' | 'timeoutMs'>>;
  } = {},
): Promise<Hark> {
  const log = opts.log ?? createLogger(config.logLevel);
  const now = opts.now ?? (() => new Date());
  const store = openStore(config);
  const bus = createMemoryBus(log);
  const queue = createInlineQueue({ log: log.child({ part: 'queue' }) });
  const learner = createLearner({ store, log: log.child({ part: 'learning' }), retrainDelayMs: opts.retrainDelayMs });
  await learner.load();
  const scorer = createScorer({ brands: config.simulator.brands, learned: learner.modelsFor });
  const routing = routingContextFrom(store);
  const ingest = (batch: RawMention[]) => runIngest(batch, { mentions: store.mentions, scorer, bus, now, log: log.child({ part: 'pipeline' }), routing });

  queue.process(QUEUES.ingest, async (job) => {
    await ingest(job.mentions);
  });

  const connectors: Connector[] = [...(opts.connectors ?? [])];
  if (config.simulator.enabled) {
    connectors.push(withSimulatedReplies(createSimulator({ brands: config.simulator.brands, ratePerSecond: config.simulator.rate })));
  }
  const health = createHealthRegistry();
  const cursors = settingsCursorStore(store);
  const supervisor = createConnectorSupervisor({
    log,
    sink: (c) => (batch) => queue.add(QUEUES.ingest, { source: c.id, mentions: batch }),
    cursors,
    health,
  });
  const box = createSecretBox(config.secretKey);
  const networkConfig = createNetworkConfig({ store, config, box, now });
  const networks = {
    config: networkConfig,
    canStoreCredentials: box.available,
    health: () => health.list(),
    /** After a change in the UI: restart only the connectors whose configuration changed. */
    reload: () => applyNetworkConfig(networkConfig, config, supervisor),
  };
  const ops: ReplyDeps = {
    store,
    bus,
    now,
    log: log.child({ part: 'ops' }),
    sendReply: createReplySender(() => supervisor.list()),
    needsApproval: async (user) => {
      if (user.needsApproval) return true;
      const { teams } = await loadTeams(store);
      return teams.some((t) => t.approvalRequired && user.teams.includes(t.id));
    },
  };
  const webhooks = startWebhookDispatcher({ store, bus, log: log.child({ part: 'webhooks' }), now, ...opts.webhooks });

  const demoAccounts = await bootstrapAccounts(store, config, log);
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
    connectorHealth: () => health.list(),
    networks,
  });
  const server = http.createServer(app);
  const gateway = createGateway({
    http: server,
    bus,
    sessions,
    store,
    log: log.child({ part: 'realtime' }),
    batchMs: config.realtime.batchMs,
    replayBatches: config.realtime.replayBatches,
    now,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  for (const c of connectors) supervisor.start(c, 'static');
  await networks.reload();

  const sweep = setInterval(() => {
    store.sessions.deleteExpired({ now: now().toISOString() }).catch((err: unknown) => log.error('session sweep failed', { err }));
  }, 3_600_000);
  sweep.unref();
  const spikes = createSpikeWatcher(ops);
  // Timed work: snoozed mentions coming back, SLA breaches being flagged, spikes raising alerts.
  let sweeping = false;
  const clocks = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    Promise.all([wakeSnoozed(ops), checkSlaBreaches(ops), spikes.check()])
      .catch((err: unknown) => log.error('timed sweep failed', { err }))
      .finally(() => (sweeping = false));
  }, opts.sweepMs ?? 10_000);
  clocks.unref();

  let closing: Promise<void> | null = null;
  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
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
        await queue.drain();
        await queue.close();
        await webhooks.close();
        await learner.flush();
        await gateway.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await bus.close();
        await store.close();
      })();
      return closing;
    },
  };
}
