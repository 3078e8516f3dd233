/**
 * The priority matrix: Critical / High / Medium / Low from risk score, ARR, renewal window, strategic
 * importance and expansion potential. Tiers are evaluated in order (first match wins); severe risk then raises
 * the priority (see docs/risk-scoring.md).
 */
import { PRIORITIES, type Priority } from '../../../shared/domain';
import type { PriorityMatrix, PriorityTier, SignalAccount } from '../../../shared/risk-types';

export interface PriorityInput {
  score: number;
  account: Pick<SignalAccount, 'arr' | 'isStrategic' | 'expansionPotential'>;
  daysToRenewal: number | null;
}

export interface PriorityResult {
  priority: Priority;
  reason: string;
}

const tierMatches = (t: PriorityTier, x: PriorityInput): boolean => {
  if (t.minArr !== undefined && x.account.arr < t.minArr) return false;
  if (t.maxDaysToRenewal !== undefined && (x.daysToRenewal === null || x.daysToRenewal > t.maxDaysToRenewal))
    return false;
  if (t.minScore !== undefined && x.score < t.minScore) return false;
  if (t.importance) {
    const strategic = t.importance.strategic === true && x.account.isStrategic;
    const expansion = t.importance.expansion?.includes(x.account.expansionPotential) ?? false;
    if (!strategic && !expansion) return false;
  }
  return true;
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const rankOf = (p: Priority): number => PRIORITIES.indexOf(p);

export const computePriority = (x: PriorityInput, m: PriorityMatrix): PriorityResult => {
  const tier = m.tiers.find((t) => tierMatches(t, x));
  let priority: Priority = tier?.priority ?? 'low';
  let reason = `${cap(priority)}: ${tier?.label ?? 'no tier matched'}`;
  if (x.score >= m.severe.minScore && m.severe.raiseBy > 0) {
    let idx = Math.max(0, rankOf(priority) - m.severe.raiseBy);
    if (idx === 0 && x.account.arr < m.severe.criticalMinArr) idx = 1;
    if (idx < rankOf(priority)) {
      priority = PRIORITIES[idx]!;
      reason += `; raised to ${cap(priority)} by severe risk (score ${x.score} ≥ ${m.severe.minScore})`;
    }
  }
  return { priority, reason };
};
