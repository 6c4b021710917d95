import type { OnImportProgress } from './operations/import-file.js';
import { importRate } from './realtime/import-progress.js';

/**
 * The CLI import's progress line on a terminal, redrawn at most 4 times a
 * second and wiped at the end so the summary stands alone. Not for pipes or
 * files: those get the summary only.
 */
export function terminalProgress(out: NodeJS.WriteStream, now: () => number = Date.now): OnImportProgress {
  let last = 0;
  return (t, end) => {
    if (end) {
      out.write('\r\x1b[K');
      return;
    }
    const at = now();
    if (at - last < 250) return;
    last = at;
    const errors = t.rejected ? `, ${t.rejected.toLocaleString('en')} errors` : '';
    out.write(`\r\x1b[K${t.received.toLocaleString('en')} rows, ${t.stored.toLocaleString('en')} stored${errors}, ${importRate(t.received, t.ms).toLocaleString('en')}/s`);
  };
}
