import type { ConnectorHealth } from '../../shared/connector-ports.js';
import type { Store } from '../../shared/store.js';
import { readSetting, writeSetting } from '../settings/registry.js';
import type { HealthRegistry } from './health-registry.js';

/** Its schema is in the settings registry; `reportedAt` says when each connector's item was last reported. */
const KEY = 'connectors.health';

/**
 * In distributed mode connectors run in another process than the API: their
 * health is written to the store (on change, and at least every few seconds),
 * and the API reads it from there. Several connectors processes share the
 * document: each replaces only the items of the connectors it runs (or ran),
 * so a standby does not erase the active one's report. An item not reported
 * for `staleMs` says its process is gone.
 */
export function publishHealth(store: Store, registry: HealthRegistry, now: () => Date, everyMs = 2000) {
  let last = '';
  let lastAt = 0;
  const mine = new Set<string>();
  const write = async () => {
    const items = registry.list();
    const body = JSON.stringify(items);
    if (body === last && Date.now() - lastAt < 10_000) return;
    const gone = [...mine].filter((id) => !items.some((i) => i.connectorId === id));
    for (let attempt = 0; attempt < 3; attempt++) {
      const cur = await readSetting(store, KEY);
      const at = now().toISOString();
      const ours = new Set([...items.map((i) => i.connectorId), ...gone]);
      const reportedAt = Object.fromEntries(Object.entries(cur?.value.reportedAt ?? {}).filter(([id]) => !ours.has(id)));
      for (const i of items) reportedAt[i.connectorId] = at;
      const merged = [...(cur?.value.items ?? []).filter((i) => !ours.has(i.connectorId)), ...items].sort((a, b) => a.connectorId.localeCompare(b.connectorId));
      try {
        await writeSetting(store, KEY, { at, items: merged, reportedAt }, cur?.version ?? 0);
        last = body;
        lastAt = Date.now();
        for (const id of gone) mine.delete(id);
        for (const i of items) mine.add(i.connectorId);
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
  const doc = await readSetting(store, KEY);
  if (!doc) return [];
  const t = now().getTime();
  return doc.value.items.map((h) => {
    const at = doc.value.reportedAt?.[h.connectorId] ?? doc.value.at;
    const stale = t - Date.parse(at) > staleMs;
    return stale && h.state !== 'stopped' ? { ...h, state: 'error' as const, lastError: `no report from the connectors process since ${at}` } : h;
  });
}
