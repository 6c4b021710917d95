import { randomBytes } from 'node:crypto';
import { entryBytes, type LogEntry, type LogEvent, type ReadResult, type ReplayLog, type ReplayLogLimits } from './replay-log.js';

/** The replay log of embedded mode: one process, so an array; its epoch is the process's life. */
export function createMemoryReplayLog(limits: ReplayLogLimits): ReplayLog {
  const epoch = randomBytes(6).toString('base64url');
  const entries: Array<LogEntry & { bytes: number }> = [];
  let head = 0;
  let floor = 0; // the highest seq trimmed away
  let bytes = 0;
  let waiters: Array<() => void> = [];
  const trim = () => {
    let drop = 0;
    // The newest entry always stays, whatever its size.
    while (entries.length - drop > 1 && (bytes > limits.maxBytes || entries.length - drop > limits.maxEntries)) {
      bytes -= entries[drop]!.bytes;
      floor = entries[drop]!.seq;
      drop++;
    }
    if (drop) entries.splice(0, drop);
  };
  return {
    async append(event: LogEvent, payload: string) {
      const e = { seq: ++head, event, payload, bytes: entryBytes(payload) };
      entries.push(e);
      bytes += e.bytes;
      trim();
      const w = waiters;
      waiters = [];
      for (const r of w) r();
      return e.seq;
    },
    async readSince(after, opts = {}): Promise<ReadResult> {
      const upTo = Math.min(opts.upTo ?? head, head);
      if (after < floor || after > head) return { epoch, head, entries: null };
      const first = entries[0]?.seq ?? head + 1;
      const from = Math.max(0, after + 1 - first);
      const to = Math.max(from, upTo + 1 - first);
      const out = entries.slice(from, Math.min(to, from + (opts.limit ?? Infinity)));
      return { epoch, head, entries: out.map(({ seq, event: ev, payload }) => ({ seq, event: ev, payload })) };
    },
    async trim() {
      trim();
    },
    waitAfter(seq, ms) {
      if (head > seq) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        t.unref();
        function done() {
          clearTimeout(t);
          waiters = waiters.filter((w) => w !== done);
          resolve();
        }
        waiters.push(done);
      });
    },
    async close() {
      for (const r of waiters) r();
      waiters = [];
    },
  };
}
