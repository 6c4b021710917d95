import { useEffect, useState } from 'react';
import type { TeamNotice } from '../../../shared/events.js';
import { useApp } from '../context';

/** Messages for the user's teams (SLA breaches handed to them), until dismissed. */
export function TeamNotices() {
  const { live } = useApp();
  const [notices, setNotices] = useState<TeamNotice[]>([]);
  useEffect(() => {
    const on = (n: TeamNotice) => setNotices((prev) => [n, ...prev].slice(0, 5));
    live.socket.on('team.notice', on);
    return () => void live.socket.off('team.notice', on);
  }, [live]);
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="status" data-testid="team-notices">
      {notices.map((n, i) => (
        <div key={`${n.at}-${i}`} className="notice">
          <b>{n.team}</b>: {n.caseId ? <a href={`#/cases/${n.caseId}`}>{n.message}</a> : n.message}
          <button aria-label="Dismiss notice" onClick={() => setNotices((prev) => prev.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
