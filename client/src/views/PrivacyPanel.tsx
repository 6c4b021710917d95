import { useEffect, useState } from 'react';
import type { Customer } from '../../../shared/customer.js';
import type { ErasureCounts, Retention } from '../../../shared/privacy.js';
import { api, ApiError, get, post } from '../api/client';

/**
 * A customer's data rights, for managers: download everything Hark holds
 * about them, or erase them. Erasing asks for the customer's name typed out,
 * since it cannot be undone.
 */
export function CustomerPrivacy({ customer, onErased }: { customer: Customer; onErased: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  if (customer.erasure?.completedAt) {
    return (
      <div className="muted" data-testid="erased-banner">
        This customer was erased on {new Date(customer.erasure.completedAt).toLocaleString()}. Hark keeps only counts.
      </div>
    );
  }
  const erase = async () => {
    setBusy(true);
    try {
      const r = await post<{ counts: ErasureCounts }>(`/api/customers/${customer.id}/erase`, { confirmName: typed }, { quiet: true });
      setMsg(`Erased: ${r.counts.mentions} mentions, ${r.counts.replies} replies, ${r.counts.notes} notes, ${r.counts.cases} cases.`);
      setConfirming(false);
      onErased();
    } catch (e) {
      setMsg(e instanceof ApiError ? e.message : 'Erasure failed; try again (it resumes where it stopped).');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="privacy" data-testid="customer-privacy">
      <h4>Privacy</h4>
      <a className="button" href={`/api/customers/${customer.id}/export`} download={`hark-customer-${customer.id}.json`}>
        Export data
      </a>{' '}
      {!confirming && (
        <button className="danger" onClick={() => (setConfirming(true), setTyped(''), setMsg(null))}>
          Erase customer…
        </button>
      )}
      {confirming && (
        <form
          className="confirm-erase"
          role="alertdialog"
          aria-label={`Erase ${customer.name}`}
          onSubmit={(e) => (e.preventDefault(), typed === customer.name && void erase())}
        >
          <p>
            Erase <b>{customer.name}</b>? Their identities, the text and author of their mentions, replies to them, notes about them and their cases&apos; titles are removed for good. Counts stay. This cannot be undone.
          </p>
          <label>
            Type <b>{customer.name}</b> to confirm{' '}
            <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Customer name to confirm" autoFocus />
          </label>{' '}
          <button type="submit" className="danger" disabled={busy || typed !== customer.name}>
            Erase {customer.name}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </form>
      )}
      {msg && <div className="muted">{msg}</div>}
    </section>
  );
}

/** How long raw mention text and author data are kept; managers set it, everyone sees it. */
export function RetentionForm({ canEdit }: { canEdit: boolean }) {
  const [version, setVersion] = useState(0);
  const [forever, setForever] = useState(true);
  const [days, setDays] = useState('365');
  const [msg, setMsg] = useState<string | null>(null);
  const load = () =>
    get<Retention & { version: number }>('/api/settings/retention').then((r) => {
      setVersion(r.version);
      setForever(r.mentionDays === null);
      if (r.mentionDays !== null) setDays(String(r.mentionDays));
    }, () => undefined);
  useEffect(() => void load(), []);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const r = await api<Retention & { version: number }>('PUT', '/api/settings/retention', { version, mentionDays: forever ? null : Number(days) }, { quiet: true });
      setVersion(r.version);
      setMsg('Saved');
    } catch (err) {
      setMsg(err instanceof ApiError ? err.message : 'Save failed');
      if (err instanceof ApiError && err.status === 409) await load();
    }
  };
  return (
    <section data-testid="retention">
      <h3>Data retention</h3>
      <p className="muted">
        After this period a mention&apos;s raw text and its author&apos;s data are purged (hourly); its scores, triage state, cases and the wall&apos;s counts stay.
      </p>
      <form className="inline-form" onSubmit={save}>
        <label>
          <input type="checkbox" checked={forever} disabled={!canEdit} onChange={(e) => setForever(e.target.checked)} /> Keep until erased
        </label>{' '}
        <label>
          Keep for{' '}
          <input type="number" min={1} max={3650} value={days} disabled={!canEdit || forever} onChange={(e) => setDays(e.target.value)} aria-label="Retention days" style={{ width: '6em' }} /> days
        </label>{' '}
        {canEdit && <button type="submit">Save</button>} {msg && <span className="muted">{msg}</span>}
      </form>
    </section>
  );
}
