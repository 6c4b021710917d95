import type { Mention } from '../../../shared/mention.js';

export const SentimentChip = ({ m }: { m: Mention }) => (
  <span className={`chip sent-${m.scores.sentiment.label}`} title={`score ${m.scores.sentiment.score}, confidence ${m.scores.sentiment.confidence}`}>
    {m.scores.sentiment.label}
  </span>
);

export const ActionBadge = ({ action }: { action: string }) => <span className={`badge act-${action}`}>{action}</span>;

export const PriorityScore = ({ m }: { m: Mention }) => (
  <span className={`prio act-${m.scores.priority.action}`} title="priority 0-100">
    {m.scores.priority.score}
  </span>
);

export const DemoBadge = () => (
  <span className="badge demo" title="Made up by the simulator">
    DEMO
  </span>
);
