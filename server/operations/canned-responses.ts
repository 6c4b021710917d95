import type { User } from '../../shared/auth.js';
import { NotFoundError } from '../../shared/errors.js';
import type { CannedResponse, CannedResponseInput } from '../../shared/reply.js';
import { audit, type OpsDeps } from './deps.js';

/** Saved replies: everyone reads them, managers edit them (the route checks the role); every change is audited. */
export const listCannedResponses = (deps: Pick<OpsDeps, 'store'>) => deps.store.cannedResponses.list();

export async function createCannedResponse(deps: OpsDeps, actor: User, input: CannedResponseInput): Promise<CannedResponse> {
  const now = deps.now().toISOString();
  const item = await deps.store.cannedResponses.create({ draft: { title: input.title, body: input.body, shortcut: input.shortcut ?? null, createdAt: now, updatedAt: now } });
  await audit(deps, actor, 'canned_response.created', 'canned_response', item.id, null, item);
  return item;
}

export async function updateCannedResponse(deps: OpsDeps, actor: User, id: string, input: CannedResponseInput, version: number): Promise<CannedResponse> {
  const current = await deps.store.cannedResponses.get({ id });
  if (!current) throw new NotFoundError(`No saved reply with id ${id}`);
  const item = await deps.store.cannedResponses.replace({ item: { ...current, ...input, shortcut: input.shortcut ?? null, updatedAt: deps.now().toISOString() }, expectedVersion: version });
  await audit(deps, actor, 'canned_response.updated', 'canned_response', item.id, current, item);
  return item;
}

export async function deleteCannedResponse(deps: OpsDeps, actor: User, id: string): Promise<void> {
  const current = await deps.store.cannedResponses.get({ id });
  if (!current || !(await deps.store.cannedResponses.delete({ id }))) throw new NotFoundError(`No saved reply with id ${id}`);
  await audit(deps, actor, 'canned_response.deleted', 'canned_response', id, current, null);
}
