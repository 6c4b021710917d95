import type { ImportProgress } from '../../shared/events.js';
import type { EventBus } from '../../shared/queues.js';
import type { OnImportProgress } from '../operations/import-file.js';

/** Rows per second since the start, for the UI and the CLI alike. */
export const importRate = (rows: number, ms: number) => (ms > 0 ? Math.round((rows * 1000) / ms) : rows);

/**
 * An import's progress for browsers: at most one `import.progress` a second
 * on the bus (every API process sends it to its queue and imports rooms), and
 * one when it ends. Its mentions themselves are not sent (see quietForImport):
 * the queue shows "N new mentions, refresh" instead of 200,000 rows.
 */
export function importProgressReporter(
  bus: Pick<EventBus, 'publish'>,
  meta: Pick<ImportProgress, 'importId' | 'by' | 'platform'>,
  opts: { everyMs?: number; now?: () => number } = {},
): OnImportProgress {
  const now = opts.now ?? Date.now;
  const started = now();
  let last = -Infinity;
  return (tally, end) => {
    const t = now();
    if (!end && t - last < (opts.everyMs ?? 1000)) return;
    last = t;
    const ms = t - started;
    bus.publish('import.progress', {
      ...meta,
      rows: tally.received,
      stored: tally.stored,
      duplicates: tally.duplicates,
      errors: tally.rejected,
      rate: importRate(tally.received, ms),
      done: end !== null,
      failed: end?.failed ?? null,
      startedAt: new Date(started).toISOString(),
      ms,
    });
  };
}

/** The bus an import's pipeline publishes on: everything but its stored mentions, which its progress summarises. */
export function quietForImport(bus: Pick<EventBus, 'publish'>): Pick<EventBus, 'publish'> {
  return {
    publish(topic, payload) {
      if (topic !== 'mentions.stored') bus.publish(topic, payload);
    },
  };
}
