import type { Logger } from '../../shared/log.js';
import type { QueryNode } from './ast.js';
import { compileFor, networksOf } from './compile.js';
import { isQueryError, parseQuery } from './parse.js';

/**
 * The listening queries one network runs: parsed (an invalid one is logged
 * and skipped), kept only where their `network:` filters allow it, with the
 * network's own search string (null when the network cannot search it; the
 * query still filters what other feeds bring).
 */
export function queriesFor<Q extends { id: string; query: string }>(network: 'x' | 'reddit' | 'bluesky' | 'mastodon', queries: readonly Q[], log: Logger): Array<Q & { tree: QueryNode; search: string | null }> {
  return queries.flatMap((q) => {
    const tree = parseQuery(q.query);
    if (isQueryError(tree)) {
      log.error('listening query is invalid', { query: q.id, error: tree.message, position: tree.position });
      return [];
    }
    const nets = networksOf(tree);
    if (nets !== 'any' && !nets.has(network)) return [];
    return [{ ...q, tree, search: compileFor(network, tree).q }];
  });
}
