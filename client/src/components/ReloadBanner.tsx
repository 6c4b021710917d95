import { useEffect } from 'react';

const KEY = 'hark.reloadedForProtocolAt';

/**
 * Shown when the server speaks another protocol than this page (Hark was
 * upgraded while the tab was open): the page reloads itself once to fetch the
 * new app; if it is still refused a minute later (a stale cache, a proxy), it
 * asks instead of reloading in a loop.
 */
export function ReloadBanner() {
  const last = Number(sessionStorage.getItem(KEY) ?? 0);
  const auto = Date.now() - last > 60_000;
  useEffect(() => {
    if (!auto) return;
    sessionStorage.setItem(KEY, String(Date.now()));
    const t = setTimeout(() => window.location.reload(), 1500);
    return () => clearTimeout(t);
  }, [auto]);
  return (
    <div className="reload-banner" role="alert" data-testid="reload-banner">
      Hark has been updated on the server. {auto ? 'Reloading…' : 'Reload the page to keep working live.'}
      <button onClick={() => window.location.reload()}>Reload now</button>
    </div>
  );
}
