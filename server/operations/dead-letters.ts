import type { User } from '../../shared/auth.js';
import { NotFoundError } from '../../shared/errors.js';
import type { DeadLetter, QueuePort } from '../../shared/queues.js';
import { audit, type OpsDeps } from './deps.js';

/** Jobs that failed for good, newest first (admins and managers look here after an import or a connector went wrong). */
export const listDeadLetters = (queue: QueuePort, limit: number): Promise<DeadLetter[]> => queue.deadLetters({ limit });

/** Puts a dead letter back on its queue, once the cause is fixed; audited. */
export async function retryDeadLetter(deps: OpsDeps & { queue: QueuePort }, actor: User, id: string): Promise<void> {
  if (!(await deps.queue.retryDeadLetter({ id }))) throw new NotFoundError(`No dead letter with id ${id}`);
  await audit(deps, actor, 'queue.dead_letter_retried', 'queue', id, null, { id });
}
