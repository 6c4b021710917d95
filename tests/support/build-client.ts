import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The e2e suite serves the built client: build it when the sources are newer than the build. */
export function buildClientIfStale() {
  const dist = path.join(root, 'client/dist/index.html');
  const newest = newestMtime(path.join(root, 'client/src'), path.join(root, 'shared'), path.join(root, 'client/index.html'));
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newest) return;
  // vitest sets NODE_ENV=test, which would make vite bundle React's development build.
  execFileSync('npx', ['vite', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

function newestMtime(...paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    if (!fs.existsSync(p)) continue;
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const f of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, f)));
    else newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}
