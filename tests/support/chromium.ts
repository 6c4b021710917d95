import fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Debian's Chromium. In CI its absence is a failure, never a skip. */
export function findChromium(): string | null {
  const found = CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
  if (!found && process.env.CI === 'true') throw new Error('Chromium is required in CI (apt-get install chromium); .ci/run installs it.');
  return found;
}

/** Flags that keep Chromium off the (closed) network and working as root in a container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
