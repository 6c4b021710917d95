import { useEffect, useState } from 'react';
import { NETWORK_NAMES, type NetworkView, type NetworksView } from '../../../shared/networks.js';
import { BlueskySettingsFields, MastodonSettingsFields, mastodonCredentialFields, mastodonCredentialsBody } from './BlueskyMastodonSettings';
import { api, ApiError, get } from '../api/client';
import { timeAgo } from '../format';

const CREDENTIAL_FIELDS: Record<Exclude<NetworkView['network'], 'mastodon'>, Array<{ name: string; label: string; optional?: boolean; plain?: boolean }>> = {
  // X: the bearer token reads; replies need the brand account's user context (OAuth 1.0a tokens, or the OAuth 2.0 client to connect the account).
  bluesky: [
    { name: 'handle', label: 'Brand account handle (replies)', plain: true },
    { name: 'appPassword', label: 'App password' },
  ],
  x: [
    { name: 'bearerToken', label: 'Bearer token (reading)' },
    { name: 'apiKey', label: 'API key (OAuth 1.0a, replies)', optional: true },
    { name: 'apiSecret', label: 'API key secret', optional: true },
    { name: 'accessToken', label: "Brand account's access token", optional: true },
    { name: 'accessSecret', label: 'Access token secret', optional: true },
    { name: 'clientId', label: 'OAuth 2.0 client id (Connect X account)', optional: true },
    { name: 'clientSecret', label: 'OAuth 2.0 client secret', optional: true },
  ],
  reddit: [
    { name: 'clientId', label: 'Client id' },
    { name: 'clientSecret', label: 'Client secret' },
    { name: 'username', label: 'Username (script apps)', optional: true },
    { name: 'password', label: 'Password (script apps)', optional: true },
  ],
};

function credentialLine(v: NetworkView) {
  const c = v.credentials;
  if (c.problem) return <span className="danger">{c.problem}</span>;
  if (!c.set && v.network === 'bluesky') return <span className="muted">No brand account: Hark listens (Jetstream and search need none) but cannot reply.</span>;
  if (!c.set && v.network === 'mastodon') return <span className="muted">No access token: Hark listens where instances allow it but cannot reply.</span>;
  if (!c.set) return <span className="muted">No credentials: this network is off.</span>;
  if (c.source === 'env') return <span>Set in the server environment.</span>;
  return <span>Set here ({c.fields.join(', ')}){c.updatedAt ? `, ${timeAgo(c.updatedAt)} ago` : ''}. Stored encrypted; never shown again.</span>;
}

/** The brand's X account connected through OAuth 2.0, so replies post as it; the result of X's round trip arrives in the URL. */
function XAccountLine({ view, admin, onChanged }: { view: Extract<NetworkView, { network: 'x' }>; admin: boolean; onChanged: () => void }) {
  const a = view.account;
  const [msg, setMsg] = useState<string | null>(() => {
    const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
    if (q.get('xAccount') === 'connected') return 'X account connected.';
    if (q.get('xAccount') === 'failed') return `Connecting the X account failed: ${q.get('reason') ?? 'unknown reason'}`;
    return null;
  });
  const connect = async () => {
    setMsg(null);
    try {
      const r = await api<{ url: string }>('POST', '/api/networks/x/account/connect', undefined, { quiet: true });
      location.assign(r.url);
    } catch (e) {
      setMsg(e instanceof ApiError ? e.message : 'Could not start the connection');
    }
  };
  const disconnect = async () => {
    try {
      await api('DELETE', '/api/networks/x/account', undefined, { quiet: true });
      setMsg('X account disconnected.');
      onChanged();
    } catch (e) {
      setMsg(e instanceof ApiError ? e.message : 'Could not disconnect');
    }
  };
  return (
    <p data-testid="x-account">
      {a.problem ? (
        <span className="danger">{a.problem}</span>
      ) : a.connected ? (
        <span>
          Brand account connected (OAuth 2.0{a.connectedAt ? `, ${timeAgo(a.connectedAt)} ago` : ''}): replies post as it.
        </span>
      ) : (
        <span className="muted">No X account connected{a.canConnect ? '' : ' (enter the OAuth 2.0 client id and secret, or set X_CLIENT_ID and X_CLIENT_SECRET, to connect one)'}.</span>
      )}{' '}
      {admin && a.canConnect && <button onClick={() => void connect()}>{a.connected ? 'Reconnect X account' : 'Connect X account'}</button>}{' '}
      {admin && a.connected && <button onClick={() => void disconnect()}>Disconnect</button>} {msg && <span className={msg.includes('failed') ? 'danger' : 'muted'}>{msg}</span>}
    </p>
  );
}

/** One network: its settings (admins edit), credentials (write-only) and live health. */
function NetworkCard({ view, admin, canStore, onSaved }: { view: NetworkView; admin: boolean; canStore: boolean; onSaved: () => void }) {
  const [settings, setSettings] = useState<Record<string, unknown>>(view.settings);
  const [creds, setCreds] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => setSettings(view.settings), [view.version, view.network]);
  const set = (k: string, v: unknown) => setSettings((s) => ({ ...s, [k]: v }));
  const send = async (body: Record<string, unknown>) => {
    setMsg(null);
    try {
      const r = await api<NetworkView & { restarted: string[] }>('PUT', `/api/networks/${view.network}`, { version: view.version, ...body }, { quiet: true });
      setCreds({});
      setMsg(r.restarted.length ? 'Saved; connector restarted' : 'Saved');
      onSaved();
    } catch (e) {
      setMsg(e instanceof ApiError ? e.message : 'Save failed');
    }
  };
  const save = () => {
    const filled = Object.fromEntries(Object.entries(creds).filter(([, v]) => v.trim() !== ''));
    const credentials = view.network === 'mastodon' ? mastodonCredentialsBody(filled) : filled;
    void send({ settings, ...(credentials && Object.keys(credentials).length ? { credentials } : {}) });
  };
  const name = NETWORK_NAMES[view.network];
  const credentialFields = view.network === 'mastodon' ? mastodonCredentialFields(settings, view.credentials.fields) : CREDENTIAL_FIELDS[view.network];
  const h = view.health;
  return (
    <section data-testid={`network-${view.network}`}>
      <h3>{name}</h3>
      <p>{credentialLine(view)}</p>
      {view.network === 'x' && <XAccountLine view={view} admin={admin} onChanged={onSaved} />}
      {h && (
        <p className="muted small">
          {h.state}
          {h.stream ? ` · stream ${h.stream.connected ? 'connected' : 'disconnected'} · ${h.stream.reconnects} reconnects` : ''}
          {h.lastSuccessAt ? ` · last data ${timeAgo(h.lastSuccessAt)} ago` : ''}
          {h.lagMs !== null ? ` · lag ${Math.round(h.lagMs / 1000)} s` : ''}
          {h.errors ? ` · ${h.errors} errors` : ''}
          {h.rateLimit?.resetAt && h.state === 'rate_limited' ? ` · rate limited until ${new Date(h.rateLimit.resetAt).toLocaleTimeString()}` : ''}
          {h.lastError ? ` · last error: ${h.lastError}` : ''}
          {h.replies ? (h.replies.authorised ? ` · replies: ${h.replies.via ?? 'authorised'}` : ' · replies: not authorised') : ''}
        </p>
      )}
      {h?.replies && !h.replies.authorised && h.replies.problem && (
        <p className="danger small" data-testid="replies-not-authorised">
          {h.replies.problem}
        </p>
      )}
      <div className="form-grid">
        <label>
          <input type="checkbox" checked={Boolean(settings.enabled)} disabled={!admin} onChange={(e) => set('enabled', e.target.checked)} /> On
        </label>
        {view.network === 'x' && (
          <label>
            Mode{' '}
            <select value={String(settings.mode)} disabled={!admin} onChange={(e) => set('mode', e.target.value)}>
              <option value="poll">Polling recent search (every plan)</option>
              <option value="stream">Filtered stream (plans that have it)</option>
            </select>
          </label>
        )}
        {(view.network === 'x' || view.network === 'reddit') && (
          <label>
            Poll every{' '}
            <input type="number" min={5} value={Number(settings.pollSeconds)} disabled={!admin} onChange={(e) => set('pollSeconds', Number(e.target.value))} style={{ width: 80 }} /> s
          </label>
        )}
        {view.network === 'bluesky' && <BlueskySettingsFields settings={settings} admin={admin} set={set} />}
        {view.network === 'mastodon' && <MastodonSettingsFields settings={settings} admin={admin} set={set} />}
        {view.network === 'x' && (
          <>
            <label>
              Brand account id <input value={String(settings.brandUserId ?? '')} disabled={!admin} onChange={(e) => set('brandUserId', e.target.value || null)} size={14} />
            </label>
            <label>
              Its brand <input value={String(settings.brand ?? '')} disabled={!admin} onChange={(e) => set('brand', e.target.value || null)} size={12} />
            </label>
            <label>
              Monthly read cap{' '}
              <input type="number" min={1} value={settings.monthlyReadCap === null ? '' : Number(settings.monthlyReadCap)} disabled={!admin} onChange={(e) => set('monthlyReadCap', e.target.value ? Number(e.target.value) : null)} style={{ width: 110 }} />
            </label>
          </>
        )}
        {view.network === 'reddit' && (
          <>
            <label>
              Subreddits{' '}
              <input value={(settings.subreddits as string[]).join(', ')} disabled={!admin} onChange={(e) => set('subreddits', e.target.value.split(/[,\s]+/).map((s) => s.replace(/^r\//, '')).filter(Boolean))} size={30} />
            </label>
            <label>
              User agent <input value={String(settings.userAgent)} disabled={!admin} onChange={(e) => set('userAgent', e.target.value)} size={30} />
            </label>
          </>
        )}
      </div>
      {admin && (
        <>
          {canStore ? (
            <div className="form-grid">
              {credentialFields.map((f) => (
                <label key={f.name}>
                  {f.label}{' '}
                  <input type={f.plain ? 'text' : 'password'} autoComplete="off" value={creds[f.name] ?? ''} placeholder={view.credentials.source === 'ui' ? 'unchanged' : f.optional ? 'optional' : ''} onChange={(e) => setCreds((c) => ({ ...c, [f.name]: e.target.value }))} />
                </label>
              ))}
            </div>
          ) : (
            <p className="muted">To enter credentials here, set HARK_SECRET_KEY on the server (they are stored encrypted with it).</p>
          )}
          <p>
            <button onClick={save}>Save {name}</button>{' '}
            {view.credentials.source === 'ui' && <button onClick={() => void send({ credentials: null })}>Remove stored credentials</button>} {msg && <span className="muted">{msg}</span>}
          </p>
        </>
      )}
    </section>
  );
}

export function NetworksPanel({ admin }: { admin: boolean }) {
  const [data, setData] = useState<NetworksView | null>(null);
  const load = () => get<NetworksView>('/api/networks').then(setData, () => undefined);
  useEffect(() => {
    void load();
    const t = setInterval(load, 10_000);
    return () => clearInterval(t);
  }, []);
  if (!data) return null;
  return (
    <>
      {data.networks.map((v) => (
        <NetworkCard key={v.network} view={v} admin={admin} canStore={data.canStoreCredentials} onSaved={() => void load()} />
      ))}
    </>
  );
}
