import { chromium } from 'playwright-core';
import { buildClientIfStale } from '../support/build-client.js';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.js';
import { spawnHark } from '../support/spawn-hark.js';

export interface WallHeapResult {
  seconds: number;
  rate: number;
  /** JS heap used after a forced GC, in MB: at start (after the first minute), middle and end. */
  heapMB: { start: number; middle: number; end: number };
  samples: Array<{ at: number; mb: number }>;
  mentionsStored: number | null;
  domNodes: { start: number; end: number };
}

/**
 * The big-screen wall's JS heap under load: a real server fed by the demo
 * simulator at `rate` mentions a second, the wall open in Chromium in
 * big-screen mode for one brand with every panel, for `seconds`. The heap is
 * read through the DevTools protocol after a forced garbage collection, so
 * the figures are what the page keeps, not what it has not freed yet. It
 * asserts nothing: the figures go to BENCHMARKS.md.
 */
export async function benchWallHeap(opts: { seconds: number; rate?: number; log?: (s: string) => void }): Promise<WallHeapResult | null> {
  const executablePath = findChromium();
  if (!executablePath) return null;
  const rate = opts.rate ?? 200;
  buildClientIfStale();
  const proc = await spawnHark({ SIMULATOR_RATE: String(rate), SIMULATOR_BRANDS: 'Acme Air,Nimbus Mobile,Brightbank' }, { startMs: 90_000 });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // A loaded machine at 200 mentions/s: the first page load can take a while.
    page.setDefaultTimeout(120_000);
    page.setDefaultNavigationTimeout(120_000);
    await page.goto(proc.url);
    const manager = proc.demo.find((d) => d.role === 'manager')!;
    await page.locator('input[type="email"]').fill(manager.email);
    await page.locator('input[type="password"]').fill(manager.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="queue-list"]').waitFor({ timeout: 30_000 });
    await page.goto(`${proc.url}/#/wall?screen=1&brands=Acme%20Air`);
    await page.locator('[data-testid="wall"][data-screen="1"]').waitFor({ timeout: 30_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      return Math.round((usedSize / 2 ** 20) * 10) / 10;
    };
    const nodes = () => page.evaluate(() => document.getElementsByTagName('*').length);
    // The screen must be showing its panels, or the heap says nothing about them.
    await page.locator('.wall-panel').first().waitFor({ timeout: 120_000 });
    const panels = await page.locator('.wall-panel').count();
    opts.log?.(`wall shows ${panels} panels`);
    const t0 = Date.now();
    const samples: Array<{ at: number; mb: number }> = [];
    // The first minute fills the caches and the first snapshots: "start" is after it (or a sixth of a short run).
    const warm = Math.min(60, opts.seconds / 6);
    const step = Math.max(10, Math.round(opts.seconds / 30));
    await page.waitForTimeout(warm * 1000);
    const startNodes = await nodes();
    samples.push({ at: Math.round((Date.now() - t0) / 1000), mb: await heap() });
    while (Date.now() - t0 < opts.seconds * 1000) {
      await page.waitForTimeout(Math.min(step * 1000, opts.seconds * 1000 - (Date.now() - t0)));
      samples.push({ at: Math.round((Date.now() - t0) / 1000), mb: await heap() });
      opts.log?.(`wall heap ${samples.at(-1)!.mb} MB at ${samples.at(-1)!.at} s`);
    }
    const endNodes = await nodes();
    const stored = await page.evaluate(async () => {
      const r = await fetch('/api/wall?minutes=1440');
      const b = (await r.json()) as { buckets: Array<{ negative: number; neutral: number; positive: number }> };
      return b.buckets.reduce((s, x) => s + x.negative + x.neutral + x.positive, 0);
    });
    const mid = samples[Math.floor(samples.length / 2)]!;
    return { seconds: opts.seconds, rate, heapMB: { start: samples[0]!.mb, middle: mid.mb, end: samples.at(-1)!.mb }, samples, mentionsStored: stored, domNodes: { start: startNodes, end: endNodes } };
  } finally {
    await browser.close();
    await proc.stop();
  }
}

if (process.argv[1]?.endsWith('wall-heap.ts')) {
  const quick = process.argv.includes('--quick');
  const r = await benchWallHeap({ seconds: quick ? 180 : 3600, log: (s) => process.stderr.write(`${s}\n`) });
  console.log(JSON.stringify(r, null, 1));
}
