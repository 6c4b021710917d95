import { Router } from 'express';
import { z } from 'zod';
import { text } from '../../../shared/text.js';
import { createRisingTopics } from '../../operations/rising-topics.js';
import type { OpsDeps } from '../../operations/deps.js';
import { listAlerts } from '../../operations/spikes.js';
import { wallBuckets } from '../../operations/wall.js';
import { createWallScreen } from '../../operations/wall-screen.js';
import type { BrandRoles } from '../../../shared/brand-roles.js';
import { WallLayoutSchema } from '../../../shared/wall.js';
import { parseOr400 } from '../errors.js';

const WallQuery = z.object({ minutes: z.coerce.number().int().min(1).max(24 * 60).default(60) }).strict();

const TopicsQuery = z.object({ minutes: z.coerce.number().int().min(5).max(24 * 60).default(60), brand: text({ max: 128 }).optional(), limit: z.coerce.number().int().min(1).max(50).default(12) }).strict();

export function wallRoutes(deps: Pick<OpsDeps, 'store' | 'now'> & { brandRoles: () => Promise<BrandRoles> }) {
  const r = Router();
  const rising = createRisingTopics(deps);
  const screen = createWallScreen({ ...deps, rising });
  r.get('/screen', async (req, res) => {
    const layout = parseOr400(WallLayoutSchema, req.query, 'query');
    res.json(await screen.get(layout));
  });
  r.get('/topics', async (req, res) => {
    const q = parseOr400(TopicsQuery, req.query, 'query');
    res.json(await rising.get({ minutes: q.minutes, limit: q.limit, ...(q.brand ? { brand: q.brand } : {}) }));
  });
  r.get('/', async (req, res) => {
    const { minutes } = parseOr400(WallQuery, req.query, 'query');
    res.json(await wallBuckets(deps, minutes));
  });
  return r;
}

const AlertQuery = z.object({ brand: text({ min: 0, max: 128 }).optional(), limit: z.coerce.number().int().min(1).max(200).default(20) }).strict();

/** GET /api/alerts: spikes raised, newest first. */
export function alertRoutes(deps: Pick<OpsDeps, 'store'>) {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseOr400(AlertQuery, req.query, 'query');
    res.json({ items: await listAlerts(deps, q) });
  });
  return r;
}
