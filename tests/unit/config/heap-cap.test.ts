import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, START_NODE_FLAGS } from '../../support/spawn-hark.js';

// The server's heap cap bounds its memory during imports (BENCHMARKS.md, Server import): npm start,
// the Docker image and the tests' spawned servers must run with the same one.
describe('the server runs with one V8 heap cap everywhere', () => {
  it('npm start sets it, and the Dockerfile entrypoint sets the same', () => {
    expect(START_NODE_FLAGS).toEqual([expect.stringMatching(/^--max-old-space-size=\d+$/)]);
    const docker = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const entry = /^ENTRYPOINT (\[.*\])$/m.exec(docker)?.[1];
    expect(entry).toBeDefined();
    expect(JSON.parse(entry!)).toEqual(['node', ...START_NODE_FLAGS, '--import', 'tsx', 'server/main.ts']);
  });
});
