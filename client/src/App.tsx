import { useEffect, useMemo, useState } from 'react';
import type { DemoInfoResponse, SessionResponse } from '../../shared/api.js';
import { roleAtLeast, type User } from '../../shared/auth.js';
import { get, post } from './api/client';
import { ErrorBanner } from './components/ErrorBanner';
import { NoticesBell } from './components/NoticesBell';
import { Ctx } from './context';
import { ReloadBanner } from './components/ReloadBanner';
import { Live, type ConnState } from './live/socket';
import { CaseDetail, CasesView } from './views/CasesView';
import { ManageView } from './views/ManageView';
import { QueueView } from './views/QueueView';
import { SignIn } from './views/SignIn';
import { WallView } from './views/WallView';
import { CustomerView } from './views/CustomerView';
import { CustomersView } from './views/CustomersView';
import { SettingsView } from './views/SettingsView';
import { AccountView } from './views/AccountView';
import { UsersView } from './views/UsersView';
import { ReportsView } from './views/ReportsView';

function useHash(): string {
  const [hash, setHash] = useState(location.hash || '#/queue');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/queue');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    get<SessionResponse>('/api/auth/me', { quiet: true }).then((r) => setUser(r.user), () => setUser(null));
  }, []);
  if (user === undefined) return <div className="loading">Loading…</div>;
  if (user === null)
    return (
      <>
        <SignIn onSignedIn={setUser} />
        <ErrorBanner />
      </>
    );
  return <Shell user={user} onSignOut={() => setUser(null)} />;
}

function Shell({ user, onSignOut }: { user: User; onSignOut: () => void }) {
  const live = useMemo(() => new Live(), []);
  const [conn, setConn] = useState<ConnState>('connecting');
  const [users, setUsers] = useState(new Map<string, User>());
  const [demo, setDemo] = useState(false);
  const hash = useHash();

  useEffect(() => {
    const off = live.onState((s) => {
      setConn(s);
      if (s === 'signed-out') onSignOut();
    });
    live.open();
    return () => {
      off();
      live.close();
    };
  }, [live, onSignOut]);
  useEffect(() => {
    get<{ items: User[] }>('/api/users').then((r) => setUsers(new Map(r.items.map((u) => [u.id, u]))), () => undefined);
    get<DemoInfoResponse>('/api/auth/demo', { quiet: true }).then((d) => setDemo(d.demo), () => undefined);
  }, []);

  const signOut = async () => {
    await post('/api/auth/logout').catch(() => undefined);
    onSignOut();
  };
  const route = hash.slice(1);
  const caseMatch = /^\/cases\/(\d+)/.exec(route);
  const customerMatch = /^\/customers\/(\d+)/.exec(route);
  const nav = [
    ['#/queue', 'Queue'],
    ['#/wall', 'Wall'],
    ['#/cases', 'Cases'],
    ['#/customers', 'Customers'],
    ...(roleAtLeast(user.role, 'manager') ? [['#/reports', 'Reports'], ['#/manage', 'Manage'], ['#/settings', 'Settings']] : []),
    ...(roleAtLeast(user.role, 'admin') ? [['#/users', 'Users']] : []),
    ['#/account', 'Account'],
  ];

  // Big-screen mode: the wall alone, nothing in the way (the layout is in the link).
  if (route.startsWith('/wall') && /[?&]screen=1(&|$)/.test(route))
    return (
      <Ctx.Provider value={{ user, live, users, demo }}>
        <main className="screen-main">
          <WallView />
        </main>
      </Ctx.Provider>
    );
  return (
    <Ctx.Provider value={{ user, live, users, demo }}>
      <div className="app">
        <header className="topbar">
          <span className="logo">Hark</span>
          <nav>
            {nav.map(([href, label]) => (
              <a key={href} href={href} className={hash.startsWith(href!) ? 'active' : ''}>
                {label}
              </a>
            ))}
          </nav>
          <span className={`conn conn-${conn}`} data-testid="connection" title="Live connection">
            {conn === 'live' ? '● live' : conn === 'reconnecting' ? '○ reconnecting…' : conn === 'outdated' ? '○ update needed' : '○ connecting…'}
          </span>
          <NoticesBell />
          <span className="who">
            {user.name} <span className="muted">({user.role})</span>
          </span>
          <button onClick={signOut}>Sign out</button>
        </header>
        {demo && (
          <div className="demo-banner" data-testid="demo-banner">
            DEMO DATA — the simulator is feeding made-up mentions. Set SIMULATOR=off for real use.
          </div>
        )}
        {conn === 'outdated' && <ReloadBanner />}
        <ErrorBanner />
        <main>
          {route.startsWith('/account') ? <AccountView onSignedOut={onSignOut} /> : route.startsWith('/users') && roleAtLeast(user.role, 'admin') ? <UsersView /> : customerMatch ? <CustomerView id={customerMatch[1]!} /> : route.startsWith('/customers') ? <CustomersView /> : route.startsWith('/settings') ? <SettingsView /> : caseMatch ? <CaseDetail id={caseMatch[1]!} /> : route.startsWith('/reports') && roleAtLeast(user.role, 'manager') ? <ReportsView /> : route.startsWith('/wall') ? <WallView /> : route.startsWith('/cases') ? <CasesView /> : route.startsWith('/manage') ? <ManageView /> : <QueueView />}
        </main>
      </div>
    </Ctx.Provider>
  );
}
