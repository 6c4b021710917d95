import { z } from 'zod';
import { MentionQuerySchema, type MentionQuery } from './mention-query.js';

/** How many views one user may keep. */
export const SAVED_VIEWS_MAX = 30;
/** Counts of a view's mentions stop here: past it the UI shows "1000+". */
export const SAVED_VIEW_COUNT_CAP = 1000;

/** The queue's filters as a view keeps them: the queue's own query, without the page (limit, cursor). */
export type SavedViewFilters = Omit<MentionQuery, 'limit' | 'cursor'>;

export interface SavedView {
  id: string;
  userId: string;
  name: string;
  filters: SavedViewFilters;
  createdAt: string;
}

/** POST /api/views: the filters are the same query-string values GET /api/mentions takes. */
export const NewSavedViewSchema = z
  .object({
    name: z.string().trim().min(1, 'name must not be empty').max(60),
    filters: MentionQuerySchema.transform(({ limit: _limit, cursor: _cursor, ...rest }): SavedViewFilters => rest),
  })
  .strict();
export type NewSavedViewInput = z.input<typeof NewSavedViewSchema>;

/** `n` matching mentions now; `more` when there are more than the cap (then `n` is the cap). */
export interface ViewCount {
  n: number;
  more: boolean;
}

export interface SavedViewWithCount extends SavedView {
  count: ViewCount;
}

export interface SavedViewList {
  items: SavedViewWithCount[];
  max: number;
}
