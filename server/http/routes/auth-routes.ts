import { Router, type Request } from 'express';
import { z } from 'zod';
import { LoginSchema, type DemoAccount } from '../../../shared/auth.js';
import type { DemoInfoResponse, SessionResponse } from '../../../shared/api.js';
import { readCookie, SESSION_COOKIE } from '../../auth/sessions.js';
import { changePassword, listSessions, revokeSession, signIn, signOut, signOutEverywhere, type AccountDeps } from '../../operations/accounts.js';
import { currentSession, currentUser } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';

export function authRoutes(deps: AccountDeps & { demoAccounts: DemoAccount[]; cookieSecure: boolean; demo: boolean }) {
  const r = Router();

  r.get('/demo', (_req, res) => {
    const body: DemoInfoResponse = { demo: deps.demo, accounts: deps.demoAccounts };
    res.json(body);
  });

  r.post('/login', async (req, res) => {
    const input = parseOr400(LoginSchema, req.body, 'body');
    const { user, token, expiresAt } = await signIn(deps, { ...input, ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null });
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: deps.cookieSecure, expires: expiresAt, path: '/' });
    const body: SessionResponse = { user };
    res.json(body);
  });

  r.post('/logout', async (req, res) => {
    await signOut(deps, readCookie(req.headers.cookie, SESSION_COOKIE));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  return r;
}

const PasswordChangeSchema = z
  .object({
    currentPassword: z.string().min(1, 'currentPassword is required').max(1024),
    newPassword: z.string().min(10, 'newPassword must be at least 10 characters').max(1024),
  })
  .strict();
const SessionIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'id is a session id');

/** /api/account: the signed-in user's own password and sessions. */
export function accountRoutes(deps: AccountDeps & { cookieSecure: boolean }) {
  const r = Router();
  r.get('/sessions', async (req, res) => {
    res.json({ items: await listSessions(deps, currentUser(req), currentSession(req).id) });
  });
  r.delete('/sessions/:id', async (req: Request<{ id: string }>, res) => {
    await revokeSession(deps, currentUser(req), parseOr400(SessionIdSchema, req.params.id, 'id'));
    res.status(204).end();
  });
  r.post('/sign-out-everywhere', async (req, res) => {
    const ended = await signOutEverywhere(deps, currentUser(req));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ended });
  });
  r.post('/password', async (req, res) => {
    const input = parseOr400(PasswordChangeSchema, req.body, 'body');
    await changePassword(deps, currentUser(req), currentSession(req), input);
    res.status(204).end();
  });
  return r;
}
