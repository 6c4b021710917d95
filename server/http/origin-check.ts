import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import express, { type RequestHandler } from 'express';
import { HarkError } from '../../shared/errors.js';

/** express's `trust proxy fn`: is the hop at `addr` (i-th from us) a proxy whose forwarded headers we believe? */
export type TrustFn = (addr: string, i: number) => boolean;

/** The same compiled rule express uses for req.ip, so sockets and HTTP agree on who is a proxy. */
export function trustFunction(value: string[] | number | false): TrustFn {
  if (value === false) return () => false;
  // proxy-addr rewrites the array it is given: hand it a copy (the config is frozen).
  return express()
    .set('trust proxy', Array.isArray(value) ? [...value] : value)
    .get('trust proxy fn') as TrustFn;
}

export interface OriginPolicy {
  /** Origins allowed besides the app's own. */
  allowed: readonly string[];
  trust: TrustFn;
}

const firstValue = (h: string | string[] | undefined) => (typeof h === 'string' ? h.split(',')[0]!.trim() : undefined) || undefined;

const normalize = (origin: string): string | null => {
  try {
    const u = new URL(origin);
    return /^(https?|wss?):$/.test(u.protocol) ? u.origin : null;
  } catch {
    return null;
  }
};

/**
 * The origin the browser addressed. The Host header is set by the browser, so a
 * hostile page cannot choose it for a victim's request; X-Forwarded-Proto/-Host
 * count only from a trusted proxy (TRUST_PROXY), which must set them.
 */
export function ownOrigin(req: IncomingMessage, trust: TrustFn): string | null {
  const viaProxy = trust(req.socket.remoteAddress ?? '', 0);
  const proto = (viaProxy && firstValue(req.headers['x-forwarded-proto'])) || ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
  const host = (viaProxy && firstValue(req.headers['x-forwarded-host'])) || req.headers.host;
  return host ? normalize(`${proto}://${host}`) : null;
}

/** Why a request must be refused as cross-origin, or null when it comes from the app itself (or from no browser at all). */
export function crossOriginReason(req: IncomingMessage, policy: OriginPolicy): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const o = normalize(origin);
    if (o && (o === ownOrigin(req, policy.trust) || policy.allowed.includes(o))) return null;
    return `Requests from origin ${origin.slice(0, 200)} are not allowed.`;
  }
  // No Origin: an old browser or a non-browser client. Browsers that send Sec-Fetch-Site tell us where they come from.
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return null;
  return `Cross-site requests (Sec-Fetch-Site: ${String(site).slice(0, 40)}) are not allowed.`;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** CSRF defence for every state-changing request: SameSite=Lax alone lets a sibling subdomain through. */
export function originGuard(policy: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    const reason = crossOriginReason(req, policy);
    next(reason ? new HarkError('cross_origin', 403, reason) : undefined);
  };
}
