import { StringDecoder } from 'node:string_decoder';
import type { RawMention } from '../../shared/raw-mention.js';
import { CsvParser, type CsvRecord } from './csv-parser.js';
import { toRawMention } from './mapping.js';

export interface ImportOptions {
  format?: 'csv' | 'jsonl';
  platform: string;
  map?: Record<string, string>;
  batchSize?: number;
  /** A line (JSONL) or record (CSV) longer than this is that row's error; the next ones are still read. */
  maxLineBytes?: number;
}

/** Default for `maxLineBytes` (IMPORT_MAX_LINE_BYTES). */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const tooLong = (max: number) => `longer than the ${max.toLocaleString('en')}-byte limit (IMPORT_MAX_LINE_BYTES); skipped`;

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
  for await (const r of readRecords(input, opts.format, { maxLineBytes: opts.maxLineBytes })) {
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

export async function* readRecords(input: AsyncIterable<Buffer | string>, format?: 'csv' | 'jsonl', opts: { maxLineBytes?: number } = {}): AsyncGenerator<RecordResult> {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new StringDecoder('utf8');
  const csv = new CsvParser(max);
  let header: string[] | null = null;
  let lineNo = 0;
  let fmt = format;
  let first = true;
  const fromCsv = function* (recs: CsvRecord[]): Generator<RecordResult> {
    for (const r of recs) {
      if (r.tooLong) {
        yield { line: r.line, record: null, error: `record ${tooLong(max)}` };
        continue;
      }
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
  const parseLine = (raw: string): RecordResult | null => {
    lineNo++;
    const l = raw.trim();
    if (!l) return null;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      return { line: lineNo, record: null, error: 'not valid JSON' };
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) return { line: lineNo, record: v as Record<string, unknown> };
    return { line: lineNo, record: null, error: 'not a JSON object' };
  };
  // The unfinished JSONL line, as the pieces it arrived in: joined once when its newline comes,
  // and dropped as soon as it passes the limit (then everything up to the next newline is skipped).
  let pending: string[] = [];
  let pendingBytes = 0;
  let skipping = false;
  const fromJson = function* (text: string, final: boolean): Generator<RecordResult> {
    let i = 0;
    for (;;) {
      const nl = text.indexOf('\n', i);
      const piece = nl < 0 ? text.slice(i) : text.slice(i, nl);
      if (!skipping && piece.length > 0) {
        pendingBytes += Buffer.byteLength(piece);
        if (pendingBytes > max) {
          skipping = true;
          pending = [];
        } else pending.push(piece);
      }
      if (nl < 0 && !final) return;
      if (skipping) {
        lineNo++;
        yield { line: lineNo, record: null, error: `line ${tooLong(max)}` };
      } else {
        const r = parseLine(pending.length === 1 ? pending[0]! : pending.join(''));
        if (r) yield r;
      }
      pending = [];
      pendingBytes = 0;
      skipping = false;
      if (nl < 0) return;
      i = nl + 1;
    }
  };
  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      first = false;
      if (!fmt) fmt = text.replace(/^\uFEFF/, '').trimStart().startsWith('{') ? 'jsonl' : 'csv';
      if (fmt === 'jsonl') text = text.replace(/^\uFEFF/, '');
    }
    if (fmt === 'csv') yield* fromCsv(csv.push(text));
    else yield* fromJson(text, false);
  }
  const rest = decoder.end();
  if (fmt === 'csv') yield* fromCsv([...csv.push(rest), ...csv.end()]);
  else yield* fromJson(rest, true);
}
