import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compileForReddit, compileForX, isQueryError, matchesListeningQuery, networksOf, parseQuery } from '../../connectors/query/index.js';
import { readImportFile, parseMapSpec } from '../../connectors/files/index.js';
import { normalize } from '../../workers/pipeline/normalize.js';
import { hostileJson, hostileString } from './arbitraries.js';

/**
 * The two parsers that read what users and files bring: the listening-query
 * language and the import reader. Whatever they are given, they answer (a
 * tree or an error with a position; mentions or row errors) and never throw.
 */
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = (n: number) => ({ seed, numRuns: n, endOnFailure: true });
const replay = (what: string, f: () => void | Promise<void>) => async () => {
  try {
    await f();
  } catch (e) {
    throw new Error(`${what} failed; repeat with FUZZ_SEED=${seed}:\n${e instanceof Error ? e.message : String(e)}`);
  }
};

const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('acme', 'refund', 'app', 'down', '"late flight"', '"', '(', ')', 'AND', 'OR', 'NOT', '-', 'NEAR/5', 'NEAR/0', 'NEAR/99999999999', 'NEAR/', 'NEAR', 'from:', 'from:acme', 'to:help', 'lang:en', 'lang:', 'network:x', 'network:nope', 'foo:bar', '@', '#tag', '*', ':', '\\', "'", "''") },
  { weight: 2, arbitrary: hostileString },
);
const query = fc.oneof(
  fc.array(token, { maxLength: 30 }).map((t) => t.join(' ')),
  fc.array(token, { maxLength: 30 }).map((t) => t.join('')),
  fc.integer({ min: 1, max: 5000 }).map((n) => `${'('.repeat(n)}a${')'.repeat(n)}`),
  fc.integer({ min: 1, max: 5000 }).map((n) => 'NOT '.repeat(n) + 'a'),
  fc.integer({ min: 1, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => `w${i}`).join(' OR ')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('fuzz: listening-query parser', () => {
  it(
    'answers 5,000 hostile queries with a tree or an error at a position, and the tree compiles and matches',
    replay('query fuzz', () => {
      fc.assert(
        fc.property(query, hostileString, (q, text) => {
          const r = parseQuery(q);
          if (isQueryError(r)) {
            expect(typeof r.message).toBe('string');
            expect(r.position).toBeGreaterThanOrEqual(0);
            expect(r.position).toBeLessThanOrEqual(q.length);
            return;
          }
          compileForX(r);
          compileForReddit(r);
          networksOf(r);
          expect(typeof matchesListeningQuery(r, { text, authorHandle: 'a', platform: "x", lang: "en", toHandles: ["help"] })).toBe('boolean');
        }),
        runs(5000),
      );
    }),
    60_000,
  );
});

/** Records as JSON lines or CSV, some broken, some huge, then cut into chunks anywhere (inside characters too). */
const jsonRecord = fc.dictionary(fc.constantFrom('id', 'text', 'author', 'author_name', 'author_id', 'author_followers', 'author_verified', 'created_at', 'lang', 'url', 'likes', 'in_reply_to', 'conversation_id', 'brand', '__proto__', 'x'), hostileJson, { maxKeys: 8 });
const csvCell = fc.oneof(hostileString, fc.constantFrom('"', '""', '"a""b"', '"open', 'a,b', 'a\nb', '"a\r\nb"', '\uFEFF'));
const file = fc.oneof(
  fc.array(fc.oneof({ weight: 5, arbitrary: jsonRecord.map((r) => JSON.stringify(r)) }, { weight: 1, arbitrary: hostileString }), { maxLength: 12 }).map((l) => ({ format: 'jsonl' as const, text: l.join('\n') })),
  fc
    .tuple(fc.array(fc.oneof(fc.constantFrom('id', 'text', 'author', 'created_at', 'author_name'), hostileString), { minLength: 1, maxLength: 6 }), fc.array(fc.array(csvCell, { maxLength: 7 }), { maxLength: 10 }), fc.constantFrom('\n', '\r\n', '\r'))
    .map(([header, rows, eol]) => ({ format: 'csv' as const, text: [header, ...rows].map((r) => r.join(',')).join(eol) })),
  fc.string({ unit: 'binary', maxLength: 400 }).map((text) => ({ format: undefined, text })),
);

describe('fuzz: import reader', () => {
  it(
    'reads 2,500 hostile files in any chunking into mentions or row errors, one per record, and normalize accepts what it reads',
    replay('import fuzz', async () => {
      await fc.assert(
        fc.asyncProperty(file, fc.array(fc.nat(), { maxLength: 6 }), fc.option(fc.constantFrom('id=text,text=id', 'author=author_name', 'created_at=x', 'id=__proto__,text=constructor'), { nil: undefined }), async (f, cuts, map) => {
          const bytes = Buffer.from(f.text, 'utf8');
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let at = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(at, p));
            at = p;
          }
          let records = 0;
          for await (const batch of readImportFile(Readable.from(chunks), { platform: 'fuzz', format: f.format, map: map ? parseMapSpec(map) : undefined, batchSize: 5 })) {
            expect(batch.mentions.length + batch.errors.length).toBe(batch.lines);
            records += batch.lines;
            const { ok, rejected } = normalize(batch.mentions, { now: () => new Date() });
            expect(ok.length + rejected.length).toBe(batch.mentions.length);
            for (const o of ok) {
              expect(o.mention.author.name === null || o.mention.author.name.length <= 256).toBe(true);
              // eslint-disable-next-line no-control-regex
              expect(/[\u0000-\u0008\u000B-\u001F\u202A-\u202E]/.test(o.mention.text + o.mention.author.handle)).toBe(false);
            }
          }
          expect(records).toBeGreaterThanOrEqual(0);
        }),
        runs(2500),
      );
    }),
    60_000,
  );
});
