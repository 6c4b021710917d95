import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const DenyListSchema = z.object({
  packages: z.array(
    z
      .object({
        name: z.string().min(1),
        versions: z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]),
        reason: z.string().min(10, 'every denied package says why'),
      })
      .strict(),
  ),
});
export type DenyList = z.infer<typeof DenyListSchema>;

/** The shape of `npm ls --all --json`: each node's dependencies by name. */
export interface NpmLsNode {
  version?: string;
  dependencies?: Record<string, NpmLsNode>;
}

export interface DeniedHit {
  name: string;
  version: string;
  /** How it got in: the chain of packages from the root. */
  via: string[];
  reason: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function loadDenyList(file = path.join(ROOT, 'security/denied-packages.json')): DenyList {
  return DenyListSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Every denied package anywhere in the tree, with the path that brought it in. */
export function findDenied(tree: NpmLsNode, list: DenyList): DeniedHit[] {
  const rules = new Map(list.packages.map((p) => [p.name, p]));
  const hits: DeniedHit[] = [];
  const seen = new Set<NpmLsNode>();
  const walk = (node: NpmLsNode, via: string[]) => {
    if (seen.has(node)) return;
    seen.add(node);
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      const version = child.version ?? '?';
      const rule = rules.get(name);
      if (rule && (rule.versions === '*' || rule.versions.includes(version))) hits.push({ name, version, via: [...via, `${name}@${version}`], reason: rule.reason });
      walk(child, [...via, `${name}@${version}`]);
    }
  };
  walk(tree, []);
  return hits;
}
