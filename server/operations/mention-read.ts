import type { MentionListResponse, MentionResponse } from '../../shared/api.js';
import { NotFoundError } from '../../shared/errors.js';
import type { MentionQuery } from '../../shared/mention-query.js';
import type { OpsDeps } from './deps.js';

export const listMentions = (deps: Pick<OpsDeps, 'store'>, query: MentionQuery): Promise<MentionListResponse> => deps.store.mentions.list(query);

export async function getMention(deps: Pick<OpsDeps, 'store'>, id: string): Promise<MentionResponse> {
  const mention = await deps.store.mentions.get({ id });
  if (!mention) throw new NotFoundError(`No mention with id ${id}`);
  return { mention };
}
