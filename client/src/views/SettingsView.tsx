import { useEffect, useState } from 'react';
import { roleAtLeast } from '../../../shared/auth.js';
import type { WebhookDelivery } from '../../../shared/webhook.js';
import type { ConnectorHealth } from '../../../shared/connector-ports.js';
import { api, ApiError, get, post } from '../api/client';
import { useApp } from '../context';
import { timeAgo } from '../format';
import { ListeningQueriesEditor } from './ListeningQueriesEditor';
import { NetworksPanel } from './NetworksPanel';
import { RetentionForm } from './PrivacyPanel';

/**
 * One editor per setting document (teams, routing rules, SLA policy, webhooks).
 * The server validates; its message names the field that is wrong.
 */
function JsonSetting({ title, path, field, help }: { title: string; path: string; field: string; help: string }) {
  const [text, setText] = useState('');
  const [version, setVersion] = useState(0);
  const [msg, setMsg] = useState<string | null>(null);
  const load = () =>
    get<Record<string, unknown> & { version: number }>(path).then((r) => {
      setText(JSON.stringify(r[field], null, 2));
      setVersion(r.version);
    }, () => undefined);
  useEffect(() => void load(), [path]);
  const save = async () => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return setMsg('Not valid JSON');
    }
    try {
      const r = await api<{ version: number }>('PUT', path, { version, [field]: value }, { quiet: true });
      setVersion(r.version);
      setMsg('Saved');
      await load();
    } catch (e) {
      setMsg(e instanceof ApiError ? e.message : 'Save failed');
    }
  };
  return (
    <section>
      <h3>{title}</h3>
      <p className="muted">{help}</p>
      <textarea value={text} onChange={(e) => setText(e.target.value)} rows={Math.min(20, text.split('\n').length + 2)} aria-label={title} />
      <button onClick={save}>Save</button> {msg && <span className="muted">{msg}</span>}
    </section>
  );
}

export function SettingsView() {
  const { user } = useApp();
  const [deliveries, setDeliveries] = useState<WebhookDelivery[]>([]);
  const [connectors, setConnectors] = useState<ConnectorHealth[]>([]);
  const admin = roleAtLeast(user.role, 'admin');
  useEffect(() => {
    const load = () => get<{ items: ConnectorHealth[] }>('/api/connectors').then((r) => setConnectors(r.items), () => undefined);
    void load();
    const t = setInterval(load, 10_000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (admin) get<{ items: WebhookDelivery[] }>('/api/settings/webhooks/deliveries?limit=50').then((r) => setDeliveries(r.items), () => undefined);
  }, [admin]);
  return (
    <div className="settings manage">
      <section data-testid="connector-health">
        <h3>Connectors</h3>
        <table className="audit">
          <tbody>
            {connectors.map((c) => (
              <tr key={c.connectorId}>
                <td>
                  <b>{c.connectorId}</b> ({c.platform})
                </td>
                <td>{c.state}</td>
                <td>{c.stream ? `stream ${c.stream.connected ? 'connected' : 'reconnecting'} (${c.stream.reconnects} reconnects)` : ''}</td>
                <td>{c.lastSuccessAt ? `last data ${timeAgo(c.lastSuccessAt)} ago` : 'nothing fetched yet'}</td>
                <td>{c.lagMs !== null ? `lag ${Math.round(c.lagMs / 1000)} s` : ''}</td>
                <td>
                  {c.fetched} fetched · {c.errors} errors
                </td>
                <td>{c.rateLimit?.resetAt ? `rate limited until ${new Date(c.rateLimit.resetAt).toLocaleTimeString()}` : ''}</td>
                <td>{c.budget ? `budget ${c.budget.used.toLocaleString()} / ${c.budget.cap.toLocaleString()} reads this month` : ''}</td>
                <td className="muted">{c.lastError ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ListeningQueriesEditor canEdit={roleAtLeast(user.role, 'manager')} />
      <NetworksPanel admin={admin} />
      <JsonSetting title="Teams" path="/api/settings/teams" field="teams" help='[{"id": "billing", "name": "Billing", "approvalRequired": false}]' />
      <JsonSetting
        title="Routing rules"
        path="/api/settings/routing-rules"
        field="rules"
        help='First match wins. [{"id": "refunds", "name": "Refunds", "when": {"keywords": ["refund"], "languages": ["en"], "intents": ["complaint"], "minInfluence": 40}, "then": {"team": "billing", "assignLeastLoaded": true}}]'
      />
      <RetentionForm canEdit={roleAtLeast(user.role, 'manager')} />
      <JsonSetting title="SLA policy" path="/api/settings/sla" field="policy" help="Minutes per case priority; businessHours null counts every minute; onBreach raises priority and/or hands the case to a team." />
      {admin && (
        <>
          <JsonSetting title="Webhooks" path="/api/settings/webhooks" field="webhooks" help='Case events to your CRM, HMAC-SHA256 signed (X-Hark-Signature over "timestamp.body"). [{"id": "crm", "url": "https://crm.example/hark", "secret": "at least 16 chars", "events": ["case.created", "case.updated", "case.resolved"]}]' />
          <section>
            <h3>Webhook deliveries</h3>
            <table className="audit">
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id}>
                    <td className="muted">{timeAgo(d.createdAt)}</td>
                    <td>{d.webhookId}</td>
                    <td>{d.eventId}</td>
                    <td>{d.state}</td>
                    <td>{d.attempts} attempts</td>
                    <td>{d.lastError ?? d.lastStatus ?? ''}</td>
                    <td>
                      <button onClick={() => post(`/api/settings/webhooks/deliveries/${d.id}/redeliver`).then(() => undefined, () => undefined)}>Redeliver</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
