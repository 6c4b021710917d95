/** Child process of sqlite-case-numbers.test.ts: opens the store, waits for the start signal time, creates cases as fast as it can. */
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';

const [file, at, count] = process.argv.slice(2);
const store = openSqliteStore({ file: file! });
const now = '2026-11-24T10:00:00.000Z';
while (Date.now() < Number(at)) await new Promise((r) => setTimeout(r, 5));
let failed = 0;
for (let i = 0; i < Number(count); i++) {
  try {
    await store.cases.create({ draft: { title: `case ${process.pid} ${i}`, status: 'open', priority: 'normal', team: null, assignee: null, customerId: null, mentionIds: [], externalRef: null, createdAt: now, updatedAt: now, firstResponseAt: null, resolvedAt: null, sla: { firstResponseDueAt: null, resolutionDueAt: null, breached: [] } } });
  } catch (e) {
    failed++;
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  }
}
await store.close();
process.exit(failed ? 1 : 0);
