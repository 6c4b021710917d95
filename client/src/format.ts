export const compact = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1).replace(/\.0$/, '')}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1).replace(/\.0$/, '')}k` : String(n));

export function timeAgo(iso: string, now = Date.now()): string {
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 45) return 'now';
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

/** "in 14m", "3m late", "met in 2m". */
export function dueIn(iso: string | null, now = Date.now()): string {
  if (!iso) return '—';
  const m = Math.round((Date.parse(iso) - now) / 60000);
  if (m >= 0) return m < 120 ? `in ${m}m` : `in ${Math.round(m / 60)}h`;
  return -m < 120 ? `${-m}m late` : `${Math.round(-m / 60)}h late`;
}

export { minutesBetween } from '../../shared/sla.js';

export const safeHttpUrl = (u: string | null) => (u && /^https?:\/\//i.test(u) ? u : null);

export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
