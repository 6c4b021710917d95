import { WALL_PANELS, WallLayoutSchema, type WallLayout, type WallPanel } from '../../../../shared/wall.js';

/** The wall's layout lives in its link: `#/wall?screen=1&brands=Acme%20Air&panels=sentiment,share`. */
export function layoutFromHash(hash: string): { screen: boolean; layout: WallLayout } {
  const q = new URLSearchParams(hash.split('?')[1] ?? '');
  const raw: Record<string, string> = {};
  for (const k of ['brands', 'networks', 'langs', 'range', 'panels']) {
    const v = q.get(k);
    if (v) raw[k] = v;
  }
  const parsed = WallLayoutSchema.safeParse(raw);
  return { screen: q.get('screen') === '1', layout: parsed.success ? parsed.data : WallLayoutSchema.parse({}) };
}

export function hashOf(layout: WallLayout, screen: boolean): string {
  const q = new URLSearchParams();
  if (screen) q.set('screen', '1');
  if (layout.brands?.length) q.set('brands', layout.brands.join(','));
  if (layout.networks?.length) q.set('networks', layout.networks.join(','));
  if (layout.langs?.length) q.set('langs', layout.langs.join(','));
  if (layout.range !== '15m') q.set('range', layout.range);
  if (layout.panels?.length) q.set('panels', layout.panels.join(','));
  const s = q.toString();
  return `#/wall${s ? `?${s}` : ''}`;
}

/** The API's query string for a layout (the same names as the link). */
export function apiQuery(layout: WallLayout): string {
  const h = hashOf(layout, false);
  return h.includes('?') ? `?${h.split('?')[1]}` : '';
}

export const panelsOf = (layout: WallLayout): WallPanel[] => (layout.panels?.length ? layout.panels : [...WALL_PANELS]);
