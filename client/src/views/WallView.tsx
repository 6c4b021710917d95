import { useEffect, useMemo, useState } from 'react';
import { roleAtLeast } from '../../../shared/auth.js';
import type { Case } from '../../../shared/case.js';
import { WALL_PANEL_NAMES, WALL_PANELS, WALL_RANGES, type WallLayout, type WallPanel } from '../../../shared/wall.js';
import { post } from '../api/client';
import { useApp } from '../context';
import { hashOf, layoutFromHash, panelsOf } from './wall/layout';
import { useWallData } from './wall/live';
import { PANELS } from './wall/panels';

/** Panels that fit a 1080p screen at wall type sizes; more rotate. */
const PER_PAGE = 6;
const ROTATE_MS = 20_000;

function useHashLayout() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return useMemo(() => layoutFromHash(hash), [hash]);
}

const listInput = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** Normal mode: pick brands, networks, languages, range and panels; the link carries them, and "Present" opens the same layout as a big screen. */
function WallControls({ layout, brands }: { layout: WallLayout; brands: string[] }) {
  const set = (patch: Partial<WallLayout>) => {
    location.hash = hashOf({ ...layout, ...patch }, false);
  };
  const panels = panelsOf(layout);
  const togglePanel = (p: WallPanel) => {
    const next = panels.includes(p) ? panels.filter((x) => x !== p) : WALL_PANELS.filter((x) => x === p || panels.includes(x));
    set({ panels: next.length === WALL_PANELS.length ? undefined : next });
  };
  return (
    <form className="wall-controls" onSubmit={(e) => e.preventDefault()} aria-label="Wall layout">
      <fieldset>
        <legend>Brands</legend>
        {brands.map((b) => (
          <label key={b}>
            <input type="checkbox" checked={!layout.brands?.length || layout.brands.includes(b)} onChange={(e) => {
              const cur = layout.brands?.length ? layout.brands : brands;
              const next = e.target.checked ? [...new Set([...cur, b])] : cur.filter((x) => x !== b);
              set({ brands: next.length === brands.length ? undefined : next });
            }} /> {b}
          </label>
        ))}
      </fieldset>
      <label>
        Networks <input aria-label="Networks" placeholder="all (e.g. x,reddit)" defaultValue={layout.networks?.join(',') ?? ''} onBlur={(e) => set({ networks: listInput(e.target.value) })} size={14} />
      </label>
      <label>
        Languages <input aria-label="Languages" placeholder="all (e.g. en,fr)" defaultValue={layout.langs?.join(',') ?? ''} onBlur={(e) => set({ langs: listInput(e.target.value) })} size={10} />
      </label>
      <label>
        Range{' '}
        <select aria-label="Range" value={layout.range} onChange={(e) => set({ range: e.target.value as WallLayout['range'] })}>
          {WALL_RANGES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Panels</legend>
        {WALL_PANELS.map((p) => (
          <label key={p}>
            <input type="checkbox" checked={panels.includes(p)} onChange={() => togglePanel(p)} /> {WALL_PANEL_NAMES[p]}
          </label>
        ))}
      </fieldset>
      <a className="present" href={hashOf(layout, true)} data-testid="present">
        Present ⛶
      </a>
    </form>
  );
}

/** Brand managers' wall: panels from the roll-ups, live; `?screen=1` is the big-screen mode for a command center. */
export function WallView() {
  const { live, user } = useApp();
  const { screen, layout } = useHashLayout();
  const { snap, delta } = useWallData(live, layout);
  const [page, setPage] = useState(0);
  const [opened, setOpened] = useState<string | null>(null);
  const panels = panelsOf(layout);
  const pages = screen ? Math.ceil(panels.length / PER_PAGE) : 1;

  useEffect(() => {
    if (pages <= 1) return;
    const t = setInterval(() => setPage((p) => (p + 1) % pages), ROTATE_MS);
    return () => clearInterval(t);
  }, [pages]);

  const canInvestigate = !screen && roleAtLeast(user.role, 'manager');
  const investigate = async (args: { brand: string; topic: string; alertId?: string }) => {
    const r = await post<{ case: Case }>('/api/investigations', args);
    setOpened(r.case.id);
    location.hash = `#/cases/${r.case.id}`;
  };
  const shown = screen ? panels.slice((page % pages) * PER_PAGE, (page % pages) * PER_PAGE + PER_PAGE) : panels;
  const allBrands = snap ? [...new Set([...snap.brands.filter((b) => b.role === 'own').map((b) => b.brand), ...(layout.brands ?? [])])] : (layout.brands ?? []);

  return (
    <div className={screen ? 'wall wall-screen' : 'wall'} data-testid="wall" data-screen={screen ? '1' : '0'}>
      {!screen && <WallControls layout={layout} brands={allBrands} />}
      {!snap ? (
        <p className="sub">Loading the wall…</p>
      ) : (
        <div className={`wall-grid n${shown.length}`}>
          {shown.map((p) => {
            const P = PANELS[p];
            return <P key={p} snap={snap} delta={delta} {...(canInvestigate ? { onInvestigate: (a) => void investigate(a) } : {})} />;
          })}
        </div>
      )}
      {!screen && delta.latest.length > 0 && (
        <section className="stream-card">
          <h3>Live stream</h3>
          <ul className="stream" data-testid="wall-stream">
            {delta.latest.map((m) => (
              <li key={m.id} className={`sent-border-${m.sentiment}`}>
                <b>@{m.handle}</b> <span>{m.text}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {opened && <span className="sub">Opened case {opened}</span>}
    </div>
  );
}
