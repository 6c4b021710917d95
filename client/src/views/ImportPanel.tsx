import { useEffect, useRef, useState } from 'react';
import type { ImportResponse } from '../../../shared/api.js';
import type { ErrorBody } from '../../../shared/errors.js';
import type { ImportProgress } from '../../../shared/events.js';
import { PlatformSchema } from '../../../shared/mention.js';
import { ApiError, errors } from '../api/client';
import { useApp } from '../context';
import { importLine } from '../live/FeedBanner';

/**
 * Managers: import a CSV or JSONL file of posts. The file is sent as the
 * request body (streamed, never read whole into the page); the server reports
 * progress over the socket (rows, rate, errors) while it runs, and the answer
 * lists the first rows it refused.
 */
export function ImportPanel() {
  const { live } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [platform, setPlatform] = useState('import');
  const [map, setMap] = useState('');
  const [sent, setSent] = useState(0);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<ImportResponse | null>(null);
  const [running, setRunning] = useState(false);
  const importId = useRef<string | null>(null);

  useEffect(() => {
    const leave = live.enter('imports');
    const off = live.onImportProgress((p) => {
      if (p.importId === importId.current) setProgress(p);
    });
    return () => {
      leave();
      off();
    };
  }, [live]);

  const platformError = PlatformSchema.safeParse(platform).success ? null : 'platform: 1-32 lowercase letters, digits, - or _';
  const start = async () => {
    if (!file || platformError) return;
    const id = `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    importId.current = id;
    setRunning(true);
    setProgress(null);
    setResult(null);
    setSent(file.size);
    const format = /\.csv$/i.test(file.name) ? 'csv' : /\.jsonl?$/i.test(file.name) ? 'jsonl' : undefined;
    const params = new URLSearchParams({ id, platform, ...(format ? { format } : {}), ...(map.trim() ? { map: map.trim() } : {}) });
    try {
      const res = await fetch(`/api/import?${params}`, { method: 'POST', credentials: 'same-origin', body: file, headers: { 'content-type': 'application/octet-stream' } });
      const data = (await res.json().catch(() => null)) as ImportResponse | ErrorBody | null;
      if (!res.ok) {
        const b = (data as ErrorBody | null)?.error;
        errors.report(new ApiError(res.status, b?.code ?? 'internal', b?.message ?? `Import failed (${res.status})`, b?.details));
      } else setResult(data as ImportResponse);
    } catch {
      errors.report(new ApiError(0, 'network', 'Hark cannot be reached. Check your connection.'));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="import-panel" data-testid="import-panel">
      <h3>Import posts</h3>
      <p className="muted">
        A CSV or JSONL file with at least <code>id</code> and <code>text</code> (also <code>author</code>, <code>author_followers</code>, <code>created_at</code>, <code>lang</code>, …). Other column names: map them, e.g.{' '}
        <code>id=tweet_id,author=user_name</code>. Every post goes through the full pipeline; importing the same file twice stores nothing new.
      </p>
      <div className="inline-form">
        <input type="file" accept=".csv,.jsonl,.json,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} disabled={running} aria-label="File to import" />
        <label>
          Platform <input value={platform} onChange={(e) => setPlatform(e.target.value)} size={10} disabled={running} />
        </label>
        <label>
          Column map <input value={map} onChange={(e) => setMap(e.target.value)} placeholder="id=tweet_id,author=user_name" size={30} disabled={running} />
        </label>
        <button className="primary" onClick={() => void start()} disabled={!file || running || platformError !== null}>
          {running ? 'Importing…' : 'Import'}
        </button>
      </div>
      {platformError && <p className="error">{platformError}</p>}
      {running && (
        <div data-testid="import-running">
          <progress aria-label="Import running" />
          <div className="figures">
            <span>{(sent / 1048576).toFixed(1)} MB file</span>
            {progress ? <span>{importLine(progress)}</span> : <span>Starting…</span>}
          </div>
        </div>
      )}
      {!running && progress && <p data-testid="import-final">{importLine(progress)}</p>}
      {result && (
        <div data-testid="import-result">
          <div className="figures">
            <span>{result.received.toLocaleString()} rows</span>
            <span>{result.stored.toLocaleString()} stored</span>
            <span>{result.duplicates.toLocaleString()} already there</span>
            <span>{result.rejected.toLocaleString()} refused</span>
            <span>{(result.ms / 1000).toFixed(1)} s</span>
          </div>
          {result.errors.length > 0 && (
            <ul className="import-errors">
              {result.errors.map((e, i) => (
                <li key={i}>
                  {e.line === null ? '' : `line ${e.line}: `}
                  {e.message}
                </li>
              ))}
              {result.rejected > result.errors.length && <li className="muted">… and {result.rejected - result.errors.length} more</li>}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
