import { z } from 'zod';
import { PlatformSchema } from './mention.js';

export const IdentitySchema = z.object({ platform: PlatformSchema, handle: z.string().trim().min(1).max(128) }).strict();
export type Identity = z.infer<typeof IdentitySchema>;

export interface Customer {
  id: string;
  name: string;
  identities: Identity[];
  notes: string;
  /** Set when this record was merged into another; such records are kept to allow unmerge. */
  mergedInto: string | null;
  /** What each merged-in record brought, so a merge can be undone. */
  mergedFrom: Array<{ customerId: string; identities: Identity[] }>;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const CreateCustomerSchema = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(200),
    identities: z.array(IdentitySchema).max(50).default([]),
    notes: z.string().max(20_000).default(''),
  })
  .strict();

export const UpdateCustomerSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(200).optional(),
    notes: z.string().max(20_000).optional(),
    addIdentities: z.array(IdentitySchema).max(50).optional(),
    removeIdentities: z.array(IdentitySchema).max(50).optional(),
  })
  .strict();

export const identityKey = (i: Identity) => `${i.platform}:${i.handle.toLowerCase()}`;
