import type { CursorStore } from '../../shared/connector-ports.js';

/** Connector cursors in a map, visible to the test as `data` ("<connector>/<key>" → value). */
export function memoryCursors(): CursorStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: async ({ connectorId, key }) => data.get(`${connectorId}/${key}`) ?? null,
    set: async ({ connectorId, key, value }) => void data.set(`${connectorId}/${key}`, value),
  };
}
