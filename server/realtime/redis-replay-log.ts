import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { entryBytes, type LogEntry, type LogEvent, type ReadResult, type ReplayLog, type ReplayLogLimits } from './replay-log.js';

/**
 * The replay log of distributed mode: a Redis stream per room whose ids are
 * the seqs (`<seq>-0`), plus a hash with the log's epoch, head, floor (the
 * last seq trimmed) and byte total. Append, number and trim happen in one Lua
 * script, so two processes appending at once get consecutive seqs and the
 * byte count never drifts. If Redis loses the log (restart without
 * persistence), the next call starts a new epoch and clients resync.
 */
const ENSURE = `
local function ensure(stream, meta, candidate)
  if redis.call('HSETNX', meta, 'epoch', candidate) == 1 then
    redis.call('DEL', stream)
    redis.call('HSET', meta, 'head', 0, 'floor', 0, 'bytes', 0)
  end
end
`;

// Oldest first, exact (XDEL, not approximate MAXLEN) so the byte total stays true; the newest entry always stays.
const TRIM = `
local function trim(stream, meta, maxBytes, maxEntries)
  local bytes = tonumber(redis.call('HGET', meta, 'bytes') or '0')
  local len = redis.call('XLEN', stream)
  local floor = nil
  while len > 1 and (bytes > maxBytes or len > maxEntries) do
    for _, e in ipairs(redis.call('XRANGE', stream, '-', '+', 'COUNT', 64)) do
      if len <= 1 or not (bytes > maxBytes or len > maxEntries) then break end
      local f = e[2]
      for i = 1, #f, 2 do if f[i] == 'n' then bytes = bytes - tonumber(f[i + 1]) end end
      redis.call('XDEL', stream, e[1])
      len = len - 1
      floor = e[1]
    end
  end
  if floor then redis.call('HSET', meta, 'bytes', bytes, 'floor', tonumber(string.match(floor, '^(%d+)'))) end
end
`;

const APPEND = `${ENSURE}${TRIM}
-- KEYS: stream, meta; ARGV: candidate epoch, event, payload, bytes, maxBytes, maxEntries
ensure(KEYS[1], KEYS[2], ARGV[1])
local seq = redis.call('HINCRBY', KEYS[2], 'head', 1)
redis.call('XADD', KEYS[1], seq .. '-0', 'e', ARGV[2], 'p', ARGV[3], 'n', ARGV[4])
redis.call('HINCRBY', KEYS[2], 'bytes', ARGV[4])
trim(KEYS[1], KEYS[2], tonumber(ARGV[5]), tonumber(ARGV[6]))
return seq
`;

const TRIM_ONLY = `${TRIM}
trim(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]))
return 1
`;

const READ = `${ENSURE}
-- KEYS: stream, meta; ARGV: candidate epoch, after, upTo ('' = head), limit
ensure(KEYS[1], KEYS[2], ARGV[1])
local m = redis.call('HMGET', KEYS[2], 'epoch', 'head', 'floor')
local head, floor, after = tonumber(m[2]), tonumber(m[3]), tonumber(ARGV[2])
if after < floor or after > head then return { m[1], head, 0 } end
local upTo = head
if ARGV[3] ~= '' then upTo = math.min(head, tonumber(ARGV[3])) end
if upTo <= after then return { m[1], head, 1, {} } end
return { m[1], head, 1, redis.call('XRANGE', KEYS[1], '(' .. after .. '-0', upTo .. '-0', 'COUNT', ARGV[4]) }
`;

type Raw = [string, number, 0] | [string, number, 1, Array<[string, string[]]>];

export async function createRedisReplayLog(url: string, room: string, limits: ReplayLogLimits): Promise<ReplayLog> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, connectionName: `hark-replay-${room}` });
  // XREAD BLOCK holds its connection: a second one for waiting.
  const blocker = new Redis(url, { maxRetriesPerRequest: null, connectionName: `hark-replay-wait-${room}`, lazyConnect: true });
  redis.on('error', () => undefined);
  blocker.on('error', () => undefined);
  await redis.ping();
  redis.defineCommand('hrtAppend', { numberOfKeys: 2, lua: APPEND });
  redis.defineCommand('hrtRead', { numberOfKeys: 2, lua: READ });
  redis.defineCommand('hrtTrim', { numberOfKeys: 2, lua: TRIM_ONLY });
  const cmd = redis as unknown as {
    hrtAppend(...args: Array<string | number>): Promise<number>;
    hrtRead(...args: Array<string | number>): Promise<Raw>;
    hrtTrim(...args: Array<string | number>): Promise<number>;
  };
  const stream = `hark:rt:${room}:log`;
  const meta = `hark:rt:${room}:meta`;
  const candidate = () => randomBytes(6).toString('base64url');
  let closed = false;

  const readSince = async (after: number, opts: { upTo?: number; limit?: number } = {}): Promise<ReadResult> => {
    const raw = await cmd.hrtRead(stream, meta, candidate(), after, opts.upTo ?? '', opts.limit ?? 1_000_000);
    const [epoch, head] = raw;
    if (raw[2] === 0) return { epoch, head: Number(head), entries: null };
    const entries: LogEntry[] = raw[3].map(([id, fields]) => {
      const f = new Map<string, string>();
      for (let i = 0; i < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
      return { seq: Number.parseInt(id, 10), event: f.get('e') as LogEvent, payload: f.get('p') ?? '{}' };
    });
    return { epoch, head: Number(head), entries };
  };

  return {
    append: async (event, payload) => Number(await cmd.hrtAppend(stream, meta, candidate(), event, payload, entryBytes(payload), limits.maxBytes, limits.maxEntries)),
    readSince,
    async trim() {
      await cmd.hrtTrim(stream, meta, limits.maxBytes, limits.maxEntries);
    },
    async waitAfter(seq, ms) {
      if (closed) return;
      if (blocker.status === 'wait') await blocker.connect();
      await blocker.xread('BLOCK', Math.max(1, Math.round(ms)), 'STREAMS', stream, `${seq}-0`).catch((err: unknown) => {
        if (!closed) throw err;
      });
    },
    async close() {
      closed = true;
      blocker.disconnect();
      await redis.quit().catch(() => undefined);
    },
  };
}
