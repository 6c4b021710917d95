import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/spawn-hark.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-cli-progress-'));
const file = path.join(dir, 'posts.jsonl');
fs.writeFileSync(file, Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `p${i}`, text: `Where is my refund ${i}` })).join('\n') + '\n');
// The terminal's "erase to end of line", built so the patterns below hold no control characters.
const ESC = String.fromCharCode(27);
const wipe = `\r${ESC}[K`;
const cli = `${JSON.stringify(process.execPath)} --import tsx server/cli.ts import ${JSON.stringify(file)}`;

describe('npm run hark -- import: progress', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('draws a progress line (rows, stored, rate) on a terminal, wiped before the summary', async () => {
    // script(1) gives the CLI a pseudo-terminal, as a person's shell would.
    const { stdout } = await run('script', ['-qec', cli, '/dev/null'], { cwd: ROOT, env: { ...process.env, DATA_DIR: path.join(dir, 'tty'), LOG_LEVEL: 'warn' } });
    expect(stdout.split(wipe).some((part) => /^[\d,]+ rows, [\d,]+ stored, [\d,]+\/s$/.test(part))).toBe(true);
    expect(stdout).toContain(`${wipe}Stored 3000 mentions from posts.jsonl`);
  }, 60_000);

  it('prints the summary alone when stdout is not a terminal', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', file], { cwd: ROOT, env: { ...process.env, DATA_DIR: path.join(dir, 'pipe'), LOG_LEVEL: 'warn' } });
    expect(stdout).not.toContain('\r');
    expect(stdout).not.toContain(ESC);
    expect(stdout).toMatch(/^Stored 3000 mentions from posts\.jsonl in \d+\.\d s/);
  }, 60_000);
});
