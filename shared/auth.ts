import { z } from 'zod';
import { text } from './text.js';

export const ROLES = ['agent', 'manager', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export interface UserSettings {
  /** Team ids; "next" hands an agent only mentions of these teams (or of no team). */
  teams: string[];
  /** How many mentions and cases an agent holds at most; routing skips agents at capacity. */
  capacity: number;
  /** Replies by this user wait for a manager's approval. */
  needsApproval: boolean;
}

export const DEFAULT_USER_SETTINGS: UserSettings = { teams: [], capacity: 25, needsApproval: false };

export interface User extends UserSettings {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  /** A disabled user cannot sign in; their sessions and sockets ended when they were disabled. */
  disabled: boolean;
}

export const UserSettingsPatchSchema = z
  .object({
    teams: z.array(z.string().min(1, 'a team id is required').max(64)).max(50, 'at most 50 teams').optional(),
    capacity: z.number('must be a whole number from 0 to 1000').int('must be a whole number from 0 to 1000').min(0, 'must be a whole number from 0 to 1000').max(1000, 'must be a whole number from 0 to 1000').optional(),
    needsApproval: z.boolean('must be true or false').optional(),
    role: z.enum(['agent', 'manager', 'admin']).optional(),
    name: text({ max: 120 }).optional(),
  })
  .strict();
export type UserSettingsPatch = z.infer<typeof UserSettingsPatchSchema>;

export const LoginSchema = z.object({
  email: z.string().trim().toLowerCase().email('email must be an email address').max(254),
  password: z.string().min(1, 'password is required').max(1024),
});
export type LoginInput = z.infer<typeof LoginSchema>;

/** Shown on the sign-in page in demo mode only. */
export interface DemoAccount {
  email: string;
  password: string;
  role: Role;
}

const RANK: Record<Role, number> = { agent: 1, manager: 2, admin: 3 };
export const roleAtLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];
