import { z } from 'zod';

export const ROLES = ['agent', 'manager', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

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
