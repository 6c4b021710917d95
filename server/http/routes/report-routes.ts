import { Router, type Response } from 'express';
import { z } from 'zod';
import type { ListeningQuery } from '../../../shared/networks.js';
import {
  EexWeightsSchema,
  experienceTable,
  ReportQuerySchema,
  responseTable,
  sovTable,
  toCsv,
  topicsTable,
  volumeTable,
  type CsvTable,
  type ReportQuery,
} from '../../../shared/reports.js';
import type { OpsDeps } from '../../operations/deps.js';
import { experienceReport, loadEexWeights, responseReport, saveEexWeights, shareOfVoiceReport, topicsReport, volumeReport } from '../../operations/reports.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';

const WeightsBody = z.object({ version: z.number().int().min(0), weights: EexWeightsSchema }).strict();

/** JSON, or with format=csv the table the Reports page shows, as a download. */
function answer<T>(res: Response, name: string, q: ReportQuery, report: T, table: (r: T) => CsvTable) {
  if (q.format !== 'csv') return void res.json(report);
  const t = table(report);
  const day = (iso: string) => iso.slice(0, 10);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="hark-${name}-${day(q.from)}-${day(q.to)}.csv"`);
  res.send(toCsv(t.header, t.rows));
}

/** GET /api/reports/*: managers; every report reads rollups only. */
export function reportRoutes(deps: OpsDeps, queries: () => Promise<ListeningQuery[]>) {
  const r = Router();
  r.use(requireRole('manager'));
  const query = (q: unknown) => parseOr400(ReportQuerySchema, q, 'query');
  r.get('/response', async (req, res) => {
    const q = query(req.query);
    answer(res, 'response', q, await responseReport(deps, q), responseTable);
  });
  r.get('/volume', async (req, res) => {
    const q = query(req.query);
    answer(res, 'volume', q, await volumeReport(deps, q), volumeTable);
  });
  r.get('/share-of-voice', async (req, res) => {
    const q = query(req.query);
    answer(res, 'share-of-voice', q, await shareOfVoiceReport({ ...deps, queries }, q), sovTable);
  });
  r.get('/topics', async (req, res) => {
    const q = query(req.query);
    answer(res, 'topics', q, await topicsReport(deps, q), topicsTable);
  });
  r.get('/experience/weights', async (_req, res) => void res.json(await loadEexWeights(deps)));
  r.put('/experience/weights', async (req, res) => {
    const body = parseOr400(WeightsBody, req.body, 'body');
    res.json(await saveEexWeights(deps, currentUser(req), body.weights, body.version));
  });
  r.get('/experience', async (req, res) => {
    const q = query(req.query);
    answer(res, 'experience', q, await experienceReport(deps, q), experienceTable);
  });
  return r;
}
