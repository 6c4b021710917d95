import type { SessionView } from '../../shared/api.js';
import type { User, UserSettings, UserSettingsPatch } from '../../shared/auth.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../shared/errors.js';
import type { NewUser } from '../../shared/store.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { LiveSession, SessionService } from '../auth/sessions.js';
import { audit, type OpsDeps } from './deps.js';

export interface AccountDeps extends OpsDeps {
  sessions: SessionService;
  throttle: LoginThrottle;
}

// Compared against when the email is unknown, so timing does not reveal which emails exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';


/** Checks the password (throttled per account and address); failures are logged and audited, never with the password. */
export async function signIn(
  deps: AccountDeps,
  input: { email: string; password: string; ip: string; userAgent: string | null },
): Promise<{ user: User; token: string; expiresAt: Date }> {
  const attempt = { account: input.email, address: input.ip };
  try {
    await deps.throttle.check(attempt);
  } catch (e) {
    deps.log.warn('sign-in throttled', { email: input.email, ip: input.ip });
    throw e;
  }
  const stored = await deps.store.users.findByEmail({ email: input.email });
  const ok = await verifyPassword(input.password, stored?.passwordHash ?? DUMMY_HASH);
  if (!stored || !ok) {
    await deps.throttle.fail(attempt);
    const reason = stored ? 'wrong_password' : 'unknown_email';
    deps.log.warn('sign-in failed', { email: input.email, ip: input.ip, reason });
    await audit(deps, null, 'auth.login_failed', 'user', stored?.id ?? 'unknown', null, { email: input.email, ip: input.ip, userAgent: input.userAgent, reason });
    throw new UnauthorizedError('Email or password is wrong.');
  }
  await deps.throttle.succeed(attempt);
  const { passwordHash: _omit, ...user } = stored;
  if (user.disabled) {
    deps.log.warn('sign-in refused: user disabled', { userId: user.id, ip: input.ip });
    await audit(deps, null, 'auth.login_failed', 'user', user.id, null, { email: input.email, ip: input.ip, userAgent: input.userAgent, reason: 'disabled' });
    throw new ForbiddenError('This account is disabled; ask an admin.');
  }
  const { token, expiresAt } = await deps.sessions.create(user.id, { ip: input.ip, userAgent: input.userAgent });
  return { user, token, expiresAt };
}

/** Ends this session; its sockets, on whichever API process, close. */
export async function signOut(deps: AccountDeps, token: string | undefined): Promise<void> {
  const s = await deps.sessions.destroy(token);
  if (s) deps.bus.publish('sessions.ended', { userId: s.userId, sessionIds: [s.id], reason: 'signed_out' });
}

export async function listSessions(deps: AccountDeps, actor: User, currentId: string): Promise<SessionView[]> {
  const items = await deps.store.sessions.listByUser({ userId: actor.id, now: deps.now().toISOString() });
  return items.map((s) => ({ id: s.id, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt, ip: s.ip, userAgent: s.userAgent, current: s.id === currentId }));
}

export async function revokeSession(deps: AccountDeps, actor: User, id: string): Promise<void> {
  const s = await deps.store.sessions.deleteById({ userId: actor.id, id });
  if (!s) throw new NotFoundError(`No session ${id} of yours`);
  deps.bus.publish('sessions.ended', { userId: actor.id, sessionIds: [s.id], reason: 'revoked' });
  await audit(deps, actor, 'session.revoked', 'user', actor.id, null, { sessionId: s.id, ip: s.ip });
}

/** Every session of the user, this one included. */
export async function signOutEverywhere(deps: AccountDeps, actor: User): Promise<number> {
  const ids = await deps.store.sessions.deleteByUser({ userId: actor.id });
  deps.bus.publish('sessions.ended', { userId: actor.id, sessionIds: ids, reason: 'signed_out_everywhere' });
  await audit(deps, actor, 'session.signed_out_everywhere', 'user', actor.id, null, { sessions: ids.length });
  return ids.length;
}

/** Needs the current password; every other session ends (a thief's included), this one stays. */
export async function changePassword(deps: AccountDeps, actor: User, current: LiveSession['session'], input: { currentPassword: string; newPassword: string }): Promise<void> {
  const stored = await deps.store.users.findByEmail({ email: actor.email });
  if (!stored || !(await verifyPassword(input.currentPassword, stored.passwordHash))) {
    deps.log.warn('password change refused: wrong current password', { userId: actor.id });
    throw new ValidationError('currentPassword: the current password is wrong', [{ field: 'currentPassword', message: 'wrong password' }]);
  }
  if (input.currentPassword === input.newPassword) throw new ValidationError('newPassword: must differ from the current password', [{ field: 'newPassword', message: 'unchanged' }]);
  await deps.store.users.setPasswordHash({ id: actor.id, passwordHash: await hashPassword(input.newPassword) });
  const ended = await deps.store.sessions.deleteByUser({ userId: actor.id, exceptId: current.id });
  if (ended.length) deps.bus.publish('sessions.ended', { userId: actor.id, sessionIds: ended, reason: 'password_changed' });
  await audit(deps, actor, 'user.password_changed', 'user', actor.id, null, { otherSessionsEnded: ended.length });
}

export async function createUser(deps: OpsDeps, actor: User, input: Omit<NewUser, 'passwordHash' | 'settings'> & Partial<UserSettings> & { password: string }): Promise<User> {
  const settings: Partial<UserSettings> = {};
  if (input.teams !== undefined) settings.teams = [...new Set(input.teams)];
  if (input.capacity !== undefined) settings.capacity = input.capacity;
  if (input.needsApproval !== undefined) settings.needsApproval = input.needsApproval;
  const user = await deps.store.users.create({ email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password), settings });
  await audit(deps, actor, 'user.created', 'user', user.id, null, user);
  return user;
}

/** Role, teams and settings; open sockets of the user pick the change up. */
export async function updateUser(deps: OpsDeps, actor: User, id: string, patch: UserSettingsPatch): Promise<User> {
  const before = await deps.store.users.findById({ id });
  if (!before) throw new NotFoundError(`No user with id ${id}`);
  if (before.role === 'admin' && patch.role && patch.role !== 'admin' && !before.disabled) {
    const admins = (await deps.store.users.list()).filter((u) => u.role === 'admin' && !u.disabled);
    if (admins.length <= 1) throw new ConflictError('The last active admin cannot lose the admin role.', { field: 'role' });
  }
  const user = await deps.store.users.update({ id, patch });
  deps.bus.publish('user.changed', { user });
  await audit(deps, actor, 'user.updated', 'user', user.id, before, user);
  return user;
}

/** Disabling ends every session and socket of the user at once; the last active admin cannot be disabled. */
export async function setUserDisabled(deps: OpsDeps, actor: User, id: string, disabled: boolean): Promise<User> {
  const before = await deps.store.users.findById({ id });
  if (!before) throw new NotFoundError(`No user with id ${id}`);
  if (disabled && id === actor.id) throw new ConflictError('You cannot disable yourself.', { field: 'disabled' });
  const user = await deps.store.users.setDisabled({ id, disabled });
  if (disabled) {
    const ended = await deps.store.sessions.deleteByUser({ userId: id });
    deps.bus.publish('sessions.ended', { userId: id, sessionIds: ended, reason: 'disabled' });
  }
  deps.bus.publish('user.changed', { user });
  await audit(deps, actor, disabled ? 'user.disabled' : 'user.enabled', 'user', id, { disabled: before.disabled }, { disabled: user.disabled });
  return user;
}

/** Everyone may list users: the UI needs names to assign and to show who holds what. */
export const listUsers = (deps: Pick<OpsDeps, 'store'>): Promise<User[]> => deps.store.users.list();
