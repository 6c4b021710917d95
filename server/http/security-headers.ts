import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { ownOrigin, type TrustFn } from './origin-check.js';

/** Headers every response carries, the socket.io transport's included. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** For /socket.io/ responses: data, never a document, never cached. */
export const SOCKET_HEADERS: Readonly<Record<string, string>> = {
  ...BASE_SECURITY_HEADERS,
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

/**
 * The page's CSP: WebSockets may reach the app's own host only (`ws:`/`wss:`
 * would let injected script talk to any host). 'self' covers ws in CSP3
 * browsers; the explicit ws(s)://host covers the others.
 */
export function pageCsp(req: IncomingMessage, trust: TrustFn): string {
  const own = ownOrigin(req, trust);
  const ws = own ? ` ${own.replace(/^http/, 'ws')}` : '';
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'${ws}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;
}

/** Mention text is hostile input; a strict CSP is the second line behind rendering it as text. */
export function securityHeaders(trust: TrustFn): RequestHandler {
  return (req, res, next) => {
    for (const [k, v] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Security-Policy', pageCsp(req, trust));
    next();
  };
}

/** engine.io's header hooks; its own keys are lower-case, so ours replace rather than join them. */
export function addSocketHeaders(headers: OutgoingHttpHeaders): void {
  for (const [k, v] of Object.entries(SOCKET_HEADERS)) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === k.toLowerCase()) delete headers[existing];
    headers[k.toLowerCase()] = v;
  }
}
