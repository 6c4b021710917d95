// At time argv[3] (ms since epoch), adds argv[4] first-response increments, one `reports.add` each, to one histogram row of the SQLite store at argv[2]:
// several processes at once check that no bucket increment is lost (tests/contract/sqlite-report-concurrent.test.ts).
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';

const at = Number(process.argv[3] ?? 0);
const count = Number(process.argv[4] ?? 100);
const store = openSqliteStore({ file: process.argv[2]! });
while (Date.now() < at) await new Promise((r) => setTimeout(r, Math.max(0, Math.min(50, at - Date.now() - 5))));
for (let i = 0; i < count; i++) {
  await store.reports.add({ increments: [{ at: '2026-11-20T10:00:00.000Z', dim: 'resp.agent', value: '7', brand: 'Acme', network: 'x', metric: 'frt_wall', bucket: i % 10, n: 1, sum: 1 }] });
}
await store.close();
