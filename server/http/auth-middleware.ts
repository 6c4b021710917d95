import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.js';
import { roleAtLeast, type Role, type User } from '../../shared/auth.js';
import { readCookie, SESSION_COOKIE, type LiveSession, type SessionService } from '../auth/sessions.js';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
    /** The session this request came with (public id, expiry), for the account routes. */
    session?: LiveSession['session'];
  }
}

/** Every /api route behind this needs a live session. */
export function requireSession(sessions: SessionService): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    sessions
      .resolveSession(readCookie(req.headers.cookie, SESSION_COOKIE))
      .then((live) => {
        if (!live) return next(new UnauthorizedError());
        req.user = live.user;
        req.session = live.session;
        next();
      })
      .catch(next);
  };
}

export function requireRole(role: Role): RequestHandler {
  return (req, _res, next) => next(req.user && roleAtLeast(req.user.role, role) ? undefined : new ForbiddenError(`This needs the ${role} role.`));
}

export const currentUser = (req: Request): User => {
  if (!req.user) throw new UnauthorizedError();
  return req.user;
};

export const currentSession = (req: Request): LiveSession['session'] => {
  if (!req.session) throw new UnauthorizedError();
  return req.session;
};
