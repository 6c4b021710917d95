import { useEffect, useState } from 'react';
import { NETWORK_NAMES, NETWORKS, type ListeningQueriesView, type ListeningQuery, type Network, type QueryCheck } from '../../../shared/networks.js';
import { api, ApiError, get } from '../api/client';

interface RowError {
  message: string;
  position: number | null;
}

/** Where the server said a query breaks, shown under the text with a caret. */
function Caret({ query, error }: { query: string; error: RowError }) {
  return (
    <div className="query-error" role="alert">
      {error.position !== null && (
        <pre aria-hidden="true">
          {query}
          {'\n'}
          {' '.repeat(error.position)}^
        </pre>
      )}
      <span>{error.message}</span>
    </div>
  );
}

const blank = (): ListeningQuery => ({ id: '', brand: '', query: '', networks: [], enabled: true, role: 'own', competitorOf: null });
const errorOf = (e: unknown): RowError => {
  const d = e instanceof ApiError && Array.isArray(e.details) ? (e.details as Array<{ position?: number; message?: string }>)[0] : undefined;
  return { message: d?.message ?? (e instanceof Error ? e.message : 'Failed'), position: typeof d?.position === 'number' ? d.position : null };
};

/**
 * Managers edit the brand's listening queries: one language for every network
 * (words, "phrases", AND/OR/NOT, NEAR/n, from:/to:, lang:, network:). Each can
 * be checked before saving, showing what each network will be asked.
 */
export function ListeningQueriesEditor({ canEdit }: { canEdit: boolean }) {
  const [rows, setRows] = useState<ListeningQuery[]>([]);
  const [version, setVersion] = useState(0);
  const [source, setSource] = useState<'ui' | 'env'>('env');
  const [errors, setErrors] = useState<Record<number, RowError>>({});
  const [checks, setChecks] = useState<Record<number, QueryCheck>>({});
  const [msg, setMsg] = useState<string | null>(null);
  const load = () =>
    get<ListeningQueriesView>('/api/listening-queries').then((r) => {
      setRows(r.queries);
      setVersion(r.version);
      setSource(r.source);
    }, () => undefined);
  useEffect(() => void load(), []);

  const edit = (i: number, patch: Partial<ListeningQuery>) => {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setErrors(({ [i]: _gone, ...rest }) => rest);
  };
  const toggleNetwork = (i: number, n: Network) => {
    // No network ticked means every network: unticking one leaves the others.
    const cur = rows[i]!.networks.length ? rows[i]!.networks : [...NETWORKS];
    const next = cur.includes(n) ? cur.filter((x) => x !== n) : [...cur, n];
    edit(i, { networks: next.length === NETWORKS.length ? [] : next });
  };
  const check = async (i: number) => {
    try {
      const r = await api<QueryCheck>('POST', '/api/listening-queries/check', { query: rows[i]!.query }, { quiet: true });
      setChecks((c) => ({ ...c, [i]: r }));
    } catch (e) {
      setErrors((x) => ({ ...x, [i]: errorOf(e) }));
    }
  };
  const save = async () => {
    setMsg(null);
    try {
      const r = await api<ListeningQueriesView & { restarted: Network[] }>('PUT', '/api/listening-queries', { version, queries: rows }, { quiet: true });
      setRows(r.queries);
      setVersion(r.version);
      setSource(r.source);
      setErrors({});
      setMsg(r.restarted.length ? `Saved; ${r.restarted.join(' and ')} restarted with the new queries` : 'Saved');
    } catch (e) {
      const field = e instanceof ApiError && Array.isArray(e.details) ? String((e.details as Array<{ field?: string }>)[0]?.field ?? '') : '';
      const m = /^queries\.(\d+)\./.exec(field);
      if (m) setErrors({ [Number(m[1])]: errorOf(e) });
      setMsg(e instanceof Error ? e.message : 'Save failed');
    }
  };

  // A competitor is watched against one of the brands this list listens to as its own.
  const ownBrands = [...new Set(rows.filter((r) => r.role === 'own' && r.brand.trim()).map((r) => r.brand.trim()))];
  return (
    <section data-testid="listening-queries">
      <h3>Listening queries</h3>
      <p className="muted">
        A query is the brand&apos;s own (its mentions go to the queue) or a competitor&apos;s (counted for share of voice and sentiment on the wall, never put in the queue).
      </p>
      <p className="muted">
        One language for every network: <code>acme (refund OR "lost luggage") -promo</code>, <code>NEAR/3</code>, <code>from:</code>/<code>to:</code> handles, <code>lang:fr</code>,{' '}
        <code>network:reddit</code> (<code>x</code>, <code>reddit</code>, <code>bluesky</code>, <code>mastodon</code>). Each network is asked the widest search it supports and every post is re-checked here.
        {source === 'env' && ' These come from the server environment until you save them here.'}
      </p>
      <table className="queries">
        <thead>
          <tr>
            <th>Id</th>
            <th>Brand</th>
            <th>Query</th>
            <th>Role</th>
            <th>Networks</th>
            <th>On</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((q, i) => (
            <tr key={i} className={errors[i] ? 'invalid' : undefined}>
              <td>
                <input aria-label={`Query ${i + 1} id`} value={q.id} disabled={!canEdit} onChange={(e) => edit(i, { id: e.target.value })} size={10} />
              </td>
              <td>
                <input aria-label={`Query ${i + 1} brand`} value={q.brand} disabled={!canEdit} onChange={(e) => edit(i, { brand: e.target.value })} size={12} />
              </td>
              <td className="query-cell">
                <input aria-label={`Query ${i + 1} text`} value={q.query} disabled={!canEdit} onChange={(e) => edit(i, { query: e.target.value })} spellCheck={false} />
                {errors[i] && <Caret query={q.query} error={errors[i]} />}
                {checks[i] && !errors[i] && (
                  <div className="muted small" data-testid={`query-check-${i}`}>
                    X: <code>{checks[i].compiled.x.q ?? '(not searchable)'}</code> · Reddit: <code>{checks[i].compiled.reddit.q ?? '(subreddit feeds only)'}</code> · Bluesky:{' '}
                    <code>{checks[i].compiled.bluesky.q ?? '(firehose only)'}</code> · Mastodon: <code>(timelines and hashtags, re-checked here)</code>
                  </div>
                )}
              </td>
              <td>
                <select
                  aria-label={`Query ${i + 1} role`}
                  value={q.role}
                  disabled={!canEdit}
                  onChange={(e) => edit(i, e.target.value === 'own' ? { role: 'own', competitorOf: null } : { role: 'competitor', competitorOf: q.competitorOf ?? ownBrands.find((b) => b !== q.brand) ?? null })}
                >
                  <option value="own">Own brand</option>
                  <option value="competitor">Competitor</option>
                </select>
                {q.role === 'competitor' && (
                  <label className="small">
                    {' '}of{' '}
                    <select aria-label={`Query ${i + 1} competitor of`} value={q.competitorOf ?? ''} disabled={!canEdit} onChange={(e) => edit(i, { competitorOf: e.target.value || null })}>
                      <option value="">(choose an own brand)</option>
                      {ownBrands.filter((b) => b !== q.brand).map((b) => (
                        <option key={b} value={b}>
                          {b}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
              </td>
              <td>
                {NETWORKS.map((n) => (
                  <label key={n} className="small">
                    <input type="checkbox" checked={q.networks.length === 0 || q.networks.includes(n)} disabled={!canEdit} onChange={() => toggleNetwork(i, n)} /> {NETWORK_NAMES[n]}
                  </label>
                ))}
              </td>
              <td>
                <input type="checkbox" aria-label={`Query ${i + 1} enabled`} checked={q.enabled} disabled={!canEdit} onChange={(e) => edit(i, { enabled: e.target.checked })} />
              </td>
              <td>
                {canEdit && (
                  <>
                    <button onClick={() => void check(i)}>Check</button>
                    <button onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} aria-label={`Remove query ${i + 1}`}>
                      ✕
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit && (
        <p>
          <button onClick={() => setRows((rs) => [...rs, blank()])}>Add query</button> <button onClick={() => void save()}>Save queries</button> {msg && <span className="muted">{msg}</span>}
        </p>
      )}
    </section>
  );
}
