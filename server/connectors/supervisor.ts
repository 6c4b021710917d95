import type { Connector, IngestSink } from '../../connectors/connector.js';
import type { CursorStore } from '../../shared/connector-ports.js';
import type { Logger } from '../../shared/log.js';
import type { HealthRegistry } from './health-registry.js';

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
 */
export function createConnectorSupervisor(deps: { log: Logger; sink: (c: Connector) => IngestSink; cursors: CursorStore; health: HealthRegistry }) {
  const running = new Map<string, Running>();
  let chain: Promise<unknown> = Promise.resolve();

  function start(connector: Connector, fingerprint: string) {
    const abort = new AbortController();
    const clog = deps.log.child({ connector: connector.id });
    const done = connector
      .run({ sink: deps.sink(connector), signal: abort.signal, log: clog, cursors: deps.cursors, health: deps.health.reporter(connector.id, connector.platform) })
      .catch((err: unknown) => clog.error('connector stopped', { err }));
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
