import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDenied, loadDenyList, type NpmLsNode } from '../support/denied-packages.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('supply chain: no denied package anywhere in the dependency tree', () => {
  const list = loadDenyList();

  it('the walker finds denied packages deep in a tree, by name or exact version, with the path that brought them', () => {
    const tree = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/npm-ls-with-denied.json'), 'utf8')) as NpmLsNode;
    const hits = findDenied(tree, list);
    expect(hits.map((h) => `${h.name}@${h.version}`).sort()).toEqual(['event-stream@3.3.6', 'flatmap-stream@0.1.1', 'request@2.88.2', 'snoowrap@1.23.0']);
    expect(hits.find((h) => h.name === 'request')!.via).toEqual(['old-scraper@1.0.0', 'snoowrap@1.23.0', 'request@2.88.2']);
    // event-stream 4.0.1 and uuid 11 are not denied: only the listed versions are.
    expect(hits.some((h) => h.version === '4.0.1' || h.name === 'uuid')).toBe(false);
  });

  it('every entry of the deny-list gives a reason', () => {
    expect(list.packages.length).toBeGreaterThanOrEqual(10);
    for (const p of ['request', 'request-promise', 'snoowrap', 'node-uuid', 'event-stream', 'flatmap-stream', 'left-pad', 'har-validator', 'querystring']) {
      expect(list.packages.map((x) => x.name)).toContain(p);
    }
  });

  it('npm ls --all of this repository holds none of them', () => {
    const res = spawnSync('npm', ['ls', '--all', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // npm ls exits non-zero on extraneous or missing packages but still prints the tree.
    const tree = JSON.parse(res.stdout) as NpmLsNode;
    expect(Object.keys(tree.dependencies ?? {}).length).toBeGreaterThan(10);
    const hits = findDenied(tree, list);
    expect(hits.map((h) => `${h.via.join(' > ')}: ${h.reason}`)).toEqual([]);
  }, 60_000);

  it('@socket.io/redis-adapter, imported nowhere, is gone from package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(pkg.dependencies?.['@socket.io/redis-adapter']).toBeUndefined();
  });
});
