import { describe, expect, it } from 'vitest';
import { driftReport, type GradeSnapshot } from '../../src/server/learning/drift';

const snap = (
  at: number,
  modelVersion: number,
  g: Record<'A' | 'B' | 'C' | 'D', [number, number]>,
): GradeSnapshot => ({
  at,
  modelVersion,
  grades: Object.fromEntries(
    Object.entries(g).map(([k, [count, converted]]) => [k, { count, converted }]),
  ) as GradeSnapshot['grades'],
});

describe('drift of grade conversion against calibration', () => {
  const base = snap(1, 3, { A: [200, 60], B: [300, 30], C: [300, 9], D: [200, 2] });

  it('no drift when rates stay within chance', () => {
    const r = driftReport(
      snap(2, 3, { A: [210, 61], B: [290, 31], C: [310, 10], D: [190, 2] }),
      base,
    );
    expect(r.drifted).toBe(false);
    expect(r.baselineAt).toBe(1);
    expect(r.grades[0]).toMatchObject({ grade: 'A', rate: 61 / 210, baselineRate: 0.3 });
  });

  it('flags a grade whose conversion moved beyond chance', () => {
    const r = driftReport(
      snap(2, 3, { A: [200, 24], B: [300, 30], C: [300, 9], D: [200, 2] }),
      base,
    );
    expect(r.drifted).toBe(true);
    expect(r.findings).toEqual([
      expect.objectContaining({
        grade: 'A',
        message: expect.stringMatching(/Grade A converts 12% now against 30%.*worse/),
      }),
    ]);
  });

  it('flags grades that no longer rank beyond chance, and ignores small grades', () => {
    const r = driftReport(
      snap(2, 3, { A: [200, 10], B: [300, 45], C: [20, 10], D: [200, 2] }),
      base,
    );
    expect(r.findings.map((f) => f.message).join('\n')).toMatch(
      /Grades no longer rank: A converts 5%, less than B at 15%/,
    );
    expect(r.findings.some((f) => f.message.includes('C converts'))).toBe(false);
    // A small inversion is noise: B 1% vs C 1.2% on a few hundred contacts.
    const noise = driftReport(
      snap(3, 3, { A: [200, 60], B: [414, 4], C: [173, 2], D: [137, 0] }),
      base,
    );
    expect(noise.findings.filter((f) => f.grade === null)).toEqual([]);
  });

  it('a new model version starts a new baseline', () => {
    const r = driftReport(
      snap(2, 4, { A: [200, 10], B: [300, 30], C: [300, 9], D: [200, 2] }),
      base,
    );
    expect(r.baselineAt).toBeNull();
    expect(r.findings.filter((f) => f.grade !== null)).toEqual([]);
  });
});
