import type { ErrorBody, ErrorCode } from '../../../shared/errors.js';

/** Every failed call becomes one of these; the UI shows it in one place (ErrorBanner). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const BASE = import.meta.env.VITE_API_BASE ?? '';
type Listener = (e: ApiError | null) => void;
const listeners = new Set<Listener>();

/** The error indicator subscribes here; calls report failures they do not handle themselves. */
export const errors = {
  subscribe(l: Listener) {
    listeners.add(l);
    return () => void listeners.delete(l);
  },
  report(e: ApiError | null) {
    for (const l of listeners) l(e);
  },
};

export async function api<T>(method: string, path: string, body?: unknown, opts: { quiet?: boolean; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      credentials: 'same-origin',
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: opts.signal,
    });
  } catch (err) {
    // Aborted by its caller (a newer search replaced it): nothing went wrong.
    if (opts.signal?.aborted) throw err;
    const e = new ApiError(0, 'network', 'Hark cannot be reached. Check your connection.');
    if (!opts.quiet) errors.report(e);
    throw e;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const b = (data as ErrorBody | null)?.error;
    const e = new ApiError(res.status, b?.code ?? 'internal', b?.message ?? `Request failed (${res.status})`, b?.details);
    if (!opts.quiet && res.status !== 401) errors.report(e);
    throw e;
  }
  return data as T;
}

export const get = <T>(path: string, opts?: { quiet?: boolean; signal?: AbortSignal }) => api<T>('GET', path, undefined, opts);
export const post = <T>(path: string, body?: unknown, opts?: { quiet?: boolean }) => api<T>('POST', path, body ?? {}, opts);
export const patch = <T>(path: string, body: unknown, opts?: { quiet?: boolean }) => api<T>('PATCH', path, body, opts);

export const qs = (o: Record<string, string | number | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
