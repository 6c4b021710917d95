import type { CursorStore } from '../../shared/connector-ports.js';
import type { Store } from '../../shared/store.js';
import { readSetting, writeSetting } from '../settings/registry.js';

/** Connector cursors kept as small settings documents (`cursor.<connector>.<key>`). */
export function settingsCursorStore(store: Store): CursorStore {
  const keyOf = (connectorId: string, key: string) => `cursor.${connectorId}.${key}` as const;
  return {
    async get({ connectorId, key }) {
      return (await readSetting(store, keyOf(connectorId, key)))?.value ?? null;
    },
    async set({ connectorId, key, value }) {
      const k = keyOf(connectorId, key);
      // One writer per connector: read the version and write; a lost race just retries once.
      for (let attempt = 0; attempt < 2; attempt++) {
        const cur = await readSetting(store, k);
        try {
          await writeSetting(store, k, value, cur?.version ?? 0);
          return;
        } catch (e) {
          if (attempt === 1) throw e;
        }
      }
    },
  };
}
