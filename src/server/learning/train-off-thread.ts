import { Worker } from 'node:worker_threads';
import type { Model, TrainReport } from '@lead-qualifier/contract';
import type { LabelledRow } from './features';
import { NotEnoughDataError } from './train';
import type { FromTrainer, ToTrainer } from './train-thread';

/** A training running in a thread of its own: the worker's event loop stays free meanwhile. */
interface TrainerThread {
  /** Hands the thread a chunk of rows (copied: the caller may drop its own). */
  add(rows: LabelledRow[]): void;
  /** Trains on every row added; rejects with NotEnoughDataError as `train` throws it. */
  train(active: Model): Promise<{ model: Model; report: TrainReport }>;
  /** Stops the thread, whether or not it finished. */
  close(): Promise<void>;
}

/**
 * Starts a training thread. Training 100,000 contacts takes 15-30 s of CPU: on the
 * worker's own thread that would hold up every other job (a webhook's rescore, a card's
 * "Rescore now") and the renewal of their locks for as long.
 */
export function startTrainerThread(): TrainerThread {
  // The thread loads TypeScript as this process does: tsx registers its loader there first.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./train-thread.ts', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true },
  );
  // A thread that fails while rows are still streaming is reported when the training is asked for.
  let failure: Error | null = null;
  let exitCode: number | null = null;
  worker.on('error', (error) => (failure ??= error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const stopped = () =>
    failure ?? new Error(`the training thread stopped (exit code ${exitCode}) before it finished`);

  return {
    add(rows) {
      if (exitCode === null) worker.postMessage({ type: 'rows', rows } satisfies ToTrainer);
    },
    train(active) {
      if (exitCode !== null) return Promise.reject(stopped());
      return new Promise((resolve, reject) => {
        const onExit = () => reject(stopped());
        worker.once('exit', onExit);
        worker.once('message', (reply: FromTrainer) => {
          worker.off('exit', onExit);
          if (reply.type === 'done') resolve({ model: reply.model, report: reply.report });
          else if (reply.type === 'not-enough') reject(new NotEnoughDataError(reply.message));
          else reject(new Error(reply.message));
        });
        worker.postMessage({ type: 'train', active } satisfies ToTrainer);
      });
    },
    async close() {
      if (exitCode === null) await worker.terminate();
      await exited;
    },
  };
}
