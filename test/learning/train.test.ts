import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { parseModel, type TrainReport } from '@lead-qualifier/contract';
import { qualify } from '../../src/server/domain/qualify';
import { propertyFeatures, type LabelledRow } from '../../src/server/learning/features';
import { createVectorizer } from '../../src/server/learning/vectorize';
import { parseLabelledLine } from '../../src/server/learning/labelled-line';
import { auc } from '../../src/server/learning/metrics';
import { NotEnoughDataError, train } from '../../src/server/learning/train';
import { seedPortal } from '../../src/sandbox/generator';
import { labelledLines } from '../../src/sandbox/labelled-export';
import { Portal } from '../../src/sandbox/portal';

const root = path.resolve(import.meta.dirname, '../..');
const AT = Date.parse('2026-06-30T00:00:00Z');

/** A generated portal whose deals were won more often the better the fit and engagement. */
function labelled(contacts: number, seed = 11): string[] {
  const portal = new Portal(1, { clock: () => AT, onChange: () => {} });
  const seeded = seedPortal(portal, { seed, contacts });
  return [...labelledLines(portal, seeded.truth, AT)];
}
const rowsOf = (lines: string[]): LabelledRow[] =>
  lines.map((l) => {
    const p = parseLabelledLine(l);
    if (!p.ok) throw new Error(p.error);
    return p.row;
  });

describe('training on sandbox data with a known dependence on fit and engagement', () => {
  let lines: string[];
  let result: ReturnType<typeof train>;
  beforeAll(() => {
    lines = labelled(3_000);
    result = train(rowsOf(lines), DEFAULT_MODEL);
  });

  it('beats the default model in a time-split backtest (AUC and top-decile lift)', () => {
    const { proposed, active } = result.report.backtest;
    expect(result.report.backtest.train.rows).toBeGreaterThan(result.report.backtest.test.rows);
    expect(proposed.auc).toBeGreaterThan(active.auc + 0.05);
    expect(proposed.topDecileLift).toBeGreaterThan(active.topDecileLift);
    // Calibration is reported per grade with counts that add up to the test period.
    const counted = proposed.calibration.reduce((n, g) => n + g.count, 0);
    expect(counted).toBe(result.report.backtest.test.rows);
    // Grades rank: A converts more than D in the test period.
    const [A, , , D] = proposed.calibration;
    expect(A!.observed!).toBeGreaterThan(D!.observed ?? 0);
  });

  it('flags about the target share of leads as MQL', () => {
    expect(result.report.backtest.proposed.flaggedShare).toBeGreaterThan(0.1);
    expect(result.report.backtest.proposed.flaggedShare).toBeLessThan(0.35);
  });

  it('returns a rule model of the same schema that scores through the normal path, every point explained', () => {
    const parsed = parseModel(JSON.parse(JSON.stringify(result.model)));
    expect(parsed.ok).toBe(true);
    const row = rowsOf(lines.slice(0, 50)).find((r) => r.label === 1)!;
    const q = qualify(row.facts, result.model, row.at);
    expect(q.modelVersion).toBe(DEFAULT_MODEL.version + 1);
    expect(q.ledger.some((e) => e.rule === 'starting_points' || e.kind === 'fit')).toBe(true);
    // The ledger's points add up to the raw total: the trained weights are rules like any other.
    const sum = q.ledger.filter((e) => e.kind !== 'disqualifier').reduce((n, e) => n + e.points, 0);
    expect(sum).toBeCloseTo(q.raw.total, 1);
    // Properties outside the default model were considered, outcome records were not.
    const read = result.model.fit.rules.flatMap((r) => r.anyOf.map((c) => c.property));
    expect(read.some((p) => !JSON.stringify(DEFAULT_MODEL.fit).includes(`"${p}"`))).toBe(true);
    expect(read).not.toContain('lifecyclestage');
    expect(read.some((p) => p.startsWith('lq_'))).toBe(false);
  });

  it('is deterministic for the same data', () => {
    const again = train(rowsOf(lines), DEFAULT_MODEL);
    expect(JSON.stringify(again)).toBe(JSON.stringify(result));
  });
});

describe('features', () => {
  const row = (props: Record<string, string | null>, label: 0 | 1 = 0): LabelledRow => ({
    facts: { contact: { id: '1', properties: props }, company: null, engagements: {} },
    label,
    at: AT,
  });

  it('treats a missing value as a value of its own, never as zero', () => {
    const rows = [
      ...Array.from({ length: 100 }, (_, i) => row({ numberofemployees: String(10 + i * 10) })),
      ...Array.from({ length: 40 }, () => row({ numberofemployees: null })),
      ...Array.from({ length: 5 }, () => row({ numberofemployees: 'abc' })),
    ];
    const features = propertyFeatures(rows);
    const unknown = features.findIndex((f) => f.match.type === 'unknown');
    expect(unknown).toBeGreaterThanOrEqual(0);
    const toVector = createVectorizer(features);
    const empty = new Float64Array(0);
    expect([...toVector(row({ numberofemployees: null }), empty).active]).toEqual([unknown]);
    expect([...toVector(row({ numberofemployees: '' }), empty).active]).toEqual([unknown]);
    expect([...toVector(row({ numberofemployees: 'abc' }), empty).active]).toEqual([unknown]);
    // 0 is a number (it passes no threshold here), not "unknown".
    expect([...toVector(row({ numberofemployees: '0' }), empty).active]).toEqual([]);
  });

  it('pools rare values and skips free text', () => {
    const industries = ['Software', 'Retail', 'Banking'];
    const rows = [
      ...Array.from({ length: 90 }, (_, i) =>
        row({ industry: industries[i % 3]!, note: `text ${i}` }),
      ),
      ...Array.from({ length: 30 }, (_, i) => row({ industry: `Rare ${i}`, note: `more ${i}` })),
    ];
    const features = propertyFeatures(rows);
    expect(features.filter((f) => f.property === 'note')).toEqual([]);
    const other = features.find((f) => f.property === 'industry' && f.match.type === 'other')!;
    expect(other.condition).toMatchObject({ operator: 'not_in' });
    // Four levels (three values and "another value"): the most common is the reference.
    expect(
      features.filter((f) => f.property === 'industry' && f.match.type !== 'unknown'),
    ).toHaveLength(3);
  });

  it('AUC: perfect, reversed and tied rankings', () => {
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(auc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
  });
});

describe('too little data', () => {
  it('is refused with how much more is needed', () => {
    const rows = rowsOf(labelled(200));
    expect(() => train(rows, DEFAULT_MODEL)).toThrow(NotEnoughDataError);
    expect(() => train(rows, DEFAULT_MODEL)).toThrow(
      /At least 300 contacts .* more labelled contacts/,
    );
  });
});

describe('npm run train', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lq-train-'));
  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/train.ts', ...args], {
      cwd: root,
      input,
      encoding: 'utf8',
    });

  it('writes a model the scoring CLI accepts and prints the backtest as JSON', () => {
    const input = path.join(dir, 'labelled.jsonl');
    const lines = labelled(1_500, 5);
    writeFileSync(input, `${lines.join('\n')}\n`);
    const out = path.join(dir, 'model.json');
    const trained = run(['--input', input, '--out', out]);
    expect(trained.status, trained.stderr).toBe(0);
    const report = JSON.parse(trained.stdout) as TrainReport & { model: string };
    expect(report.model).toBe(out);
    expect(report.backtest.proposed.auc).toBeGreaterThan(report.backtest.active.auc);
    const scoreInput = lines.slice(0, 20).map((l) => {
      const { label: _l, at: _a, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify(rest);
    });
    const scored = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/server/cli/score.ts',
        '--model',
        out,
        '--now',
        '2026-06-30T00:00:00Z',
      ],
      { cwd: root, input: scoreInput.join('\n'), encoding: 'utf8' },
    );
    expect(scored.status, scored.stderr).toBe(0);
    expect(scored.stdout.trim().split('\n')).toHaveLength(20);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ version: 2 });
  });

  it('refuses too little data (exit 1) and names a bad line (exit 2)', () => {
    const small = path.join(dir, 'small.jsonl');
    writeFileSync(small, labelled(100).join('\n'));
    const refused = run(['--input', small, '--out', path.join(dir, 'x.json')]);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatch(/Too little data/);

    const bad = run(
      ['--input', '-', '--out', path.join(dir, 'y.json')],
      `${labelled(5)[0]}\n{"contact": {"id": "1", "properties": {}}, "label": 2, "at": "2026-01-01T00:00:00Z"}\n`,
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/line 2: label: must be 1 \(converted\) or 0/);

    const twice = run(
      ['--input', '-', '--out', path.join(dir, 'z.json')],
      `\uFEFF${labelled(5)[0]}\n\n${labelled(5)[0]}\n${labelled(5)[1]!.replace(/"at":"[^"]+"/, '"at":"0"')}\n`,
    );
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/line 3: contact.id: \d+ is already on line 1/);
    expect(twice.stderr).toMatch(/line 4: at: must be an ISO 8601 time/);

    // An unwritable destination is refused before any training.
    const nowhere = run(['--input', small, '--out', '/proc/lq/model.json']);
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toMatch(/cannot write the model to \/proc\/lq\/model.json/);
  });
});
