import { z } from 'zod';
import { multilineText, text } from './text.js';
import { PlatformSchema } from './mention.js';

export const IdentitySchema = z.object({ platform: PlatformSchema, handle: text({ max: 128 }) }).strict();
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
  /**
   * An erasure under way or done. While `completedAt` is null it holds the
   * identities still to be erased, so a retry after a crash finishes the job.
   */
  erasure?: { startedAt: string; byId: string; completedAt: string | null; identities: Identity[]; mergedIds: string[] } | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const CreateCustomerSchema = z
  .object({
    name: text({ max: 200, required: 'name is required' }),
    identities: z.array(IdentitySchema).max(50).default([]),
    notes: multilineText({ min: 0, max: 20_000 }).default(''),
  })
  .strict();

export const UpdateCustomerSchema = z
  .object({
    version: z.number().int().min(1),
    name: text({ max: 200 }).optional(),
    notes: multilineText({ min: 0, max: 20_000 }).optional(),
    addIdentities: z.array(IdentitySchema).max(50).optional(),
    removeIdentities: z.array(IdentitySchema).max(50).optional(),
  })
  .strict();

export const identityKey = (i: Identity) => `${i.platform}:${i.handle.toLowerCase()}`;
