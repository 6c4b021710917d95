import { useEffect, useState } from 'react';
import { roleAtLeast } from '../../../shared/auth.js';
import type { WebhookDelivery } from '../../../shared/webhook.js';
import type { ConnectorHealth } from '../../../shared/connector-ports.js';
import { get, post } from '../api/client';
import { useApp } from '../context';
import { timeAgo } from '../format';
import { ListeningQueriesEditor } from './ListeningQueriesEditor';
import { NetworksPanel } from './NetworksPanel';
import { RetentionForm } from './PrivacyPanel';
import type { User } from '../../../shared/auth.js';
import type { Team } from '../../../shared/routing.js';
import { TeamsForm } from './settings/TeamsForm';
import { RoutingRulesForm } from './settings/RoutingRulesForm';
import { SlaPolicyForm } from './settings/SlaPolicyForm';
import { WebhooksForm } from './settings/WebhooksForm';

export function SettingsView() {
  const { user } = useApp();
  const [deliveries, setDeliveries] = useState<WebhookDelivery[]>([]);
  const [connectors, setConnectors] = useState<ConnectorHealth[]>([]);
  const admin = roleAtLeast(user.role, 'admin');
  const [teams, setTeams] = useState<Team[]>([]);
  const [users, setUsers] = useState<User[]>([]);
  const loadUsers = () => void get<{ items: User[] }>('/api/users').then((r) => setUsers(r.items), () => undefined);
  useEffect(() => {
    loadUsers();
    get<{ teams: Team[] }>('/api/settings/teams').then((r) => setTeams(r.teams), () => undefined);
  }, []);
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
      <TeamsForm users={users} onUsersChanged={loadUsers} onSaved={setTeams} />
      <RoutingRulesForm teams={teams} />
      <RetentionForm canEdit={roleAtLeast(user.role, 'manager')} />
      <SlaPolicyForm teams={teams} />
      {admin && (
        <>
          <WebhooksForm />
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
