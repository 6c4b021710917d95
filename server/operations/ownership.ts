import { roleAtLeast, type User } from '../../shared/auth.js';
import { ForbiddenError } from '../../shared/errors.js';

/**
 * The holder-or-manager rule, one for mentions and cases: what someone holds
 * is changed only by them or a manager, so an agent cannot take work from a
 * colleague, close it or bury it. Unheld work is anyone's.
 */
export function mustHoldOrManage(holderId: string | null, actor: User, what: 'mention' | 'case'): void {
  if (holderId && holderId !== actor.id && !roleAtLeast(actor.role, 'manager')) {
    throw new ForbiddenError(`Only the agent holding this ${what}, or a manager, can do that.`);
  }
}

/** Agents hand work only to themselves (or give it up); managers assign anyone. */
export function mustAssignSelfOrManage(assignee: string | null, actor: User, what: 'mention' | 'case'): void {
  if (!roleAtLeast(actor.role, 'manager') && assignee !== actor.id && assignee !== null) {
    throw new ForbiddenError(`Agents can assign ${what}s only to themselves.`);
  }
}
