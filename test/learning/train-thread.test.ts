import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import type { LabelledRow } from '../../src/server/learning/features';
import { parseLabelledLine } from '../../src/server/learning/labelled-line';
import { NotEnoughDataError, train } from '../../src/server/learning/train';
import { startTrainerThread } from '../../src/server/learning/train-off-thread';
import { seedPortal } from '../../src/sandbox/generator';
import { labelledLines } from '../../src/sandbox/labelled-export';
import { Portal } from '../../src/sandbox/portal';

const AT = Date.parse('2026-06-30T00:00:00Z');

function rows(contacts: number): LabelledRow[] {
  const portal = new Portal(1, { clock: () => AT, onChange: () => {} });
  const seeded = seedPortal(portal, { seed: 11, contacts });
  return [...labelledLines(portal, seeded.truth, AT)].map((line) => {
    const parsed = parseLabelledLine(line);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.row;
  });
}

/** Hands `all` to a trainer thread in chunks, as the train job streams them from storage. */
async function trainOffThread(all: LabelledRow[]) {
  const trainer = startTrainerThread();
  try {
    for (let i = 0; i < all.length; i += 500) trainer.add(all.slice(i, i + 500));
    return await trainer.train(DEFAULT_MODEL);
  } finally {
    await trainer.close();
  }
}

describe('training in a thread of its own', () => {
  it('learns exactly what training in process learns, and leaves the event loop free meanwhile', async () => {
    const data = rows(6_000);
    const started = performance.now();
    let last = started;
    let longestGap = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    const offThread = await trainOffThread(data);
    clearInterval(tick);
    const took = performance.now() - started;

    const inProcess = train(data, DEFAULT_MODEL);
    expect(JSON.stringify(offThread)).toBe(JSON.stringify(inProcess));
    // Training took far longer than any pause of this thread: it ran elsewhere.
    expect(took).toBeGreaterThan(4 * longestGap);
  });

  it('refuses too little data with the same message, as a NotEnoughDataError', async () => {
    const few = rows(200);
    const refusal = await trainOffThread(few).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(NotEnoughDataError);
    expect(() => train(few, DEFAULT_MODEL)).toThrow((refusal as Error).message);
  });
});
