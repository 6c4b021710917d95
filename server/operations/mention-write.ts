import { ConflictError, isHarkError, NotFoundError } from '../../shared/errors.js';
import type { Mention } from '../../shared/mention.js';
import type { OpsDeps } from './deps.js';

/** Compare-and-set write of one mention on the version the caller saw, published to every open queue. */
export async function changeMention(deps: OpsDeps, id: string, version: number, change: (m: Mention) => Mention): Promise<Mention> {
  const m = await deps.store.mentions.get({ id });
  if (!m) throw new NotFoundError(`No mention with id ${id}`);
  if (m.version !== version) throw new ConflictError('This mention changed since you loaded it', { mention: m });
  try {
    const saved = await deps.store.mentions.replace({ mention: change(m), expectedVersion: version });
    deps.bus.publish('mentions.updated', { mentions: [saved] });
    return saved;
  } catch (e) {
    if (isHarkError(e) && e.code === 'conflict') throw new ConflictError('This mention changed since you loaded it', { mention: await deps.store.mentions.get({ id }) });
    throw e;
  }
}
