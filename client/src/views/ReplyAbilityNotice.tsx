import { useEffect, useState } from 'react';
import type { ReplyAbilities, ReplyAbility } from '../../../shared/networks.js';
import { get } from '../api/client';

/**
 * Whether replies on a platform can be posted now (X without the brand
 * account's user context cannot). Null while unknown: the composer is never
 * held up by the question.
 */
export function useReplyAbility(platform: string, when: boolean): ReplyAbility | null {
  const [all, setAll] = useState<ReplyAbilities | null>(null);
  useEffect(() => {
    if (!when) return;
    let live = true;
    get<ReplyAbilities>('/api/networks/replies').then(
      (a) => live && setAll(a),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [when, platform]);
  if (!all) return null;
  return all[platform] ?? { canReply: false, via: null, reason: `No connector can post replies on ${platform} right now.` };
}

/** Said at the top of the composer, before the agent types a word. */
export function ReplyAbilityNotice({ ability }: { ability: ReplyAbility | null }) {
  if (!ability || ability.canReply) return null;
  return (
    <p className="danger" role="alert" data-testid="reply-not-possible">
      {ability.reason ?? 'Replies cannot be sent on this network now.'}
    </p>
  );
}
