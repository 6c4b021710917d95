import type { ImportResponse } from '../../shared/api.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { readImportFile, type ImportOptions } from '../../connectors/files/index.js';
import type { IngestReport } from '../../workers/pipeline/run-ingest.js';

const MAX_ERRORS_REPORTED = 100;

/** Called after each batch (end null) and once at the end, with the running tally. */
export type OnImportProgress = (tally: Readonly<ImportResponse>, end: { failed: string | null } | null) => void;

/**
 * Streams a CSV or JSONL file through the full pipeline batch by batch, so
 * memory stays flat whatever the file's size. Bad rows are counted and the
 * first hundred reported with their line; they never stop the import.
 */
export async function importFile(
  input: AsyncIterable<Buffer | string>,
  opts: ImportOptions,
  deps: {
    ingest: (batch: RawMention[]) => Promise<IngestReport>;
    clock?: () => number;
    onProgress?: OnImportProgress;
    /**
     * Batches handed to `ingest` before the oldest one's report is awaited (default 1).
     * With a scoring pool, 2 lets the next batch be scored while one is written;
     * `ingest` must then store batches in the order it was given them (IngestPath.sequence).
     */
    window?: number;
  },
): Promise<ImportResponse> {
  const clock = deps.clock ?? (() => performance.now());
  const window = Math.max(1, deps.window ?? 1);
  const started = clock();
  const out: ImportResponse = { received: 0, stored: 0, duplicates: 0, rejected: 0, errors: [], ms: 0 };
  const inFlight: Array<Promise<IngestReport>> = [];
  const settle = async () => {
    const report = await inFlight.shift()!;
    out.stored += report.stored.length;
    out.duplicates += report.duplicates;
    out.rejected += report.rejected.length;
    for (const r of report.rejected) if (out.errors.length < MAX_ERRORS_REPORTED) out.errors.push({ line: null, message: r.message });
    out.ms = Math.round(clock() - started);
    deps.onProgress?.(out, null);
  };
  try {
    for await (const batch of readImportFile(input, opts)) {
      out.received += batch.mentions.length + batch.errors.length;
      out.rejected += batch.errors.length;
      for (const e of batch.errors) if (out.errors.length < MAX_ERRORS_REPORTED) out.errors.push({ line: e.line, message: e.message });
      if (batch.mentions.length > 0) {
        const report = deps.ingest(batch.mentions);
        // Awaited in turn below; never left rejected without a handler meanwhile.
        report.catch(() => undefined);
        inFlight.push(report);
        if (inFlight.length >= window) await settle();
      } else {
        out.ms = Math.round(clock() - started);
        deps.onProgress?.(out, null);
      }
    }
    while (inFlight.length > 0) await settle();
  } catch (err) {
    await Promise.allSettled(inFlight);
    out.ms = Math.round(clock() - started);
    deps.onProgress?.(out, { failed: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  out.ms = Math.round(clock() - started);
  deps.onProgress?.(out, { failed: null });
  return out;
}
