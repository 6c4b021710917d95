import { Router } from 'express';
import { LoginSchema, type DemoAccount } from '../../../shared/auth.js';
import type { DemoInfoResponse, SessionResponse } from '../../../shared/api.js';
import { UnauthorizedError } from '../../../shared/errors.js';
import type { Store } from '../../../shared/store.js';
import { createLoginThrottle } from '../../auth/login-throttle.js';
import { verifyPassword } from '../../auth/passwords.js';
import { readCookie, SESSION_COOKIE, type SessionService } from '../../auth/sessions.js';
import { parseOr400 } from '../errors.js';

// Compared against when the email is unknown, so timing does not reveal which emails exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function authRoutes(deps: { store: Store; sessions: SessionService; demoAccounts: DemoAccount[]; cookieSecure: boolean; demo: boolean }) {
  const r = Router();
  const throttle = createLoginThrottle();

  r.get('/demo', (_req, res) => {
    const body: DemoInfoResponse = { demo: deps.demo, accounts: deps.demoAccounts };
    res.json(body);
  });

  r.post('/login', async (req, res) => {
    const input = parseOr400(LoginSchema, req.body, 'body');
    const keys = [`email:${input.email}`, `ip:${req.ip}`];
    throttle.check(keys);
    const user = await deps.store.users.findByEmail({ email: input.email });
    const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      throttle.fail(keys);
      throw new UnauthorizedError('Email or password is wrong.');
    }
    throttle.succeed(keys);
    const { token, expiresAt } = await deps.sessions.create(user.id);
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: deps.cookieSecure, expires: expiresAt, path: '/' });
    const { passwordHash: _omit, ...publicUser } = user;
    const body: SessionResponse = { user: publicUser };
    res.json(body);
  });

  r.post('/logout', async (req, res) => {
    await deps.sessions.destroy(readCookie(req.headers.cookie, SESSION_COOKIE));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  return r;
}
