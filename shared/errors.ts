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

/** The job's data can never be processed as it is (malformed, refused by a rule): no retry; kept aside for an admin. */
export class BadDataError extends HarkError {
  constructor(message: string, details?: unknown) {
    super('validation_failed', 422, message, details);
  }
}

/**
 * How a failed job is retried, one rule for every queue adapter: bad data
 * (BadDataError, ValidationError) never; rate limited (RateLimitedError, or
 * any HarkError `rate_limited` with `details.retryAfterMs`) after the reset
 * the network gave; anything else (TransientError, a plain Error: a database
 * blip, a bug that may be a race) with exponential backoff, until attempts
 * run out.
 */
export type Failure = { kind: 'bad_data'; message: string } | { kind: 'rate_limited'; message: string; retryAfterMs: number } | { kind: 'transient'; message: string };

export function classifyFailure(err: unknown): Failure {
  const message = err instanceof Error ? err.message : String(err);
  if (isHarkError(err)) {
    if (err.code === 'validation_failed' || err.code === 'bad_request') return { kind: 'bad_data', message };
    if (err.code === 'rate_limited') {
      const after = Number((err.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs);
      return { kind: 'rate_limited', message, retryAfterMs: Number.isFinite(after) && after >= 0 ? after : 1000 };
    }
  }
  return { kind: 'transient', message };
}

/** Exponential backoff for the transient kind: base, 2×base, 4×base… capped at a minute. */
export const backoffFor = (attempt: number, baseMs: number) => Math.min(60_000, baseMs * 2 ** Math.max(0, attempt - 1));
