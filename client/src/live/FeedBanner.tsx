import { useEffect, useState } from 'react';
import type { ImportProgress } from '../../../shared/events.js';
import { useApp } from '../context';

const n = (x: number) => x.toLocaleString();

/** One line about an import, for the queue banner and the import page alike. */
export function importLine(p: ImportProgress): string {
  const errors = p.errors ? ` · ${n(p.errors)} error${p.errors === 1 ? '' : 's'}` : '';
  if (p.failed) return `Import stopped after ${n(p.rows)} rows: ${p.failed}`;
  if (p.done) return `Import finished: ${n(p.stored)} new mentions from ${n(p.rows)} rows (${n(p.duplicates)} already there${errors}) in ${(p.ms / 1000).toFixed(1)} s`;
  return `Importing${p.by ? ` (${p.by.name})` : ''}: ${n(p.rows)} rows · ${n(p.rate)}/s · ${n(p.stored)} new${errors}`;
}

/**
 * Above the queue: what arrived without being sent one by one (a burst past
 * the rate, an import) and a button to refetch the page. An import that ended
 * stays until the agent refreshes or dismisses it.
 */
export function FeedBanner({ onRefresh }: { onRefresh: () => void }) {
  const { live } = useApp();
  const [unseen, setUnseen] = useState(0);
  const [imports, setImports] = useState<Map<string, ImportProgress>>(new Map());
  const [heard] = useState(() => new Map<string, number>());
  useEffect(() => {
    const offSummary = live.onSummary((s) => setUnseen((u) => u + s.count));
    const offProgress = live.onImportProgress((p) => {
      heard.set(p.importId, Date.now());
      setImports((prev) => new Map(prev).set(p.importId, p));
    });
    // Progress is not replayed: an import whose end this page missed (it was offline) fades after 30 s of silence.
    const sweep = setInterval(() => {
      const stale = Date.now() - 30_000;
      setImports((prev) => ([...prev.values()].some((p) => !p.done && (heard.get(p.importId) ?? 0) < stale) ? new Map([...prev].filter(([id, p]) => p.done || (heard.get(id) ?? 0) >= stale)) : prev));
    }, 5000);
    // A refetch after a reset shows everything already.
    const offReset = live.onReset(() => setUnseen(0));
    return () => {
      offSummary();
      offProgress();
      offReset();
      clearInterval(sweep);
    };
  }, [live, heard]);
  const newFromImports = [...imports.values()].filter((p) => p.done).reduce((t, p) => t + p.stored, 0);
  if (unseen === 0 && imports.size === 0) return null;
  const refresh = () => {
    setUnseen(0);
    setImports((prev) => new Map([...prev].filter(([, p]) => !p.done)));
    onRefresh();
  };
  return (
    <div className="feed-banner" role="status" data-testid="feed-banner">
      <span>
        {[...imports.values()].map((p) => (
          <span key={p.importId} data-testid="import-progress">
            {importLine(p)}
            <br />
          </span>
        ))}
        {unseen > 0 && <span data-testid="burst-summary">{n(unseen)} new mentions arrived faster than the queue shows them one by one.</span>}
      </span>
      {(unseen > 0 || newFromImports > 0) && (
        <button className="primary" onClick={refresh}>
          Refresh
        </button>
      )}
      {unseen === 0 && newFromImports === 0 && [...imports.values()].every((p) => p.failed) && <button onClick={() => setImports(new Map())}>Dismiss</button>}
    </div>
  );
}
