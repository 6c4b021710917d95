import type { Connector, IngestSink } from '../../connectors/connector.js';
import type { CursorStore } from '../../shared/connector-ports.js';
import type { Logger } from '../../shared/log.js';
import type { LeaseStore } from '../../shared/store.js';
import type { HealthRegistry } from './health-registry.js';

export const CONNECTOR_LEASE_PREFIX = 'connector:';

/** Distributed mode: one active instance per connector across every connectors process. */
export interface ConnectorLeases {
  leases: LeaseStore;
  holder: string;
  ttlMs: number;
  now: () => Date;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

interface Running {
  connector: Connector;
  abort: AbortController;
  done: Promise<void>;
  fingerprint: string;
}

/**
 * Runs connectors and swaps one when its configuration changes: the old one
 * is stopped (its in-flight batch finishes, its cursor is saved) before the
 * new one starts, so the two never read the same cursors at once.
 *
 * With `lease` (distributed mode) each connector runs only while this process
 * holds the lease `connector:<id>` in the store, renewed every third of its
 * time; the other connectors processes stand by and try to take it. When the
 * active process dies its lease expires and a standby starts the connector
 * from the saved cursors (saved only once a batch cannot be lost, so a
 * takeover re-reads at most what was in flight, and the store dedupes it).
 */
export function createConnectorSupervisor(deps: { log: Logger; sink: (c: Connector) => IngestSink; cursors: CursorStore; health: HealthRegistry; lease?: ConnectorLeases }) {
  const running = new Map<string, Running>();
  let chain: Promise<unknown> = Promise.resolve();

  const runOnce = (connector: Connector, signal: AbortSignal) => {
    const clog = deps.log.child({ connector: connector.id });
    return connector
      .run({ sink: deps.sink(connector), signal, log: clog, cursors: deps.cursors, health: deps.health.reporter(connector.id, connector.platform) })
      .catch((err: unknown) => clog.error('connector stopped', { err }));
  };

  /** Stands by until this process holds the connector's lease, runs it while the lease is renewed, and gives it back on stop. */
  async function runLeased(connector: Connector, signal: AbortSignal, l: ConnectorLeases) {
    const name = CONNECTOR_LEASE_PREFIX + connector.id;
    const every = Math.max(50, Math.floor(l.ttlMs / 3));
    while (!signal.aborted) {
      const held = await l.leases.acquire({ name, holder: l.holder, ttlMs: l.ttlMs, now: l.now().toISOString() }).catch((err: unknown) => {
        deps.log.warn('connector lease unavailable', { connector: connector.id, err });
        return null;
      });
      if (!held) {
        await sleep(every, signal);
        continue;
      }
      deps.log.info('connector lease taken: running here', { connector: connector.id, holder: l.holder });
      const inner = new AbortController();
      const onStop = () => inner.abort();
      signal.addEventListener('abort', onStop, { once: true });
      const heartbeat = setInterval(() => {
        l.leases
          .renew({ name, holder: l.holder, ttlMs: l.ttlMs, now: l.now().toISOString() })
          .then((r) => {
            if (r) return;
            // Another process took it over (this one stalled past the lease): stop, so two never read the same cursors.
            deps.log.warn('connector lease lost: stopping here', { connector: connector.id });
            inner.abort();
          })
          .catch((err: unknown) => deps.log.warn('connector lease renewal failed', { connector: connector.id, err }));
      }, every);
      await runOnce(connector, inner.signal);
      clearInterval(heartbeat);
      signal.removeEventListener('abort', onStop);
      deps.health.remove(connector.id);
      await l.leases.release({ name, holder: l.holder }).catch(() => false);
      if (!signal.aborted) await sleep(every, signal);
    }
  }

  function start(connector: Connector, fingerprint: string) {
    const abort = new AbortController();
    const done = deps.lease ? runLeased(connector, abort.signal, deps.lease) : runOnce(connector, abort.signal);
    running.set(connector.id, { connector, abort, done, fingerprint });
  }

  async function stop(id: string) {
    const r = running.get(id);
    if (!r) return;
    r.abort.abort();
    await r.done;
    running.delete(id);
    deps.health.remove(id);
  }

  return {
    start,
    /** Runs `connector` under `id` unless the same configuration already runs; `null` stops it. True when something changed. */
    replace(id: string, connector: Connector | null, fingerprint: string): Promise<boolean> {
      const next = chain.then(async () => {
        const cur = running.get(id);
        if (cur && connector && cur.fingerprint === fingerprint) return false;
        if (!cur && !connector) return false;
        await stop(id);
        if (connector) start(connector, fingerprint);
        deps.log.info(connector ? 'connector (re)started' : 'connector stopped', { connector: id });
        return true;
      });
      chain = next.catch(() => undefined);
      return next;
    },
    list: (): Connector[] => [...running.values()].map((r) => r.connector),
    async close() {
      await chain;
      await Promise.all([...running.keys()].map(stop));
    },
  };
}
export type ConnectorSupervisor = ReturnType<typeof createConnectorSupervisor>;
