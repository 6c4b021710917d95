import { readImportFile } from '../../connectors/files/index.js';

/** A 256 KB-chunked stream: `head`, `mb` MB of one character, then `tail`. */
async function* generated(head: string, fill: string, mb: number, tail: string, onChunk: () => void): AsyncGenerator<Buffer> {
  yield Buffer.from(head);
  const chunk = Buffer.alloc(256 * 1024, fill);
  for (let left = mb * 1024 * 1024; left > 0; left -= chunk.length) {
    yield left >= chunk.length ? chunk : chunk.subarray(0, left);
    onChunk();
  }
  yield Buffer.from(tail);
}

const AFTER = 1000;

/** Times the import reader on one over-long JSONL line and one unterminated CSV quote of `mb` MB, each followed by AFTER good rows. */
export async function benchLongLines(opts: { mb: number }) {
  const cases = [
    {
      name: `JSONL, one ${opts.mb} MB line without a newline`,
      format: 'jsonl' as const,
      head: '{"id":"first","text":"ok"}\n{"id":"long","text":"',
      fill: 'x',
      tail: '"}\n' + Array.from({ length: AFTER }, (_, i) => JSON.stringify({ id: `after${i}`, text: `row ${i}` })).join('\n') + '\n',
    },
    {
      name: `CSV, an unterminated quote running ${opts.mb} MB`,
      format: 'csv' as const,
      head: 'id,text\nfirst,ok\nlong,"never closed ',
      fill: 'q',
      tail: '\n' + Array.from({ length: AFTER }, (_, i) => `after${i},row ${i}`).join('\n') + '\n',
    },
  ];
  const out: Array<{ name: string; seconds: number; rssDeltaMB: number; errors: number; after: number }> = [];
  for (const c of cases) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.memoryUsage().rss;
    let peak = start;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
    const t = performance.now();
    let errors = 0;
    let after = 0;
    for await (const b of readImportFile(generated(c.head, c.fill, opts.mb, c.tail, sample), { platform: 'import', format: c.format })) {
      errors += b.errors.length;
      after += b.mentions.filter((m) => String(m.externalId).startsWith('after')).length;
      sample();
    }
    out.push({ name: c.name, seconds: (performance.now() - t) / 1000, rssDeltaMB: (peak - start) / 1048576, errors, after });
  }
  return out;
}
