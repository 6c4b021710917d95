import fs from 'node:fs';
import path from 'node:path';
import { parseMapSpec, formatFromPath } from '../connectors/files/index.js';
import { PlatformSchema } from '../shared/mention.js';
import { createScorer } from '../workers/nlp/index.js';
import { runIngest } from '../workers/pipeline/run-ingest.js';
import { createMemoryBus } from './bus/memory-bus.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { importFile } from './operations/import-file.js';
import { openStore } from './store/open-store.js';

const USAGE = `Usage: npm run hark -- <command>

Commands:
  import FILE [--platform NAME] [--format csv|jsonl] [--map field=column,...]
      Streams a CSV or JSONL file through the pipeline into the store in DATA_DIR.
      Fields: id, text, author, author_name, author_id, author_followers, author_verified,
      created_at, lang, url, likes, reposts, replies, in_reply_to, conversation_id, brand.
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
  const store = openStore(config);
  const scorer = createScorer({ brands: config.simulator.brands });
  const bus = createMemoryBus(log);
  try {
    const result = await importFile(
      fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
      { platform: platform.data, format, map, batchSize: config.pipelineBatchSize },
      { ingest: (batch) => runIngest(batch, { mentions: store.mentions, scorer, bus, now: () => new Date(), log }) },
    );
    const secs = result.ms / 1000;
    const rate = secs > 0 ? Math.round(result.received / secs) : result.received;
    process.stdout.write(
      `Stored ${result.stored} mentions from ${path.basename(file)} in ${secs.toFixed(1)} s ` +
        `(${result.received} read, ${result.duplicates} duplicates, ${result.rejected} rejected, ${rate}/s) into ${config.dataDir}\n`,
    );
    for (const e of result.errors.slice(0, 10)) process.stdout.write(`  ${e.line === null ? '' : `line ${e.line}: `}${e.message}\n`);
    if (result.errors.length > 10) process.stdout.write(`  … and ${result.rejected - 10} more\n`);
  } finally {
    await store.close();
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'import':
      return importCommand(rest);
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
