import type { DemoAccount, User } from './auth.js';
import type { Mention } from './mention.js';
import type { MentionPage } from './mention-query.js';
import type { RollupBucket } from './store.js';

/** Response bodies of the HTTP API, shared by server and client. */
export interface HealthResponse {
  status: 'ok';
}
export interface SessionResponse {
  user: User;
}
export interface DemoInfoResponse {
  demo: boolean;
  accounts: DemoAccount[];
}
export type MentionListResponse = MentionPage;
export interface MentionResponse {
  mention: Mention;
}
export interface WallResponse {
  buckets: RollupBucket[];
}
export interface ImportResponse {
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** Line numbers are known for rows the parser refused; pipeline refusals carry null. */
  errors: Array<{ line: number | null; message: string }>;
  ms: number;
}
