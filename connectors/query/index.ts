export type { QueryNode, QueryError, Term } from './ast.js';
export { parseQuery, isQueryError } from './parse.js';
export { matchesListeningQuery, type Matchable } from './match.js';
export { compileForX, compileForReddit, compileForBluesky, compileForMastodon, compileFor, networksOf, type Compiled } from './compile.js';
export { queriesFor } from './for-network.js';
