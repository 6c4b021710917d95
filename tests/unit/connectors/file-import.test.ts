import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RawMentionSchema } from '../../../shared/raw-mention.js';
import { parseMapSpec, readImportFile, formatFromPath, type ImportBatch } from '../../../connectors/files/index.js';
import { CsvParser } from '../../../connectors/files/csv-parser.js';

async function all(chunks: Array<string | Buffer>, opts: Parameters<typeof readImportFile>[1]) {
  const out: ImportBatch[] = [];
  for await (const b of readImportFile(Readable.from(chunks), opts)) out.push(b);
  return { mentions: out.flatMap((b) => b.mentions), errors: out.flatMap((b) => b.errors), batches: out.length };
}

/** Splits a string into chunks of `n` characters, to test every boundary. */
const chunked = (s: string, n: number) => Array.from({ length: Math.ceil(s.length / n) }, (_, i) => s.slice(i * n, i * n + n));

describe('CSV parser', () => {
  const csv = '\uFEFFid,text,author\r\n1,"Hello, ""world""",ann\r\n2,"two\nlines",bob\n3,plain,\n';
  it('handles quotes, doubled quotes, embedded newlines, CRLF and a BOM at any chunk size', () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      const p = new CsvParser();
      const recs = [...chunked(csv, size).flatMap((c) => p.push(c)), ...p.end()];
      expect(recs.map((r) => r.fields), `chunk ${size}`).toEqual([
        ['id', 'text', 'author'],
        ['1', 'Hello, "world"', 'ann'],
        ['2', 'two\nlines', 'bob'],
        ['3', 'plain', ''],
      ]);
      expect(recs.map((r) => r.line)).toEqual([1, 2, 3, 5]);
    }
  });
  it('keeps a last record without a trailing newline', () => {
    const p = new CsvParser();
    expect([...p.push('a,b\n1,"x"'), ...p.end()].map((r) => r.fields)).toEqual([['a', 'b'], ['1', 'x']]);
  });
});

describe('file import', () => {
  it('imports JSONL with no mapping, and reports bad lines by number', async () => {
    const lines = ['{"id":"a","text":"hi","author":"ann","author_followers":"1200","created_at":"2026-01-01T00:00:00Z","lang":"en"}', '{oops', '', '{"id":"b"}', '[1,2]', '{"id":7,"text":"nested","author":{"handle":"cy","followers":5,"verified":true}}'].join('\n');
    const r = await all(chunked(lines, 5), { platform: 'upload' });
    expect(r.mentions.map((m) => m.externalId)).toEqual(['a', '7']);
    expect(r.mentions[0]).toMatchObject({ platform: 'upload', author: { handle: 'ann', followers: 1200 }, lang: 'en' });
    expect(r.mentions[1]!.author).toMatchObject({ handle: 'cy', followers: 5, verified: true });
    expect(r.errors).toEqual([
      { line: 2, message: 'not valid JSON' },
      { line: 4, message: 'missing text' },
      { line: 5, message: 'not a JSON object' },
    ]);
    for (const m of r.mentions) expect(RawMentionSchema.safeParse(m).success).toBe(true);
  });

  it('maps CSV columns and detects the format', async () => {
    const r = await all(['tweet_id,body,user,fans\n', '9,"great, thanks",dee,42\n10,,eve,1\n'], { platform: 'x', map: parseMapSpec('id=tweet_id,text=body,author=user,author_followers=fans') });
    expect(r.mentions).toHaveLength(1);
    expect(r.mentions[0]).toMatchObject({ externalId: '9', text: 'great, thanks', author: { handle: 'dee', followers: 42 } });
    expect(r.errors).toEqual([{ line: 3, message: 'missing body' }]);
    expect(formatFromPath('X.CSV')).toBe('csv');
    expect(formatFromPath('a.ndjson')).toBe('jsonl');
  });

  it('explains a bad map spec', () => {
    expect(() => parseMapSpec('id=tweet_id,colour=red')).toThrow(/unknown field "colour"/);
    expect(() => parseMapSpec('id')).toThrow(/not field=column/);
  });

  it('streams: a large input passes in batches with flat memory', async () => {
    const line = (i: number) => `{"id":"${i}","text":"${'x'.repeat(200)}"}\n`;
    async function* gen() {
      for (let i = 0; i < 200_000; i += 1000) yield Buffer.from(Array.from({ length: 1000 }, (_, j) => line(i + j)).join(''));
    }
    const before = process.memoryUsage().heapUsed;
    let count = 0;
    let peak = 0;
    for await (const b of readImportFile(gen(), { platform: 'x', batchSize: 500 })) {
      count += b.mentions.length;
      peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(count).toBe(200_000); // ~44 MB of input
    expect(peak).toBeLessThan(40 * 1024 * 1024);
  });
});
