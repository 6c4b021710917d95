import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors.js';
import { roleAtLeast, type Role, type User } from '../../shared/auth.js';
import { readCookie, SESSION_COOKIE, type SessionService } from '../auth/sessions.js';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

/** Every /api route behind this needs a live session. */
export function requireSession(sessions: SessionService): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    sessions
      .resolve(readCookie(req.headers.cookie, SESSION_COOKIE))
      .then((user) => {
        if (!user) return next(new UnauthorizedError());
        req.user = user;
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
