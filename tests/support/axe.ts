import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser build, read once (require.resolve gives axe.js; the minified file sits beside it). */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core').replace(/axe\.js$/, 'axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page as it is now (the page's context needs bypassCSP: Hark allows no inline script) and returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> }> };
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<Result> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
}

/** A readable failure message: one line per violation with the elements it was found on. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  return `${where}: ${violations.length} serious/critical axe violation(s)\n` + violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.targets.slice(0, 8).join('\n    ')}`).join('\n');
}
