import type { ConnectorHealth, HealthReporter } from '../../shared/connector-ports.js';

/** The latest health of every running connector, for GET /api/connectors. */
export function createHealthRegistry() {
  const all = new Map<string, ConnectorHealth>();
  return {
    reporter(connectorId: string, platform: string): HealthReporter {
      all.set(connectorId, { connectorId, platform, state: 'starting', lastSuccessAt: null, lastErrorAt: null, lastError: null, lagMs: null, rateLimit: null, budget: null, stream: null, fetched: 0, errors: 0 });
      return { report: (patch) => all.set(connectorId, { ...all.get(connectorId)!, ...patch }) };
    },
    remove: (connectorId: string) => void all.delete(connectorId),
    list: (): ConnectorHealth[] => [...all.values()],
  };
}
export type HealthRegistry = ReturnType<typeof createHealthRegistry>;
