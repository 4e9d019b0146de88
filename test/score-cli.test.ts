import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_INPUT } from '../src/server/domain/default-model';

const root = path.resolve(import.meta.dirname, '..');

function runScore(
  args: string[],
  stdin: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/score.ts', ...args], {
      cwd: root,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const line = (o: unknown) => JSON.stringify(o);
const vp = {
  contact: {
    id: '101',
    properties: {
      email: 'ana@acme.io',
      jobtitle: 'VP Sales',
      recent_conversion_event_name: 'Demo request',
      recent_conversion_date: '2026-01-29T00:00:00Z',
    },
  },
  company: {
    id: '7',
    properties: {
      industry: 'COMPUTER_SOFTWARE',
      numberofemployees: '400',
      annualrevenue: '9000000',
    },
  },
  engagements: {
    meetings: [
      {
        id: 'm1',
        properties: {
          hs_meeting_outcome: 'COMPLETED',
          hs_meeting_start_time: '2026-01-30T00:00:00Z',
        },
      },
    ],
  },
};

describe('the scoring CLI', () => {
  it('writes one documented line per contact, in order, and exits 0', async () => {
    const student = {
      contact: { id: '102', properties: { email: 'a@gmail.com', jobtitle: 'Student' } },
      company: null,
      engagements: {},
    };
    const { code, stdout } = await runScore(
      ['--now', '2026-01-31T00:00:00Z'],
      `${line(vp)}\n${line(student)}\n`,
    );
    expect(code).toBe(0);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(['101', '102']);
    expect(Object.keys(out[0])).toEqual([
      'id',
      'score',
      'fitScore',
      'engagementScore',
      'grade',
      'status',
      'lifecyclestage',
      'ledger',
      'criteria',
      'next',
      'modelVersion',
    ]);
    expect(out[0]).toMatchObject({
      status: 'ready',
      lifecyclestage: 'marketingqualifiedlead',
      modelVersion: 1,
    });
    expect(out[0].ledger[0]).toEqual({
      rule: 'seniority_exec_title',
      label: 'Executive or VP',
      points: 15,
      evidence: 'Job Title: VP Sales',
    });
    expect(out[1]).toMatchObject({ status: 'lead', grade: 'D' });
  });

  it('is deterministic for a fixed --now', async () => {
    const a = await runScore(['--now', '2026-01-31T00:00:00Z'], `${line(vp)}\n`);
    const b = await runScore(['--now', '2026-01-31T00:00:00Z'], `${line(vp)}\n`);
    expect(a.stdout).toBe(b.stdout);
  });

  it('answers a bad line with its number and field, goes on, and exits 1', async () => {
    const input = [
      line(vp),
      'not json',
      line({ contact: { properties: {} } }),
      line({ contact: { id: '5', properties: 'x' } }),
      line(vp),
    ].join('\n');
    const { code, stdout } = await runScore(['--now', '2026-01-31T00:00:00Z'], input);
    expect(code).toBe(1);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(5);
    expect(out[1]).toEqual({ line: 2, error: expect.stringMatching(/^invalid JSON/) });
    expect(out[2]).toEqual({
      line: 3,
      error: 'contact.id: must be the object id HubSpot gave it, e.g. "101"',
    });
    expect(out[3]).toEqual({
      line: 4,
      error: 'contact.properties: must be an object of property names to string values',
    });
    expect(out[4].id).toBe('101');
  });

  it('scores with a model file, and refuses a bad one at once with every problem by path', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lq-model-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({ ...DEFAULT_MODEL_INPUT, version: 7, mql: { minScore: 10, minFit: 0 } }),
    );
    const scored = await runScore(
      ['--model', good, '--now', '2026-01-31T00:00:00Z'],
      `${line(vp)}\n`,
    );
    expect(JSON.parse(scored.stdout).modelVersion).toBe(7);

    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ ...DEFAULT_MODEL_INPUT, grades: { A: 1, B: 2, C: 3 }, slaHours: -1 }),
    );
    const refused = await runScore(['--model', bad], `${line(vp)}\n`);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      /2 problems:\n {2}- slaHours: must be at least 0.001 hours\n {2}- grades: grade thresholds must fall/,
    );
  });

  it('refuses a bad --now with what to write instead', async () => {
    for (const now of ['yesterday', 'hello 1', '0']) {
      const { code, stderr } = await runScore(['--now', now], '');
      expect(code).toBe(2);
      expect(stderr).toMatch(/--now must be an ISO 8601 time/);
    }
  });

  it('ignores a byte-order mark, skips blank lines, and scores a line as of its own "at"', async () => {
    const at = { ...vp, at: '2026-01-31T00:00:00Z' };
    const { code, stdout, stderr } = await runScore(
      ['--now', '2027-01-31T00:00:00Z'],
      `\uFEFF${line(vp)}\n\n   \n${line(at)}\n`,
    );
    expect(code, stderr).toBe(0);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; score: number });
    expect(out).toHaveLength(2);
    expect(stderr).toMatch(/scored 2, failed 0, 2 blank lines skipped/);
    // As of a year later the demo request has faded; as of its own time it has not.
    expect(out[1]!.score).toBeGreaterThan(out[0]!.score);
  });

  it('ends quietly when its reader goes away (| head)', async () => {
    const many = Array.from({ length: 5_000 }, () => line(vp)).join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/score.ts'], {
      cwd: root,
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.on('error', () => {});
    child.stdin.end(many);
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
