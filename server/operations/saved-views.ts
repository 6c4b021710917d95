import type { User } from '../../shared/auth.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { SAVED_VIEW_COUNT_CAP, SAVED_VIEWS_MAX, type SavedView, type SavedViewList, type SavedViewWithCount } from '../../shared/saved-view.js';
import type { z } from 'zod';
import type { NewSavedViewSchema } from '../../shared/saved-view.js';
import type { OpsDeps } from './deps.js';

const withCount = async (deps: Pick<OpsDeps, 'store'>, view: SavedView): Promise<SavedViewWithCount> => ({
  ...view,
  count: await deps.store.mentions.countMatching({ filters: view.filters, cap: SAVED_VIEW_COUNT_CAP }),
});

/** The signed-in user's views, each with how many mentions match it now (counted by the store, up to the cap). */
export async function listSavedViews(deps: Pick<OpsDeps, 'store'>, user: User): Promise<SavedViewList> {
  const views = await deps.store.savedViews.list({ userId: user.id });
  return { items: await Promise.all(views.map((v) => withCount(deps, v))), max: SAVED_VIEWS_MAX };
}

/**
 * Saves a view for the signed-in user. The limit is read before the write: two
 * saves racing at the limit may both pass, leaving one view over it, which is
 * harmless (the limit keeps the list and its counts small, it guards nothing).
 */
export async function createSavedView(deps: Pick<OpsDeps, 'store' | 'now'>, user: User, input: z.output<typeof NewSavedViewSchema>): Promise<SavedViewWithCount> {
  if ((await deps.store.savedViews.count({ userId: user.id })) >= SAVED_VIEWS_MAX) {
    throw new ConflictError(`You already have ${SAVED_VIEWS_MAX} saved views; delete one first.`, { field: 'name' });
  }
  const view = await deps.store.savedViews.create({ view: { userId: user.id, name: input.name, filters: input.filters, createdAt: deps.now().toISOString() } });
  return withCount(deps, view);
}

/** Only the user's own: the store removes by id and user together, so another user's id is "not found". */
export async function deleteSavedView(deps: Pick<OpsDeps, 'store'>, user: User, id: string): Promise<void> {
  if (!(await deps.store.savedViews.remove({ userId: user.id, id }))) throw new NotFoundError('No such saved view');
}
