import type Database from 'better-sqlite3';
import type { Case } from '../../../shared/case.js';
import type { InvestigationLink, InvestigationStore } from '../../../shared/store.js';
import type { Prepare } from './prepare.js';

const HOUR = 3_600_000;

export function investigationStore(db: Database.Database, prepare: Prepare): InvestigationStore {
  const insert = db.prepare('INSERT INTO investigation_links (case_id, mention_id, created_at, sentiment, linked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const linkTx = db.transaction((caseId: number, rows: Array<Pick<InvestigationLink, 'mentionId' | 'createdAt' | 'sentiment'>>, at: number) => {
    let n = 0;
    for (const r of rows) n += insert.run(caseId, Number(r.mentionId), Date.parse(r.createdAt), r.sentiment, at).changes;
    return n;
  });
  const toLink = (r: { case_id: number; mention_id: number; created_at: number; sentiment: string; linked_at: number }): InvestigationLink => ({
    caseId: String(r.case_id),
    mentionId: String(r.mention_id),
    createdAt: new Date(r.created_at).toISOString(),
    sentiment: r.sentiment as InvestigationLink['sentiment'],
    linkedAt: new Date(r.linked_at).toISOString(),
  });
  return {
    async link({ caseId, mentions, at }) {
      if (mentions.length === 0) return 0;
      return linkTx(Number(caseId), mentions, Date.parse(at));
    },
    async list({ caseId, limit, before }) {
      const rows = before
        ? prepare('SELECT * FROM investigation_links WHERE case_id = ? AND (created_at < ? OR (created_at = ? AND mention_id < ?)) ORDER BY created_at DESC, mention_id DESC LIMIT ?').all(Number(caseId), Date.parse(before.createdAt), Date.parse(before.createdAt), Number(before.mentionId), limit)
        : prepare('SELECT * FROM investigation_links WHERE case_id = ? ORDER BY created_at DESC, mention_id DESC LIMIT ?').all(Number(caseId), limit);
      return (rows as Parameters<typeof toLink>[0][]).map(toLink);
    },
    async count({ caseId }) {
      return (prepare('SELECT count(*) AS n FROM investigation_links WHERE case_id = ?').get(Number(caseId)) as { n: number }).n;
    },
    async series({ caseId }) {
      const rows = prepare(
        `SELECT (created_at / ${HOUR}) * ${HOUR} AS start, sum(sentiment = 'negative') AS negative, sum(sentiment = 'neutral') AS neutral, sum(sentiment = 'positive') AS positive
         FROM investigation_links WHERE case_id = ? GROUP BY 1 ORDER BY 1`,
      ).all(Number(caseId)) as Array<{ start: number; negative: number; neutral: number; positive: number }>;
      return rows.map((r) => ({ start: new Date(r.start).toISOString(), negative: r.negative, neutral: r.neutral, positive: r.positive }));
    },
    async openCases({ limit }) {
      const rows = prepare("SELECT id, version, doc FROM cases WHERE status IN ('open', 'pending') AND json_extract(doc, '$.kind') = 'investigation' ORDER BY id LIMIT ?").all(limit) as Array<{ id: number; version: number; doc: string }>;
      return rows.map((r) => ({ ...(JSON.parse(r.doc) as Case), id: String(r.id), version: r.version }));
    },
  };
}
