import { useEffect, useState } from 'react';
import type { CustomerListItem, CustomerListResponse } from '../../../shared/customer-list.js';
import { get, qs } from '../api/client';
import { timeAgo } from '../format';

const PAGE = 25;
const TREND: Record<CustomerListItem['summary']['sentiment']['trend'], string> = { improving: '↗ improving', worsening: '↘ worsening', steady: '→ steady', unknown: '– not enough posts' };

/** The Customers page: search by name, handle or email; each row opens the 360 view. */
export function CustomersView() {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<CustomerListItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      setLoading(true);
      get<CustomerListResponse>(`/api/customers${qs({ q: q.trim() || undefined, limit: PAGE })}`, { signal: ctrl.signal }).then(
        (r) => {
          setItems(r.items);
          setNext(r.nextCursor);
          setLoading(false);
        },
        () => setLoading(false),
      );
    }, 250);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [q]);

  const more = () =>
    next &&
    get<CustomerListResponse>(`/api/customers${qs({ q: q.trim() || undefined, limit: PAGE, cursor: next })}`).then((r) => {
      setItems((old) => [...old, ...r.items]);
      setNext(r.nextCursor);
    }, () => undefined);

  return (
    <section className="customers-page">
      <h1>Customers</h1>
      <label>
        Search customers by name, handle or email{' '}
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. ana, @anar, ana@example.com" />
      </label>
      {loading && <span className="muted"> Searching…</span>}
      <table className="customers-table">
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Networks</th>
            <th scope="col">Open cases</th>
            <th scope="col">Last contact</th>
            <th scope="col">Sentiment trend</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-testid="customer-row" data-customer-id={c.id}>
              <td>
                <a href={`#/customers/${c.id}`}>{c.name}</a>
                <div className="muted">{c.identities.map((i) => `${i.platform}: ${i.handle}`).join(', ')}</div>
              </td>
              <td>{c.summary.networks.join(', ') || '—'}</td>
              <td>{c.summary.openCases}{c.summary.openCasesMore ? '+' : ''}</td>
              <td>{c.summary.lastContactAt ? <time dateTime={c.summary.lastContactAt} title={c.summary.lastContactAt}>{timeAgo(c.summary.lastContactAt)}</time> : 'never'}</td>
              <td title={c.summary.sentiment.recent !== null ? `recent ${c.summary.sentiment.recent.toFixed(2)}${c.summary.sentiment.earlier !== null ? `, earlier ${c.summary.sentiment.earlier.toFixed(2)}` : ''} over ${c.summary.sentiment.mentions} posts` : undefined}>
                {TREND[c.summary.sentiment.trend]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && items.length === 0 && <p className="muted">{q.trim() ? 'No customer matches.' : 'No customers yet.'}</p>}
      {next && (
        <button type="button" onClick={() => void more()}>
          Show more
        </button>
      )}
    </section>
  );
}
