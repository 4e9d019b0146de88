import { emailDomain } from './values';
import type {
  Model,
  PreviewResult,
  PreviewSample,
  Qualification,
  Status,
} from '@lead-qualifier/contract';
import type { Facts } from './facts';
import { qualify } from './qualify';

/** Ten bands of the combined score: 0–9, 10–19, … 90–100. */
const SCORE_BANDS = 10;

const RANK: Record<Status, number> = {
  unscored: 0,
  disqualified: 0,
  recycled: 1,
  lead: 1,
  mql: 2,
  ready: 3,
  sql: 4,
};

/** Accumulates the comparison of two models over many contacts, a chunk at a time. */
export function createPreview(active: Model, draft: Model, now: number, sampleSize = 25) {
  const before = new Array<number>(SCORE_BANDS).fill(0);
  const after = new Array<number>(SCORE_BANDS).fill(0);
  const statusesBefore: Record<string, number> = {};
  const statusesAfter: Record<string, number> = {};
  const forward = new Map<string, number>();
  const transitions = new Map<string, number>();
  const samples: PreviewSample[] = [];
  let contacts = 0;
  let up = 0;
  let down = 0;
  let sideways = 0;
  let scoreChanged = 0;
  let sumBefore = 0;
  let sumAfter = 0;
  const band = (score: number) => Math.min(SCORE_BANDS - 1, Math.floor(score / 10));

  function sample(f: Facts, a: Qualification, b: Qualification): PreviewSample {
    const points = (q: Qualification) => new Map(q.ledger.map((e) => [e.rule, e]));
    const pa = points(a);
    const pb = points(b);
    const reasons: PreviewSample['reasons'] = [];
    for (const rule of new Set([...pa.keys(), ...pb.keys()])) {
      const x = pa.get(rule)?.points ?? 0;
      const y = pb.get(rule)?.points ?? 0;
      if (Math.abs(x - y) >= 0.5)
        reasons.push({
          rule,
          label: (pb.get(rule) ?? pa.get(rule))!.label,
          before: Math.round(x),
          after: Math.round(y),
        });
    }
    reasons.sort((r, s) => Math.abs(s.after - s.before) - Math.abs(r.after - r.before));
    // No address at rest or on screen: the domain says enough to recognise the lead.
    const domain = emailDomain(f.contact.properties['email']);
    return {
      contactId: f.contact.id,
      domain,
      before: { score: a.score, status: a.status, grade: a.grade },
      after: { score: b.score, status: b.status, grade: b.grade },
      reasons: reasons.slice(0, 5),
      why: b.reason,
    };
  }

  return {
    add(chunk: readonly Facts[]): void {
      for (const f of chunk) {
        const a = qualify(f, active, now);
        const b = qualify(f, draft, now);
        contacts++;
        before[band(a.score)]!++;
        after[band(b.score)]!++;
        sumBefore += a.score;
        sumAfter += b.score;
        statusesBefore[a.status] = (statusesBefore[a.status] ?? 0) + 1;
        statusesAfter[b.status] = (statusesAfter[b.status] ?? 0) + 1;
        if (a.score !== b.score) scoreChanged++;
        // A forward move the active model does not make already: one the change would write.
        const to = b.lifecycle.target;
        if (b.lifecycle.change === 'forward' && to !== null && a.lifecycle.target !== to)
          forward.set(to, (forward.get(to) ?? 0) + 1);
        if (a.status !== b.status) {
          const key = `${a.status}>${b.status}`;
          transitions.set(key, (transitions.get(key) ?? 0) + 1);
          if (RANK[b.status] > RANK[a.status]) up++;
          else if (RANK[b.status] < RANK[a.status]) down++;
          else sideways++;
          if (samples.length < sampleSize) samples.push(sample(f, a, b));
        }
      }
    },
    result(): PreviewResult {
      return {
        contacts,
        distribution: { before, after },
        statuses: { before: statusesBefore, after: statusesAfter },
        transitions: [...transitions]
          .map(([key, count]) => {
            const [from, to] = key.split('>') as [Status, Status];
            return { from, to, count };
          })
          .sort((x, y) => y.count - x.count),
        up,
        down,
        sideways,
        scoreChanged,
        meanScore: {
          before: contacts === 0 ? 0 : Math.round((sumBefore / contacts) * 10) / 10,
          after: contacts === 0 ? 0 : Math.round((sumAfter / contacts) * 10) / 10,
        },
        lifecycleForward: [...forward]
          .map(([stage, count]) => ({ stage, count }))
          .sort((x, y) => y.count - x.count || x.stage.localeCompare(y.stage)),
        samples,
      };
    },
  };
}
