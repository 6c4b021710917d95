import { z } from 'zod';
import { ListeningQuerySchema } from '../shared/networks.js';

/** Parsers shared by server/config.ts and server/config-bluesky-mastodon.ts; every message names its variable. */

/** on/off, true/false, 1/0. */
export const onOff = (name?: string) =>
  z.enum(['on', 'off', 'true', 'false', '1', '0'], name ? `${name} is on or off` : undefined).transform((v) => v === 'on' || v === 'true' || v === '1');

/** A JSON list of listening queries in one variable: [{"id","brand","query"}]. */
export const listeningQueries = (name: string) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be JSON: [{"id","brand","query"}]` });
        return z.NEVER;
      }
    })
    // The same rules as queries entered in the UI (shared/networks.ts).
    .pipe(z.array(ListeningQuerySchema.pick({ id: true, brand: true, query: true }).strict()).max(50));
