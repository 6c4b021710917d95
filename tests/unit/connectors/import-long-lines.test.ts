import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readImportFile, type ImportBatch } from '../../../connectors/files/index.js';
import { CsvParser } from '../../../connectors/files/csv-parser.js';

async function read(chunks: Array<string | Buffer>, opts: Parameters<typeof readImportFile>[1]) {
  const out: ImportBatch[] = [];
  for await (const b of readImportFile(Readable.from(chunks), opts)) out.push(b);
  return { mentions: out.flatMap((b) => b.mentions), errors: out.flatMap((b) => b.errors), lines: out.reduce((s, b) => s + b.lines, 0) };
}

/** `total` characters of `unit`, in chunks of `size` (as a file stream delivers them). */
const chunksOf = (unit: string, total: number, size: number) => {
  const piece = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const out: string[] = [];
  for (let left = total; left > 0; left -= size) out.push(left >= size ? piece : piece.slice(0, left));
  return out;
};

const LIMIT = 64 * 1024;

describe('import reader: lines and records over IMPORT_MAX_LINE_BYTES', () => {
  it('JSONL: a 2 MB line without a newline is that line\'s error, naming it and the limit; the lines after it are imported', async () => {
    const head = '{"id":"a","text":"before"}\n{"id":"b","text":"';
    const tail = '"}\n{"id":"c","text":"after one"}\n{"id":"d","text":"after two"}\n';
    const r = await read([head, ...chunksOf('x', 2_000_000, 65_536), tail], { platform: 'import', maxLineBytes: LIMIT });
    expect(r.mentions.map((m) => m.externalId)).toEqual(['a', 'c', 'd']);
    expect(r.errors).toEqual([{ line: 2, message: 'line longer than the 65,536-byte limit (IMPORT_MAX_LINE_BYTES); skipped' }]);
    expect(r.lines).toBe(4);
  });

  it('JSONL: a long line at the very end of the file (no newline after it) is an error too', async () => {
    const r = await read(['{"id":"a","text":"ok"}\n{"id":"b","text":"', ...chunksOf('y', 200_000, 10_000)], { platform: 'import', maxLineBytes: LIMIT });
    expect(r.mentions.map((m) => m.externalId)).toEqual(['a']);
    expect(r.errors).toEqual([{ line: 2, message: expect.stringContaining('65,536-byte limit') }]);
  });

  it('JSONL: a line just under the limit is still read, in one piece across many chunks', async () => {
    const text = 'z'.repeat(LIMIT - 40);
    const line = JSON.stringify({ id: 'big', text });
    const all = `${line}\n{"id":"next","text":"n"}\n`;
    const chunks = Array.from({ length: Math.ceil(all.length / 1000) }, (_, i) => all.slice(i * 1000, i * 1000 + 1000));
    const r = await read(chunks, { platform: 'import', maxLineBytes: LIMIT });
    expect(r.errors).toEqual([]);
    expect(r.mentions.map((m) => m.externalId)).toEqual(['big', 'next']);
    expect(r.mentions[0]!.text.length).toBeGreaterThan(0);
  });

  it('CSV: an unterminated quote running 2 MB is that record\'s error; parsing resumes at the next line and the rows after it are imported', async () => {
    const head = 'id,text\n1,before\n2,"never closed ';
    const tail = '\n3,after one\n4,"after, two"\n';
    const r = await read([head, ...chunksOf('q', 2_000_000, 65_536), tail], { platform: 'import', format: 'csv', maxLineBytes: LIMIT });
    expect(r.mentions.map((m) => m.externalId)).toEqual(['1', '3', '4']);
    expect(r.mentions[2]!.text).toBe('after, two');
    expect(r.errors).toEqual([{ line: 3, message: 'record longer than the 65,536-byte limit (IMPORT_MAX_LINE_BYTES); skipped' }]);
  });

  it('CSV: an unquoted field over the limit is an error; quoted fields with line breaks under it keep their line numbers', () => {
    const p = new CsvParser(100);
    const recs = [...p.push('a,"two\nlines"\n'), ...p.push(`b,${'w'.repeat(300)}\nc,d\n`), ...p.end()];
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'two\nlines'] },
      { line: 3, fields: [], tooLong: true },
      { line: 4, fields: ['c', 'd'] },
    ]);
  });

  it('defaults to 1 MiB: a 1.5 MB JSONL line is refused without any option', async () => {
    const r = await read(['{"id":"a","text":"', ...chunksOf('k', 1_500_000, 65_536), '"}\n{"id":"b","text":"fine"}\n'], { platform: 'import' });
    expect(r.errors).toEqual([{ line: 1, message: expect.stringContaining('1,048,576-byte limit') }]);
    expect(r.mentions.map((m) => m.externalId)).toEqual(['b']);
  });
});
