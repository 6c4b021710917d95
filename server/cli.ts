import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseMapSpec, formatFromPath, readRecords } from '../connectors/files/index.js';
import { SentimentModel } from '../workers/nlp/model.js';
import { normalizeLabel, trainModel, type LabelledText } from '../workers/nlp/training.js';
import { PlatformSchema } from '../shared/mention.js';
import { createScorer } from '../workers/nlp/index.js';
import { createMemoryBus } from './bus/memory-bus.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { importFile } from './operations/import-file.js';
import { terminalProgress } from './cli-progress.js';
import { createIngestPath } from './ingest-path.js';
import { createLearner } from './learning/learner.js';
import { createNetworkConfig } from './connectors/network-config.js';
import { createSecretBox } from './secrets/secret-box.js';
import { createBullQueue } from './queue/bullmq-queue.js';
import { QUEUES } from '../shared/queues.js';
import { migrateSqliteToMongo } from './store/mongo/migrate-from-sqlite.js';
import type { MongoStore } from './store/mongo/mongo-store.js';
import { describeStore, openStore } from './store/open-store.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';

const USAGE = `Usage: npm run hark -- <command>

Commands:
  analyze [--model FILE]
      Reads JSONL {"id","text"} (optional "lang") on stdin and writes one JSONL line per
      input: id, lang, sentiment {label, score, confidence}, intent, influence-free reasons.
  train FILE --text-column NAME --label-column NAME [--lang-column NAME] --out FILE
      Trains a sentiment model from a labelled CSV or JSONL (labels negative/neutral/positive).
  import FILE [--platform NAME] [--format csv|jsonl] [--map field=column,...]
      Streams a CSV or JSONL file through the pipeline into the store.
      Fields: id, text, author, author_name, author_id, author_followers, author_verified,
      created_at, lang, url, likes, reposts, replies, in_reply_to, conversation_id, brand.
      Works with either store (STORE=sqlite, or STORE=mongo with MONGODB_URI).
  migrate --from sqlite --to mongo
      Copies the SQLite store in DATA_DIR into MongoDB at MONGODB_URI, keeping ids.
      Safe to re-run: it resumes where it stopped and never copies a record twice.
`;

class UsageError extends Error {}

function parseFlags(args: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`--${k} needs a value`);
      flags[k] = v;
    } else positional.push(a);
  }
  return { positional, flags };
}

async function importCommand(args: string[]) {
  const { positional, flags } = parseFlags(args);
  const file = positional[0];
  if (!file) throw new UsageError('import needs a FILE');
  for (const k of Object.keys(flags)) if (!['platform', 'format', 'map'].includes(k)) throw new UsageError(`unknown option --${k}`);
  const platform = PlatformSchema.safeParse(flags.platform ?? 'import');
  if (!platform.success) throw new UsageError(`--platform: ${platform.error.issues[0]!.message}`);
  const format = (flags.format ?? formatFromPath(file)) as 'csv' | 'jsonl' | undefined;
  if (format !== undefined && format !== 'csv' && format !== 'jsonl') throw new UsageError('--format must be csv or jsonl');
  let map: Record<string, string> | undefined;
  try {
    map = flags.map ? parseMapSpec(flags.map) : undefined;
  } catch (e) {
    throw new UsageError(`--map: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);

  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  if (config.redisUrl) return queueImport(file, { platform: platform.data, format, map }, config, log);
  const store = await openStore(config);
  const bus = createMemoryBus(log);
  const now = () => new Date();
  let ingestPath: Awaited<ReturnType<typeof createIngestPath>> | null = null;
  try {
    // The same path as the server's: the brands' learned models, the listening queries' brand words, the routing rules.
    const learner = createLearner({ store, log });
    await learner.load();
    ingestPath = await createIngestPath({ store, config, net: createNetworkConfig({ store, config, box: createSecretBox(config.secretKey), now }), bus, now, log, learned: learner, writeChunk: Number.POSITIVE_INFINITY });
    ingestPath.warm();
    // A progress line on a terminal only; a pipe or a file gets the summary alone.
    const result = await importFile(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), { platform: platform.data, format, map, batchSize: ingestPath.batchSize, maxLineBytes: config.importMaxLineBytes }, { ingest: ingestPath.sequence(), window: ingestPath.window, onProgress: process.stdout.isTTY ? terminalProgress(process.stdout) : undefined });
    const secs = result.ms / 1000;
    const rate = secs > 0 ? Math.round(result.received / secs) : result.received;
    process.stdout.write(
      `Stored ${result.stored} mentions from ${path.basename(file)} in ${secs.toFixed(1)} s ` +
        `(${result.received} read, ${result.duplicates} duplicates, ${result.rejected} rejected, ${rate}/s, scored in ${ingestPath.threads === 1 ? 'the main thread' : `${ingestPath.threads} threads`}) into ${describeStore(config)}\n`,
    );
    for (const e of result.errors.slice(0, 10)) process.stdout.write(`  ${e.line === null ? '' : `line ${e.line}: `}${e.message}\n`);
    if (result.errors.length > 10) process.stdout.write(`  … and ${result.rejected - 10} more\n`);
  } finally {
    await ingestPath?.close();
    await store.close();
  }
}

/**
 * Distributed mode: the file's batches go on the queue for the workers (as
 * many as run), each once Redis holds it; a worker that dies mid-batch
 * leaves it to another (the store dedupes what it had written).
 */
async function queueImport(file: string, opts: { platform: string; format: 'csv' | 'jsonl' | undefined; map: Record<string, string> | undefined }, config: ReturnType<typeof loadConfig>, log: ReturnType<typeof createLogger>) {
  const queue = createBullQueue({ url: config.redisUrl!, log, lockMs: config.queueLockMs });
  let batches = 0;
  try {
    const result = await importFile(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), { ...opts, batchSize: config.pipelineBatchSize, maxLineBytes: config.importMaxLineBytes }, {
      ingest: async (batch) => {
        await queue.addDurable(QUEUES.ingest, { source: `import:${path.basename(file)}`, mentions: batch });
        batches++;
        return { received: batch.length, stored: [], duplicates: 0, rejected: [] };
      },
    });
    process.stdout.write(`Queued ${result.received - result.rejected} mentions from ${path.basename(file)} in ${batches} batches for the workers (${result.rejected} rejected) in ${(result.ms / 1000).toFixed(1)} s\n`);
    for (const e of result.errors.slice(0, 10)) process.stdout.write(`  ${e.line === null ? '' : `line ${e.line}: `}${e.message}\n`);
  } finally {
    await queue.close();
  }
}

function loadModel(file: string | undefined): SentimentModel | null {
  if (!file) return null;
  if (!fs.existsSync(file)) throw new UsageError(`no such model file: ${file}`);
  try {
    return SentimentModel.load(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    throw new UsageError(`--model: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Streams stdin to stdout: one result line per input line, in order, with backpressure. */
async function analyzeCommand(args: string[]) {
  const { flags } = parseFlags(args);
  for (const k of Object.keys(flags)) if (k !== 'model') throw new UsageError(`unknown option --${k}`);
  const scorer = createScorer({ model: loadModel(flags.model) });
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const author = { id: null, handle: 'unknown', name: null, followers: 0, verified: false, url: null };
  const engagement = { likes: 0, reposts: 0, replies: 0 };
  let out: string[] = [];
  const flush = async () => {
    if (out.length === 0) return;
    const chunk = out.join('');
    out = [];
    if (!process.stdout.write(chunk)) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
  };
  let line = 0;
  for await (const raw of rl) {
    line++;
    if (!raw.trim()) continue;
    let rec: { id?: unknown; text?: unknown; lang?: unknown };
    try {
      rec = JSON.parse(raw) as typeof rec;
    } catch {
      out.push(JSON.stringify({ id: null, line, error: 'not valid JSON' }) + '\n');
      continue;
    }
    if (typeof rec.text !== 'string' || !rec.text) {
      out.push(JSON.stringify({ id: rec.id ?? null, line, error: 'text is required' }) + '\n');
      continue;
    }
    const r = scorer.score({ text: rec.text, lang: typeof rec.lang === 'string' ? rec.lang : null, author, engagement, brand: null });
    const { label, score, confidence } = r.scores.sentiment;
    out.push(
      JSON.stringify({
        id: rec.id ?? null,
        lang: r.lang,
        sentiment: { label, score, confidence },
        intent: r.scores.intent.label,
        reasons: [r.scores.sentiment.method, ...r.scores.intent.cues.map((c) => `intent cue: ${c}`), ...r.scores.risks.map((x) => `risk: ${x}`)],
      }) + '\n',
    );
    if (out.length >= 1000) await flush();
  }
  await flush();
}

async function trainCommand(args: string[]) {
  const { positional, flags } = parseFlags(args);
  const file = positional[0];
  if (!file) throw new UsageError('train needs a FILE');
  for (const k of Object.keys(flags)) if (!['text-column', 'label-column', 'lang-column', 'out', 'format'].includes(k)) throw new UsageError(`unknown option --${k}`);
  const textCol = flags['text-column'] ?? 'text';
  const labelCol = flags['label-column'] ?? 'label';
  if (!flags.out) throw new UsageError('train needs --out FILE');
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const rows: LabelledText[] = [];
  let skipped = 0;
  const started = performance.now();
  for await (const { record } of readRecords(fs.createReadStream(file), (flags.format as 'csv' | 'jsonl' | undefined) ?? formatFromPath(file))) {
    const text = record?.[textCol];
    const label = normalizeLabel(record?.[labelCol]);
    if (typeof text !== 'string' || !text.trim() || !label) {
      skipped++;
      continue;
    }
    const lang = flags['lang-column'] ? record?.[flags['lang-column']] : null;
    rows.push({ text, label, lang: typeof lang === 'string' && /^[a-z]{2}$/i.test(lang) ? lang : null });
  }
  if (rows.length === 0) throw new UsageError(`no usable rows: check --text-column ${textCol} and --label-column ${labelCol}`);
  const model = trainModel(rows);
  fs.writeFileSync(flags.out, JSON.stringify(model.save()));
  const counts = ['negative', 'neutral', 'positive'].map((l) => `${rows.filter((r) => r.label === l).length} ${l}`).join(', ');
  process.stdout.write(`Trained on ${rows.length} rows (${counts}; ${skipped} skipped) in ${((performance.now() - started) / 1000).toFixed(1)} s → ${flags.out}\n`);
}

async function migrateCommand(args: string[]) {
  const { positional, flags } = parseFlags(args);
  if (positional.length) throw new UsageError(`migrate takes no arguments (got ${positional[0]})`);
  for (const k of Object.keys(flags)) if (!['from', 'to'].includes(k)) throw new UsageError(`unknown option --${k}`);
  if (flags.from !== 'sqlite' || flags.to !== 'mongo') throw new UsageError('migrate copies --from sqlite --to mongo');
  const config = loadConfig({ ...process.env, STORE: 'mongo' });
  const file = path.join(config.dataDir, 'hark.sqlite');
  if (!fs.existsSync(file)) throw new UsageError(`no SQLite store at ${file} (set DATA_DIR to the embedded install's data directory)`);
  // Opening it brings its schema up to date (as starting Hark on it would), so the copy reads the current shape.
  await openSqliteStore({ file }).close();
  const store = (await openStore(config)) as MongoStore;
  const started = performance.now();
  try {
    const results = await migrateSqliteToMongo({
      file,
      store,
      onProgress: (p) => process.stdout.write(`${p.done ? 'done' : '    '} ${p.table}: ${p.copied}/${p.total}${p.skipped ? ` (${p.skipped} already in MongoDB under another id, kept)` : ''}\n`),
    });
    const n = results.reduce((a, r) => a + r.copied, 0);
    process.stdout.write(`Copied ${n} records from ${file} into ${describeStore(config)} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await store.close();
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'migrate':
      return migrateCommand(rest);
    case 'import':
      return importCommand(rest);
    case 'analyze':
      return analyzeCommand(rest);
    case 'train':
      return trainCommand(rest);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return;
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n\n${err instanceof UsageError ? USAGE : ''}`);
    process.exit(2);
  }
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
