import type { TwitterApi } from 'twitter-api-v2';

export interface StreamRule {
  value: string;
  /** `hark:<query id>`: how a delivered post is traced back to its listening query. */
  tag: string;
}
export interface ExistingRule extends StreamRule {
  id: string;
}

export const TAG_PREFIX = 'hark:';
export const tagFor = (queryId: string) => `${TAG_PREFIX}${queryId}`;
export const queryIdOf = (tag: string | undefined) => (tag?.startsWith(TAG_PREFIX) ? tag.slice(TAG_PREFIX.length) : null);

/**
 * What to change so the stream's rules are exactly Hark's queries: only the
 * difference, because every rule change briefly disturbs the stream and counts
 * against a rate limit. Rules Hark did not create (no `hark:` tag) are left alone.
 */
export function diffRules(existing: readonly ExistingRule[], desired: readonly StreamRule[]): { add: StreamRule[]; deleteIds: string[] } {
  const key = (r: StreamRule) => `${r.tag}\u0000${r.value}`;
  const want = new Set(desired.map(key));
  const have = new Map<string, ExistingRule>();
  const deleteIds: string[] = [];
  for (const r of existing) {
    if (!queryIdOf(r.tag)) continue;
    // A duplicate of a rule already kept is removed too.
    if (!want.has(key(r)) || have.has(key(r))) deleteIds.push(r.id);
    else have.set(key(r), r);
  }
  return { add: desired.filter((r) => !have.has(key(r))), deleteIds };
}

export interface RuleSyncResult {
  added: number;
  deleted: number;
  /** Rules X refused (too long, bad syntax), by query id. */
  rejected: Array<{ queryId: string | null; reason: string }>;
}

export async function syncStreamRules(client: TwitterApi, desired: readonly StreamRule[]): Promise<RuleSyncResult> {
  const current = await client.v2.streamRules();
  const existing = (current.data ?? []).map((r) => ({ id: r.id, value: r.value, tag: r.tag ?? '' }));
  const { add, deleteIds } = diffRules(existing, desired);
  const rejected: RuleSyncResult['rejected'] = [];
  if (deleteIds.length) await client.v2.updateStreamRules({ delete: { ids: deleteIds } });
  let added = 0;
  if (add.length) {
    const r = await client.v2.updateStreamRules({ add });
    added = r.meta.summary.created;
    for (const e of ((r as { errors?: unknown[] }).errors ?? []) as Array<{ value?: string; details?: string[]; title?: string }>) {
      const rule = add.find((a) => a.value === e.value);
      rejected.push({ queryId: queryIdOf(rule?.tag), reason: e.details?.join('; ') ?? e.title ?? 'rejected by X' });
    }
  }
  return { added, deleted: deleteIds.length, rejected };
}
