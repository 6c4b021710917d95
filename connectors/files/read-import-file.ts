import { StringDecoder } from 'node:string_decoder';
import type { RawMention } from '../../shared/raw-mention.js';
import { CsvParser } from './csv-parser.js';
import { toRawMention } from './mapping.js';

export interface ImportOptions {
  format?: 'csv' | 'jsonl';
  platform: string;
  map?: Record<string, string>;
  batchSize?: number;
}

export interface ImportBatch {
  mentions: RawMention[];
  errors: Array<{ line: number; message: string }>;
  /** Input lines (records) read for this batch. */
  lines: number;
}

export function formatFromPath(path: string): 'csv' | 'jsonl' | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson') || p.endsWith('.json')) return 'jsonl';
  return undefined;
}

/**
 * Reads CSV or JSONL into batches of RawMentions, chunk by chunk: memory holds
 * one batch and one unfinished line, whatever the file's size. Bad rows become
 * errors with their line number; the import goes on.
 */
export async function* readImportFile(input: AsyncIterable<Buffer | string>, opts: ImportOptions): AsyncGenerator<ImportBatch> {
  const size = opts.batchSize ?? 500;
  const map = opts.map ?? {};
  const decoder = new StringDecoder('utf8');
  let format = opts.format;
  let batch: ImportBatch = { mentions: [], errors: [], lines: 0 };
  const csv = new CsvParser();
  let header: string[] | null = null;
  let pendingLine = '';
  let lineNo = 0;
  let sawBom = false;

  const take = (line: number, rec: Record<string, unknown>) => {
    batch.lines++;
    const m = toRawMention(rec, map, opts.platform);
    if (typeof m === 'string') batch.errors.push({ line, message: m });
    else batch.mentions.push(m);
  };
  const jsonLine = (raw: string) => {
    lineNo++;
    const line = raw.trim();
    if (!line) return;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      batch.lines++;
      batch.errors.push({ line: lineNo, message: 'not valid JSON' });
      return;
    }
    if (!rec || typeof rec !== 'object' || Array.isArray(rec)) {
      batch.lines++;
      batch.errors.push({ line: lineNo, message: 'not a JSON object' });
      return;
    }
    take(lineNo, rec as Record<string, unknown>);
  };
  const csvRecords = (recs: Array<{ line: number; fields: string[] }>) => {
    for (const r of recs) {
      if (!header) {
        header = r.fields.map((f) => f.trim());
        continue;
      }
      if (r.fields.length === 1 && r.fields[0] === '') continue;
      const rec: Record<string, string> = {};
      header.forEach((h, i) => (rec[h] = r.fields[i] ?? ''));
      take(r.line, rec);
    }
  };

  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (!sawBom && text.length > 0) {
      sawBom = true;
      if (!format) format = text.replace(/^\uFEFF/, '').trimStart().startsWith('{') ? 'jsonl' : 'csv';
      if (format === 'jsonl') text = text.replace(/^\uFEFF/, '');
    }
    if (format === 'csv') csvRecords(csv.push(text));
    else {
      const parts = (pendingLine + text).split('\n');
      pendingLine = parts.pop()!;
      for (const p of parts) jsonLine(p);
    }
    if (batch.mentions.length + batch.errors.length >= size) {
      yield batch;
      batch = { mentions: [], errors: [], lines: 0 };
    }
  }
  const rest = decoder.end();
  if (format === 'csv') csvRecords([...csv.push(rest), ...csv.end()]);
  else {
    for (const p of (pendingLine + rest).split('\n')) jsonLine(p);
  }
  if (batch.mentions.length + batch.errors.length > 0) yield batch;
}

/**
 * Any CSV or JSONL as plain records (objects keyed by column), streamed, for
 * tools that read labelled data rather than mentions (training).
 */
export async function* readRecords(input: AsyncIterable<Buffer | string>, format?: 'csv' | 'jsonl'): AsyncGenerator<{ line: number; record: Record<string, unknown> | null }> {
  const decoder = new StringDecoder('utf8');
  const csv = new CsvParser();
  let header: string[] | null = null;
  let pending = '';
  let lineNo = 0;
  let fmt = format;
  const fromCsv = function* (recs: Array<{ line: number; fields: string[] }>) {
    for (const r of recs) {
      if (!header) {
        header = r.fields.map((f) => f.trim());
        continue;
      }
      if (r.fields.length === 1 && r.fields[0] === '') continue;
      const rec: Record<string, string> = {};
      header.forEach((h, i) => (rec[h] = r.fields[i] ?? ''));
      yield { line: r.line, record: rec as Record<string, unknown> };
    }
  };
  const fromJson = function* (lines: string[]) {
    for (const raw of lines) {
      lineNo++;
      const l = raw.trim();
      if (!l) continue;
      try {
        const v: unknown = JSON.parse(l);
        yield { line: lineNo, record: v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null };
      } catch {
        yield { line: lineNo, record: null };
      }
    }
  };
  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (!fmt && text.length > 0) fmt = text.replace(/^\uFEFF/, '').trimStart().startsWith('{') ? 'jsonl' : 'csv';
    if (fmt === 'csv') yield* fromCsv(csv.push(text));
    else {
      text = (pending + text).replace(/^\uFEFF/, '');
      const parts = text.split('\n');
      pending = parts.pop()!;
      yield* fromJson(parts);
    }
  }
  const rest = decoder.end();
  if (fmt === 'csv') yield* fromCsv([...csv.push(rest), ...csv.end()]);
  else yield* fromJson((pending + rest).split('\n'));
}
