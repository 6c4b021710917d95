export interface AuditEvent {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  /** domain.verb, e.g. mention.claimed, case.status_changed, reply.sent */
  action: string;
  entityType: 'mention' | 'case' | 'reply' | 'canned_response' | 'user' | 'customer' | 'settings' | 'queue';
  entityId: string;
  before: unknown;
  after: unknown;
}
export type NewAuditEvent = Omit<AuditEvent, 'id'>;
