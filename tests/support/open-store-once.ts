// Opens the SQLite store at argv[2] (running migrations) at time argv[3] (ms since epoch) and closes it: several at once race their migrations.
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';

const at = Number(process.argv[3] ?? 0);
while (Date.now() < at) await new Promise((r) => setTimeout(r, Math.max(0, Math.min(50, at - Date.now() - 5))));
while (Date.now() < at) {
  // the last few milliseconds spin, so the processes start within a millisecond of each other
}
const store = openSqliteStore({ file: process.argv[2]! });
await store.settings.set({ key: `opened.${process.pid}`, value: true, expectedVersion: 0 });
await store.close();
