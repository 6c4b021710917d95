/**
 * One error shape for the whole product. `instanceof` breaks across bundles
 * (client vs server, two copies of this module), so callers test the marker
 * with `isHarkError` instead.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  /** A state-changing request or socket from an origin that is not the app's own (CSRF defence). */
  | 'cross_origin'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

const MARKER = '__harkError' as const;

export class HarkError extends Error {
  readonly [MARKER] = true;
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Internal errors are logged in full but shown to callers as a generic message. */
    readonly isPublic = true,
  ) {
    super(message);
    this.name = 'HarkError';
  }
}

export const isHarkError = (e: unknown): e is HarkError =>
  typeof e === 'object' && e !== null && (e as Record<string, unknown>)[MARKER] === true;

export class ValidationError extends HarkError {
  constructor(message: string, details?: unknown) {
    super('validation_failed', 400, message, details);
  }
}
export class UnauthorizedError extends HarkError {
  constructor(message = 'Sign in first.') {
    super('unauthorized', 401, message);
  }
}
export class ForbiddenError extends HarkError {
  constructor(message = 'Your role does not allow this.') {
    super('forbidden', 403, message);
  }
}
export class NotFoundError extends HarkError {
  constructor(message: string) {
    super('not_found', 404, message);
  }
}
/** Both store adapters translate their unique-key violations into this. */
export class ConflictError extends HarkError {
  constructor(message: string, details?: unknown) {
    super('conflict', 409, message, details);
  }
}
export class RateLimitedError extends HarkError {
  constructor(message: string, readonly retryAfterMs: number) {
    super('rate_limited', 429, message, { retryAfterMs });
  }
}
/** Worth retrying with backoff (network blip, database briefly away). */
export class TransientError extends HarkError {
  constructor(message: string) {
    super('unavailable', 503, message);
  }
}

export const errorBody = (e: HarkError): ErrorBody => ({
  error: {
    code: e.code,
    message: e.isPublic ? e.message : 'Internal error',
    ...(e.isPublic && e.details !== undefined ? { details: e.details } : {}),
  },
});
