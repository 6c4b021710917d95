import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { z } from 'zod';
import { HarkError } from '../../../shared/errors.js';
import { PlatformSchema } from '../../../shared/mention.js';
import type { RawMention } from '../../../shared/raw-mention.js';
import { parseMapSpec } from '../../../connectors/files/index.js';
import type { IngestReport } from '../../../workers/pipeline/run-ingest.js';
import { importFile, type OnImportProgress } from '../../operations/import-file.js';
import { parseOr400 } from '../errors.js';
import { ValidationError } from '../../../shared/errors.js';

const ImportQuery = z
  .object({
    platform: PlatformSchema.default('import'),
    format: z.enum(['csv', 'jsonl']).optional(),
    map: z.string().max(2000).optional(),
    /** The client's name for this import, so its page can follow its progress. */
    id: z.string().regex(/^[\w-]{1,64}$/, 'id is 1 to 64 letters, digits, - or _').optional(),
  })
  .strict();

/** POST /api/import: the request body is the file itself (CSV or JSONL), streamed, never buffered whole. */
export function importRoutes(deps: {
  /** A fresh ingest for each upload (IngestPath.sequence), storing its batches in order. */
  ingest: () => (batch: RawMention[]) => Promise<IngestReport>;
  /** Batches of one upload in flight: the next one scored while one is written. */
  window?: number;
  maxBytes: number;
  maxLineBytes: number;
  batchSize: number;
  progress?: (meta: { importId: string; by: { id: string; name: string } | null; platform: string }) => OnImportProgress;
}) {
  const r = Router();
  r.post('/', async (req, res) => {
    const q = parseOr400(ImportQuery, req.query, 'query');
    let map: Record<string, string> | undefined;
    try {
      map = q.map ? parseMapSpec(q.map) : undefined;
    } catch (e) {
      throw new ValidationError(`map: ${e instanceof Error ? e.message : String(e)}`, { field: 'map' });
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > deps.maxBytes) throw new HarkError('payload_too_large', 413, `The file is larger than the ${Math.round(deps.maxBytes / 1048576)} MB limit.`);
    let seen = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        seen += chunk.length;
        if (seen > deps.maxBytes) cb(new HarkError('payload_too_large', 413, `The file is larger than the ${Math.round(deps.maxBytes / 1048576)} MB limit.`));
        else cb(null, chunk);
      },
    });
    req.on('error', (e) => limiter.destroy(e));
    const source = decoded(req, req.headers['content-encoding']);
    if (source !== req) source.on('error', (e) => limiter.destroy(e));
    const onProgress = deps.progress?.({ importId: q.id ?? randomUUID(), by: req.user ? { id: req.user.id, name: req.user.name } : null, platform: q.platform });
    const result = await importFile(source.pipe(limiter), { platform: q.platform, format: q.format, map, batchSize: deps.batchSize, maxLineBytes: deps.maxLineBytes }, { ingest: deps.ingest(), onProgress, window: deps.window });
    res.json(result);
  });
  return r;
}

/** A compressed upload is inflated as it streams; a body that is not what its Content-Encoding says is a 400. */
function decoded(body: Readable, encoding: string | undefined): Readable {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity') return body;
  const inflate = enc === 'gzip' || enc === 'x-gzip' ? zlib.createGunzip() : enc === 'deflate' ? zlib.createInflate() : enc === 'br' ? zlib.createBrotliDecompress() : null;
  if (!inflate) throw new HarkError('bad_request', 415, `Content-Encoding ${enc.slice(0, 40)} is not supported: send gzip, deflate, br or none.`);
  const out = new Transform({ transform: (chunk: Buffer, _e, cb) => cb(null, chunk) });
  inflate.on('error', () => out.destroy(new HarkError('bad_request', 400, `The file is not valid ${enc}: Content-Encoding does not match the body.`)));
  return body.pipe(inflate).pipe(out);
}
