import express, { type Express } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import type { DemoAccount } from '../../shared/auth.js';
import type { Logger } from '../../shared/log.js';
import type { RawMention } from '../../shared/raw-mention.js';
import type { Store } from '../../shared/store.js';
import type { IngestReport } from '../../workers/pipeline/run-ingest.js';
import type { SessionService } from '../auth/sessions.js';
import { requireRole, requireSession } from './auth-middleware.js';
import { apiNotFound, errorHandler } from './errors.js';
import { accountRoutes, authRoutes } from './routes/auth-routes.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { importRoutes } from './routes/import-routes.js';
import { mentionRoutes } from './routes/mention-routes.js';
import { alertRoutes, wallRoutes } from './routes/wall-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { caseRoutes } from './routes/case-routes.js';
import { noticeRoutes } from './routes/notice-routes.js';
import { savedViewRoutes } from './routes/saved-view-routes.js';
import { investigationRoutes } from './routes/investigation-routes.js';
import { cannedResponseRoutes, mentionReplyRoutes, replyRoutes } from './routes/reply-routes.js';
import { queueRoutes, triageRoutes } from './routes/triage-routes.js';
import { slaRoutes, userRoutes } from './routes/admin-routes.js';
import type { ReplyDeps } from '../operations/replies.js';
import { customerRoutes } from './routes/customer-routes.js';
import { ruleRoutes, teamRoutes, webhookRoutes, retentionRoutes } from './routes/settings-routes.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';
import type { Learner } from '../learning/learner.js';
import { deadLetterRoutes, healthRoute } from './routes/health-routes.js';
import type { HealthDeps } from '../operations/health.js';
import { securityHeaders } from './security-headers.js';
import { originGuard, type OriginPolicy } from './origin-check.js';
import { listeningQueryRoutes, networkRoutes, type NetworkDeps } from './routes/network-routes.js';
import { reportRoutes } from './routes/report-routes.js';

export interface AppDeps {
  store: Store;
  sessions: SessionService;
  log: Logger;
  demo: boolean;
  demoAccounts: DemoAccount[];
  cookieSecure: boolean;
  importMaxBytes: number;
  importMaxLineBytes: number;
  /** PIPELINE_BATCH_SIZE: mentions per pipeline batch of an import. */
  importBatchSize: number;
  /** A fresh ingest per upload, storing its batches in order (IngestPath.sequence). */
  ingest: () => (batch: RawMention[]) => Promise<IngestReport>;
  /** Batches of one upload in flight (2 with a scoring pool: one scored while one is written). */
  importWindow?: number;
  /** Reports an upload's progress to browsers. */
  importProgress?: Parameters<typeof importRoutes>[0]['progress'];
  clientDir: string;
  now: () => Date;
  /** Operations' dependencies (store, bus, clock, log, reply sending). */
  ops: ReplyDeps;
  webhooks: WebhookDispatcher;
  learner: Learner;
  connectorHealth: () => Promise<import('../../shared/connector-ports.js').ConnectorHealth[]>;
  networks: NetworkDeps & { canStoreCredentials: boolean };
  /** Which proxies' forwarded headers count, and which origins besides our own may change state. */
  origins: OriginPolicy;
  throttle: LoginThrottle;
  /** What health probes: the store, the queue (and Redis behind it), the leases. */
  health: HealthDeps;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Forwarded headers only from proxies the operator named (TRUST_PROXY); the same rule decides origins and socket addresses.
  app.set('trust proxy', deps.origins.trust);
  app.use(securityHeaders(deps.origins.trust));

  const api = express.Router();
  // API answers carry personal data: never kept by a browser or a shared cache.
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(originGuard(deps.origins));
  api.get('/health', healthRoute({ ...deps.health, sessions: deps.sessions }));
  const accounts = { ...deps.ops, sessions: deps.sessions, throttle: deps.throttle };
  api.use('/auth', express.json({ limit: '16kb' }), authRoutes({ ...accounts, demoAccounts: deps.demoAccounts, cookieSecure: deps.cookieSecure, demo: deps.demo }));
  api.use(requireSession(deps.sessions));
  // The import body is the file itself, streamed: it must not meet the JSON parser.
  api.use('/import', requireRole('manager'), importRoutes({ ingest: deps.ingest, window: deps.importWindow, maxBytes: deps.importMaxBytes, maxLineBytes: deps.importMaxLineBytes, batchSize: deps.importBatchSize, progress: deps.importProgress }));
  api.use(express.json({ limit: '256kb' }));
  api.get('/auth/me', (req, res) => void res.json({ user: req.user }));
  api.use('/account', accountRoutes({ ...accounts, cookieSecure: deps.cookieSecure }));
  api.use('/mentions/:id/replies', mentionReplyRoutes(deps.ops));
  api.use('/mentions', mentionRoutes(deps), triageRoutes({ ...deps.ops, learner: deps.learner }));
  api.use('/queue/dead-letters', requireRole('manager'), deadLetterRoutes({ ...deps.ops, queue: deps.health.queue }));
  api.use('/queue', queueRoutes(deps.ops));
  api.use('/investigations', investigationRoutes(deps.ops));
  api.use('/cases', caseRoutes(deps.ops));
  api.use('/notices', noticeRoutes(deps.ops));
  api.use('/views', savedViewRoutes(deps.ops));
  api.use('/replies', replyRoutes(deps.ops));
  api.use('/canned-responses', cannedResponseRoutes(deps.ops));
  api.use('/audit', requireRole('manager'), auditRoutes(deps));
  api.use('/users', userRoutes(deps.ops));
  api.use('/settings/sla', slaRoutes(deps.ops));
  api.use('/settings/teams', teamRoutes(deps.ops));
  api.use('/settings/routing-rules', ruleRoutes(deps.ops));
  api.use('/settings/retention', retentionRoutes(deps.ops));
  api.use('/settings/webhooks', webhookRoutes(deps.ops, deps.webhooks));
  api.use('/customers', customerRoutes(deps.ops));
  api.use('/wall', wallRoutes({ ...deps.ops, brandRoles: () => deps.networks.config.brandRoles() }));
  api.use('/alerts', alertRoutes(deps));
  api.use('/reports', reportRoutes(deps.ops, async () => (await deps.networks.config.queries()).queries));
  api.use('/networks', networkRoutes(deps.ops, deps.networks, deps.networks.canStoreCredentials));
  api.use('/listening-queries', listeningQueryRoutes(deps.ops, deps.networks));
  api.get('/connectors', requireRole('manager'), async (_req, res) => void res.json({ items: await deps.connectorHealth() }));
  api.use(apiNotFound);
  app.use('/api', api);

  const index = path.join(deps.clientDir, 'index.html');
  if (fs.existsSync(index)) {
    app.use(express.static(deps.clientDir, { index: false, maxAge: '1h' }));
    // The app routes in the browser: every other GET gets the shell.
    app.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => res.sendFile(index, { maxAge: 0 }));
  } else {
    app.get('/', (_req, res) => void res.type('text').send('The web app is not built: run `npm run build` (npm start does it for you).'));
  }
  app.use(errorHandler(deps.log));
  return app;
}
