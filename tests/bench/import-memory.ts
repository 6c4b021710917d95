import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/spawn-hark.js';

export interface ImportMemoryResult {
  fileMB: number;
  lines: number;
  seconds: number;
  peakRssMB: number;
  output: string;
}

/**
 * Imports a generated JSONL file with the CLI under a small V8 heap cap (a
 * leak or a whole-file buffer would crash it) and samples resident memory.
 */
export const HEAP_CAP_MB = 128;

export async function benchImportMemory(targetMB: number): Promise<ImportMemoryResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-bench-import-'));
  const file = path.join(dir, 'big.jsonl');
  const out = fs.createWriteStream(file);
  const texts = ['Flight delayed again and nobody at the desk knows why', 'Thanks for the quick refund, great service', '¿Alguien sabe cómo cambiar el asiento?', 'Die App stürzt beim Login ab', 'Where can I buy a gift card?'];
  let lines = 0;
  let bytes = 0;
  while (bytes < targetMB * 1048576) {
    const line = JSON.stringify({ id: `big-${lines}`, text: `${texts[lines % texts.length]} #${lines}`, author: `user${lines % 9999}`, author_followers: (lines * 7919) % 250_000, created_at: new Date(1_764_000_000_000 - lines * 1000).toISOString() }) + '\n';
    bytes += Buffer.byteLength(line);
    lines++;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));

  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', file], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'error', NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}` } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let peak = 0;
  // tsx runs the CLI in a child node process: sample the whole process tree.
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssKb(child.pid!))), 100);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearInterval(sampler);
  fs.rmSync(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`import failed (${code}): ${output}`);
  return { fileMB: bytes / 1048576, lines, seconds: (performance.now() - started) / 1000, peakRssMB: peak / 1024, output: output.trim() };
}

/** The process and all its descendants (tsx runs the script in a child node). */
export function treePids(root: number): number[] {
  const all = [root];
  for (let i = 0; i < all.length; i++) {
    try {
      const kids = fs.readFileSync(`/proc/${all[i]}/task/${all[i]}/children`, 'utf8').trim();
      if (kids) all.push(...kids.split(/\s+/).map(Number));
    } catch {
      // gone
    }
  }
  return all;
}

/** Resident memory of a process tree, in KiB. */
export function treeRssKb(root: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  let total = 0;
  for (const pid of treePids(root)) {
    try {
      total += Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited between listing and reading
    }
  }
  return total;
}
