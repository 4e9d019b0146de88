import { nextStepLine } from '@lead-qualifier/shared';
import type { Qualification } from '@lead-qualifier/contract';

/** One output line of the scoring CLI: the documented, stable JSONL shape. */
interface ScoreLine {
  id: string;
  score: number;
  fitScore: number;
  engagementScore: number;
  grade: string;
  status: string;
  lifecyclestage: string | null;
  ledger: Array<{ rule: string; label: string; points: number; evidence: string }>;
  criteria: { met: string[]; missing: string[] };
  next: string[];
  modelVersion: number;
}

export function toScoreLine(q: Qualification): ScoreLine {
  return {
    id: q.contactId,
    score: q.score,
    fitScore: q.fitScore,
    engagementScore: q.engagementScore,
    grade: q.grade,
    status: q.status,
    lifecyclestage: q.lifecycle.target,
    ledger: q.ledger.map((e) => ({
      rule: e.rule,
      label: e.label,
      points: e.points,
      evidence: e.evidence,
    })),
    criteria: {
      met: q.criteria.met.map((c) => c.id),
      missing: q.criteria.missing.map((c) => c.id),
    },
    next: q.next.map(nextStepLine),
    modelVersion: q.modelVersion,
  };
}
