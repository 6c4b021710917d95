import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { errorBody, HarkError, isHarkError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';

/** Turns a zod failure into a 400 whose message names the field. */
export function fromZod(err: z.ZodError, where: string): ValidationError {
  const details = err.issues.map((i) => ({ field: i.path.join('.') || where, message: i.message }));
  const first = details[0]!;
  return new ValidationError(`${first.field}: ${first.message}`, details);
}

export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}

export const apiNotFound: RequestHandler = (req, _res, next) => next(new NotFoundError(`No API route ${req.method} ${req.path}`));

/** The one place errors become responses: public ones as they are, anything else masked and logged. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let e: HarkError;
    if (isHarkError(err)) e = err;
    else if (isBodyParserError(err)) e = bodyParserError(err);
    else if (isClientHttpError(err)) {
      // The client's fault (a path that is not valid percent-encoding, a body that is not the encoding it claims): not ours to log as an error.
      e = clientHttpError(err, req.headers['content-encoding']);
      log.debug('malformed request', { method: req.method, path: req.path, status: e.status, reason: e.message });
    } else {
      log.error('request failed', { method: req.method, path: req.path, err });
      e = new HarkError('internal', 500, 'Internal error', undefined, false);
    }
    if (e.status >= 500 && isHarkError(err)) log.error('request failed', { method: req.method, path: req.path, err });
    if (e.code === 'rate_limited') {
      const ms = (e.details as { retryAfterMs?: number } | undefined)?.retryAfterMs;
      if (ms) res.setHeader('Retry-After', Math.ceil(ms / 1000));
    }
    if (res.headersSent) return void res.end();
    res.status(e.status).json(errorBody(e));
  };
}

function isBodyParserError(err: unknown): err is { type: string; status: number; message: string } {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string' && typeof (err as { status?: unknown }).status === 'number';
}

function bodyParserError(err: { type: string; status: number; message: string }): HarkError {
  if (err.type === 'entity.too.large') return new HarkError('payload_too_large', 413, 'The request body is too large.');
  if (err.type === 'entity.parse.failed') return new HarkError('bad_request', 400, 'The request body is not valid JSON.');
  return new HarkError('bad_request', 400, err.message);
}

/** http-errors objects (express's router, body-parser's inflation) that say they are the client's fault. */
function isClientHttpError(err: unknown): err is { status: number; message: string; code?: unknown; expose?: unknown } {
  if (typeof err !== 'object' || err === null) return false;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 && (err as { expose?: unknown }).expose !== false;
}

function clientHttpError(err: { status: number; message: string; code?: unknown }, contentEncoding: string | string[] | undefined): HarkError {
  if (err instanceof URIError || /decode param/i.test(err.message)) return new HarkError('bad_request', 400, 'The path holds an invalid percent-encoding.');
  const code = typeof err.code === 'string' ? err.code : '';
  if (/^(Z_|ERR_BROTLI|ERR__)/.test(code) || /incorrect header check|invalid|unexpected end/i.test(err.message)) {
    return new HarkError('bad_request', 400, `The request body is not valid ${String(contentEncoding ?? 'compressed data')}: Content-Encoding does not match the body.`);
  }
  return new HarkError('bad_request', 400, err.message.slice(0, 200));
}
