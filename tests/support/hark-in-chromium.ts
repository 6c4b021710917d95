import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { signInAs, signInOverApi, type DemoRole } from './browser-sign-in.js';
import { buildClientIfStale } from './build-client.js';
import { CHROMIUM_ARGS, findChromium } from './chromium.js';
import { spawnHark, type SpawnedHark } from './spawn-hark.js';

export interface HarkInChromium {
  proc: SpawnedHark;
  browser: Browser;
  /** Uncaught errors of every page opened through `openPage`; the tests expect none. */
  pageErrors: string[];
  /**
   * A page in a context of its own (its own cookies) whose errors land in `pageErrors`; signed in as `role` if given,
   * through the sign-in form (the page is left on the queue) or, `via: 'api'`, over the API only (no page loaded).
   */
  openPage(opts?: { role?: DemoRole; via?: 'form' | 'api'; context?: BrowserContextOptions }): Promise<Page>;
  /** Closes the browser, then stops Hark. */
  close(): Promise<void>;
}

export type HarkInChromiumWithPage = HarkInChromium & { page: Page };

export interface StartOptions {
  /** Environment of the spawned Hark (on top of spawnHark's defaults). */
  env?: Record<string, string>;
  /** Runs once Hark listens, before Chromium starts (setup that needs `proc.url`). */
  onStarted?: (proc: SpawnedHark) => unknown;
}

/**
 * The start of every e2e file: the client built if stale, Hark spawned, headless Chromium launched.
 * Call it only inside `describe.skipIf(!findChromium())`: that guard decides skip or (under CI) failure.
 * If a step fails, what was started is stopped here, since the caller never gets the handle to close.
 */
export async function startHarkInChromium({ env = {}, onStarted }: StartOptions = {}): Promise<HarkInChromium> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found: guard the describe with describe.skipIf(!findChromium())');
  buildClientIfStale();
  const proc = await spawnHark(env);
  let browser: Browser;
  try {
    await onStarted?.(proc);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  } catch (e) {
    await proc.stop();
    throw e;
  }
  const pageErrors: string[] = [];
  return {
    proc,
    browser,
    pageErrors,
    async openPage({ role, via = 'form', context } = {}) {
      const page = await (await browser.newContext(context)).newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      if (role && via === 'api') await signInOverApi(page.request, proc, role);
      else if (role) await signInAs(page, proc, role);
      return page;
    },
    async close() {
      try {
        await browser.close();
      } finally {
        await proc.stop();
      }
    },
  };
}

/** `startHarkInChromium` plus one page (at `viewport` if given), signed in as `role` if given. */
export async function openHarkInChromium(opts: StartOptions & { role?: DemoRole; viewport?: { width: number; height: number } } = {}): Promise<HarkInChromiumWithPage> {
  const hark = await startHarkInChromium(opts);
  try {
    const page = await hark.openPage({ role: opts.role, context: opts.viewport ? { viewport: opts.viewport } : undefined });
    return { ...hark, page };
  } catch (e) {
    await hark.close();
    throw e;
  }
}
