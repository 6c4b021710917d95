import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateMentions } from '../../connectors/demo/index.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { ROOT } from '../support/spawn-hark.js';
import { treeRssKb } from './import-memory.js';
import { loadDevMentions } from './dev-texts.js';

export interface CliImportRow {
  /** PIPELINE_THREADS as given to the CLI; null: unset (one per core). */
  threads: number | null;
  seconds: number;
  perSecond: number;
  peakRssMB: number;
  output: string;
}
export interface CliImportResult {
  source: string;
  lines: number;
  fileMB: number;
  rows: CliImportRow[];
}

/**
 * `npm run hark -- import` of real posts (the dev sets, cycled with new ids,
 * written to a temporary JSONL file first): wall time from the spawn to the
 * exit, start-up included, into a fresh SQLite data directory, once per
 * PIPELINE_THREADS setting, in one run.
 */
export async function benchCliImport(lines: number, settings: Array<number | null>): Promise<CliImportResult> {
  let base: RawMention[] = await loadDevMentions();
  let source = 'real posts from ../shared/data';
  if (base.length === 0) {
    base = generateMentions(20_000, { brands: ['Acme Air', 'Nimbus Mobile'], seed: 7 });
    source = 'simulator (../shared/data absent)';
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-bench-cli-'));
  const file = path.join(dir, 'posts.jsonl');
  const out = fs.createWriteStream(file);
  for (let i = 0; i < lines; i++) {
    const m = base[i % base.length]!;
    const line = JSON.stringify({ id: `${m.externalId}#${Math.floor(i / base.length)}`, text: m.text, author: m.author?.handle, author_followers: m.author?.followers, lang: m.lang ?? undefined, created_at: m.createdAt }) + '\n';
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const fileMB = fs.statSync(file).size / 1048576;
  const rows: CliImportRow[] = [];
  try {
    for (const threads of settings) {
      const data = fs.mkdtempSync(path.join(dir, 'data-'));
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: data, LOG_LEVEL: 'error', SIMULATOR: 'off' };
      if (threads === null) delete env.PIPELINE_THREADS;
      else env.PIPELINE_THREADS = String(threads);
      const started = performance.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', file], { cwd: ROOT, env });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, treeRssKb(child.pid!))), 100);
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      fs.rmSync(data, { recursive: true, force: true });
      if (code !== 0 || !new RegExp(`Stored ${lines} mentions`).test(output)) throw new Error(`import (PIPELINE_THREADS=${threads ?? 'unset'}) failed (${code}): ${output}`);
      rows.push({ threads, seconds, perSecond: lines / seconds, peakRssMB: peak / 1024, output: output.trim().split('\n')[0]! });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { source, lines, fileMB, rows };
}
