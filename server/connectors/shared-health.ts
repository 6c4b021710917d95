import type { ConnectorHealth } from '../../shared/connector-ports.js';
import type { Store } from '../../shared/store.js';
import type { HealthRegistry } from './health-registry.js';

const KEY = 'connectors.health';

/**
 * In distributed mode connectors run in another process than the API: their
 * health is written to the store (at most every `everyMs`), and the API reads
 * it from there. A snapshot older than `staleMs` says the connectors process
 * is not running.
 */
export function publishHealth(store: Store, registry: HealthRegistry, now: () => Date, everyMs = 2000) {
  let last = '';
  const write = async () => {
    const items = registry.list();
    const body = JSON.stringify(items);
    if (body === last) return;
    last = body;
    for (let attempt = 0; attempt < 3; attempt++) {
      const cur = await store.settings.get({ key: KEY });
      try {
        await store.settings.set({ key: KEY, value: { at: now().toISOString(), items }, expectedVersion: cur?.version ?? 0 });
        return;
      } catch {
        // another writer won the race: read again
      }
    }
  };
  const timer = setInterval(() => void write().catch(() => undefined), everyMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await write().catch(() => undefined);
    },
  };
}

export async function readHealth(store: Store, now: () => Date, staleMs = 60_000): Promise<ConnectorHealth[]> {
  const doc = await store.settings.get<{ at: string; items: ConnectorHealth[] }>({ key: KEY });
  if (!doc) return [];
  const stale = now().getTime() - Date.parse(doc.value.at) > staleMs;
  return doc.value.items.map((h) => (stale && h.state !== 'stopped' ? { ...h, state: 'error' as const, lastError: `no report from the connectors process since ${doc.value.at}` } : h));
}
