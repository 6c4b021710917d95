/** A listening query, parsed. One language for every network. */
export type QueryNode =
  | { kind: 'word'; value: string }
  | { kind: 'phrase'; words: string[] }
  | { kind: 'field'; field: 'from' | 'to' | 'lang' | 'network'; value: string }
  | { kind: 'near'; left: Term; right: Term; distance: number }
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode };

export type Term = Extract<QueryNode, { kind: 'word' } | { kind: 'phrase' }>;

export interface QueryError {
  message: string;
  /** 0-based character offset in the query text. */
  position: number;
}
