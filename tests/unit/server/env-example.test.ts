import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_NAMES, loadConfig } from '../../../server/config.js';
import { ROOT } from '../../support/spawn-hark.js';

describe('.env.example and docker-compose.yml', () => {
  const example = fs.readFileSync(`${ROOT}/.env.example`, 'utf8');
  const names = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);

  it('.env.example lists every variable of server/config.ts, and nothing else', () => {
    expect([...names].sort()).toEqual([...ENV_NAMES].sort());
  });

  it('its values are valid as they stand', () => {
    const env = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(loadConfig(env).store).toBe('sqlite');
  });

  it('compose runs every Hark role on MongoDB with no shared data volume', () => {
    const compose = fs.readFileSync(`${ROOT}/docker-compose.yml`, 'utf8');
    expect(compose).toMatch(/^ {2}mongo:\n(?: {4}.*\n)*? {4}healthcheck:/m);
    expect(compose).toMatch(/STORE: mongo/);
    expect(compose).toMatch(/MONGODB_URI: \$\{MONGODB_URI:-mongodb:\/\/mongo:27017\/hark\}/);
    expect(compose).not.toMatch(/DATA_DIR|hark-data/);
    for (const role of ['api', 'worker', 'connectors']) expect(compose).toMatch(new RegExp(`^ {2}${role}:\\n {4}<<: \\*hark`, 'm'));
  });
});
