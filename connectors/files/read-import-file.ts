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
  let batch: ImportBatch = { mentions: [], errors: [], lines: 0 };
  for await (const r of readRecords(input, opts.format)) {
    batch.lines++;
    const m = r.record ? toRawMention(r.record, map, opts.platform) : r.error;
    if (typeof m === 'string') batch.errors.push({ line: r.line, message: m });
    else batch.mentions.push(m);
    if (batch.mentions.length + batch.errors.length >= size) {
      yield batch;
      batch = { mentions: [], errors: [], lines: 0 };
    }
  }
  if (batch.mentions.length + batch.errors.length > 0) yield batch;
}

/**
 * Any CSV or JSONL as plain records (objects keyed by column), streamed, for
 * tools that read labelled data rather than mentions (training).
 */
export type RecordResult = { line: number; record: Record<string, unknown>; error?: undefined } | { line: number; record: null; error: string };

export async function* readRecords(input: AsyncIterable<Buffer | string>, format?: 'csv' | 'jsonl'): AsyncGenerator<RecordResult> {
  const decoder = new StringDecoder('utf8');
  const csv = new CsvParser();
  let header: string[] | null = null;
  let pending = '';
  let lineNo = 0;
  let fmt = format;
  const fromCsv = function* (recs: Array<{ line: number; fields: string[] }>): Generator<RecordResult> {
    for (const r of recs) {
      if (!header) {
        header = r.fields.map((f) => f.trim());
        continue;
      }
      if (r.fields.length === 1 && r.fields[0] === '') continue;
      const rec: Record<string, string> = {};
      header.forEach((h, i) => (rec[h] = r.fields[i] ?? ''));
      yield { line: r.line, record: rec };
    }
  };
  const fromJson = function* (lines: string[]): Generator<RecordResult> {
    for (const raw of lines) {
      lineNo++;
      const l = raw.trim();
      if (!l) continue;
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        yield { line: lineNo, record: null, error: 'not valid JSON' };
        continue;
      }
      if (v && typeof v === 'object' && !Array.isArray(v)) yield { line: lineNo, record: v as Record<string, unknown> };
      else yield { line: lineNo, record: null, error: 'not a JSON object' };
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
