import type { Case, CaseSla, SlaState, SlaTarget } from './case.js';
import { addSlaMinutes, slaMinutesBetween, type BusinessHours, type SlaPolicy } from './sla.js';

export { slaMinutesBetween };

/** Due and at-risk instants of a clock that starts at `start` with a budget of `minutes`. */
export function clockTimes(start: Date, minutes: number, policy: { businessHours: BusinessHours | null } & Pick<SlaPolicy, 'atRiskPercent'>) {
  const riskMinutes = Math.floor((minutes * policy.atRiskPercent) / 100);
  return {
    dueAt: addSlaMinutes(start, minutes, policy.businessHours).toISOString(),
    riskAt: addSlaMinutes(start, riskMinutes, policy.businessHours).toISOString(),
  };
}

/** Which clocks still run: first response until answered, resolution until resolved. */
function runningClocks(k: Pick<Case, 'firstResponseAt' | 'resolvedAt' | 'status' | 'sla'>): Array<{ target: SlaTarget; dueAt: string; riskAt: string | null }> {
  if (k.status === 'resolved' || k.status === 'closed' || k.resolvedAt) return [];
  const out: Array<{ target: SlaTarget; dueAt: string; riskAt: string | null }> = [];
  if (!k.firstResponseAt && k.sla.firstResponseDueAt) out.push({ target: 'first_response', dueAt: k.sla.firstResponseDueAt, riskAt: k.sla.firstResponseRiskAt ?? null });
  if (k.sla.resolutionDueAt) out.push({ target: 'resolution', dueAt: k.sla.resolutionDueAt, riskAt: k.sla.resolutionRiskAt ?? null });
  return out;
}

/**
 * The stored sort and filter keys of a case's SLA: the clock that runs out
 * next (null while paused or when none runs). Call after every change to a case.
 */
export function withSlaIndex<T extends Pick<Case, 'firstResponseAt' | 'resolvedAt' | 'status' | 'sla'>>(k: T): T {
  const clocks = k.sla.pausedAt ? [] : runningClocks(k).sort((a, b) => (a.dueAt < b.dueAt ? -1 : 1));
  const next = clocks[0];
  const risks = clocks.map((c) => c.riskAt).filter((r): r is string => !!r).sort();
  return { ...k, sla: { ...k.sla, nextDueAt: next?.dueAt ?? null, nextRiskAt: risks[0] ?? next?.dueAt ?? null } };
}

/** The clocks stop while the case waits on the customer. */
export function pauseSla(sla: CaseSla, now: Date): CaseSla {
  if (sla.pausedAt) return sla;
  return { ...sla, pausedAt: now.toISOString() };
}

/**
 * The clocks run again: every due and at-risk instant moves on by the SLA
 * time spent paused (business minutes when the policy has hours), so the
 * pause costs the team nothing.
 */
export function resumeSla(sla: CaseSla, now: Date, hours: BusinessHours | null): CaseSla {
  if (!sla.pausedAt) return sla;
  const paused = slaMinutesBetween(new Date(sla.pausedAt), now, hours);
  const shift = (iso: string | null | undefined) => (iso ? addSlaMinutes(new Date(iso), paused, hours).toISOString() : (iso ?? null));
  return {
    ...sla,
    firstResponseDueAt: shift(sla.firstResponseDueAt),
    resolutionDueAt: shift(sla.resolutionDueAt),
    firstResponseRiskAt: shift(sla.firstResponseRiskAt),
    resolutionRiskAt: shift(sla.resolutionRiskAt),
    pausedAt: null,
    pausedMinutes: Math.round(((sla.pausedMinutes ?? 0) + paused) * 100) / 100,
  };
}

/** On track, at risk or breached at `now`; a paused case keeps the state it had when it was paused. */
export function slaState(k: Pick<Case, 'sla'>, now: Date): SlaState {
  if (k.sla.breached.length > 0) return 'breached';
  const at = k.sla.pausedAt ? k.sla.pausedAt : now.toISOString();
  const due = k.sla.nextDueAt;
  if (!k.sla.pausedAt && due && due <= at) return 'breached';
  if (k.sla.nextRiskAt && k.sla.nextRiskAt <= at) return 'at_risk';
  return 'on_track';
}

export interface ClockView {
  target: SlaTarget;
  dueAt: string | null;
  state: 'met' | 'running' | 'paused' | 'at_risk' | 'breached' | 'stopped';
  /** SLA minutes left (negative once overdue), counted in business hours when the policy has them. */
  minutesLeft: number | null;
}

/** What the case page shows for each clock at `now`. */
export function clockViews(k: Case, now: Date, hours: BusinessHours | null): ClockView[] {
  const view = (target: SlaTarget, dueAt: string | null, riskAt: string | null | undefined, done: boolean): ClockView => {
    if (done) return { target, dueAt, state: 'met', minutesLeft: null };
    if (k.status === 'resolved' || k.status === 'closed') return { target, dueAt, state: 'stopped', minutesLeft: null };
    if (!dueAt) return { target, dueAt, state: 'stopped', minutesLeft: null };
    const at = k.sla.pausedAt ? new Date(k.sla.pausedAt) : now;
    const due = new Date(dueAt);
    const left = due >= at ? slaMinutesBetween(at, due, hours) : -slaMinutesBetween(due, at, hours);
    const breached = k.sla.breached.includes(target) || left <= 0;
    const state = breached ? 'breached' : k.sla.pausedAt ? 'paused' : riskAt && riskAt <= at.toISOString() ? 'at_risk' : 'running';
    return { target, dueAt, state, minutesLeft: Math.round(left) };
  };
  return [
    view('first_response', k.sla.firstResponseDueAt, k.sla.firstResponseRiskAt, !!k.firstResponseAt),
    view('resolution', k.sla.resolutionDueAt, k.sla.resolutionRiskAt, !!k.resolvedAt),
  ];
}
