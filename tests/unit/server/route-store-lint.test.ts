import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

// The house rule "routes call operations, never the store" is enforced by eslint.config.js; these prove the rule bites.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfigFile: `${root}eslint.config.js` });

const errorsOf = async (code: string, filePath: string) => {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result!.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
};

const header = `import { Router } from 'express';\nimport type { OpsDeps } from '../../operations/deps.js';\n`;
const typesOnly = `import type { OpsDeps } from '../../operations/deps.js';\n`;
const touching = `${header}export function probeRoutes(deps: OpsDeps) {\n  const r = Router();\n  r.get('/', async (_req, res) => {\n    res.json(await deps.store.users.list());\n  });\n  return r;\n}\n`;
const destructuring = `${typesOnly}export function probeRoutes(deps: OpsDeps) {\n  const { store } = deps;\n  return store;\n}\n`;
const computed = `${typesOnly}export function probeRoutes(deps: OpsDeps) {\n  return deps['store'];\n}\n`;
const clean = `${header}import { listUsers } from '../../operations/accounts.js';\nexport function probeRoutes(deps: OpsDeps) {\n  const r = Router();\n  r.get('/', async (_req, res) => {\n    res.json({ items: await listUsers(deps), cache: 'no-store' });\n  });\n  return r;\n}\n`;

describe('lint: routes never touch the store', () => {
  it('refuses deps.store in a route file', async () => {
    const errors = await errorsOf(touching, 'server/http/routes/probe-routes.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^no-restricted-syntax: Routes do not touch the store/);
  });

  it('refuses destructuring and computed access to the store', async () => {
    expect(await errorsOf(destructuring, 'server/http/routes/probe-routes.ts')).toEqual([expect.stringMatching(/^no-restricted-syntax: Routes do not touch the store/)]);
    expect(await errorsOf(computed, 'server/http/routes/nested/probe-routes.ts')).toEqual([expect.stringMatching(/^no-restricted-syntax: Routes do not touch the store/)]);
  });

  it('passes a route that calls an operation', async () => {
    expect(await errorsOf(clean, 'server/http/routes/probe-routes.ts')).toEqual([]);
  });

  it('leaves operations free to use the store', async () => {
    expect(await errorsOf(touching.replace("'../../operations/deps.js'", "'./deps.js'"), 'server/operations/probe.ts')).toEqual([]);
  });

  it('refuses raw settings documents outside the store adapters and the settings registry', async () => {
    const raw = `import type { OpsDeps } from './deps.js';\nexport const teams = (deps: OpsDeps) => deps.store.settings.get({ key: 'teams' });\n`;
    expect(await errorsOf(raw, 'server/operations/probe.ts')).toEqual([expect.stringMatching(/^no-restricted-syntax: Settings are read and written through server\/settings\/registry\.ts/)]);
    expect(await errorsOf(raw.replace("'./deps.js'", "'../operations/deps.js'"), 'server/settings/probe.ts')).toEqual([]);
  });
});
