import type { User } from '../../shared/auth.js';
import type { AuditEvent } from '../../shared/audit.js';
import type { Logger } from '../../shared/log.js';
import type { EventBus } from '../../shared/queues.js';
import type { Store } from '../../shared/store.js';

/** What every operation gets: the store port, the bus, a clock. No express, no driver. */
export interface OpsDeps {
  store: Store;
  bus: Pick<EventBus, 'publish'>;
  now: () => Date;
  log: Logger;
}

export async function audit(
  deps: OpsDeps,
  actor: User | null,
  action: string,
  entityType: AuditEvent['entityType'],
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await deps.store.audit.append({
    event: { at: deps.now().toISOString(), actorId: actor?.id ?? null, actorEmail: actor?.email ?? null, action, entityType, entityId, before, after },
  });
}
