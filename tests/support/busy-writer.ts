// A second process writing to a Hark SQLite file as hard as it can (big insert
// transactions, searches that index pending rows), as a busy server does.
// Usage: node --import tsx tests/support/busy-writer.ts <file>; prints "ready", then counts on stdout; stops on SIGTERM.
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { MentionQuerySchema } from '../../shared/mention-query.js';
import { makeNewMention } from './fixtures.js';

const store = openSqliteStore({ file: process.argv[2]! });
let stop = false;
process.on('SIGTERM', () => (stop = true));
let batches = 0;
let errors = 0;
process.stdout.write('ready\n');
while (!stop) {
  try {
    await store.mentions.insertMany({ mentions: Array.from({ length: 2000 }, (_, i) => makeNewMention({ platform: 'busy', text: `busy writer row ${i} delayed flight` })) });
    await store.mentions.list(MentionQuerySchema.parse({ q: 'delayed', limit: 5 }));
    batches++;
  } catch (e) {
    errors++;
    process.stderr.write(`writer: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  await new Promise((r) => setImmediate(r));
}
process.stdout.write(`batches ${batches} errors ${errors}\n`);
await store.close();
