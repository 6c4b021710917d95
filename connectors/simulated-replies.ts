import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FindReplyQuery, ReplyResult } from '../shared/connector-ports.js';
import type { Connector } from './connector.js';
import { oncePerKey } from './once-per-key.js';
import { sameReplyText } from './reply-match.js';

/** One line of the simulator's log of posted replies. */
export interface SimulatedPost {
  id: string;
  inReplyTo: string;
  text: string;
  at: string;
}

/**
 * Gives the demo simulator a reply endpoint that behaves like a network's:
 * a short delay, a posted id and URL, and one post per idempotency key. What
 * it posts goes to its log, which outlives the process when `logFile` is
 * given (the data directory, shared by every process of a deployment, as a
 * network is): the log is what `findReply` reads, like a network's own
 * record of the brand's posts.
 */
export function withSimulatedReplies(c: Connector, opts: { delayMs?: number; logFile?: string } = {}): Connector {
  const memory: SimulatedPost[] = [];
  const record = (p: SimulatedPost) => {
    // One small append per post: O_APPEND writes of a line do not interleave between processes.
    if (opts.logFile) fs.appendFileSync(opts.logFile, `${JSON.stringify(p)}\n`);
    else memory.push(p);
  };
  const posts = (): SimulatedPost[] => {
    if (!opts.logFile) return memory;
    let raw: string;
    try {
      raw = fs.readFileSync(opts.logFile, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    // A line cut short by a crash mid-write is not a post.
    return raw.split('\n').flatMap((l) => {
      try {
        return l ? [JSON.parse(l) as SimulatedPost] : [];
      } catch {
        return [];
      }
    });
  };
  return {
    id: c.id,
    platform: c.platform,
    run: (ctx) => c.run(ctx),
    reply: oncePerKey(
      (req) =>
        new Promise<ReplyResult>((resolve, reject) =>
          setTimeout(() => {
            try {
              const id = `sim-reply-${crypto.randomUUID().slice(0, 13)}`;
              record({ id, inReplyTo: req.inReplyToExternalId, text: req.text, at: new Date().toISOString() });
              resolve({ externalId: id, url: `https://demo.hark.invalid/replies/${id}` });
            } catch (e) {
              reject(e instanceof Error ? e : new Error(String(e)));
            }
          }, opts.delayMs ?? 80),
        ),
    ),
    async findReply(q: FindReplyQuery) {
      const since = Date.parse(q.since) - 60_000;
      const hit = posts().find((p) => p.inReplyTo === q.inReplyToExternalId && Date.parse(p.at) >= since && sameReplyText(p.text, q.text));
      return hit ? { externalId: hit.id, url: `https://demo.hark.invalid/replies/${hit.id}` } : null;
    },
  };
}
