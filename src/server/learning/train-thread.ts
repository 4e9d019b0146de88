// The training thread: rows arrive in chunks while the job streams them from storage, then one
// `train` message runs the whole computation here, off the worker's event loop.
import { parentPort } from 'node:worker_threads';
import type { Model, TrainReport } from '@lead-qualifier/contract';
import type { LabelledRow } from './features';
import { NotEnoughDataError, TrainingFailedError, train } from './train';

export type ToTrainer = { type: 'rows'; rows: LabelledRow[] } | { type: 'train'; active: Model };

export type FromTrainer =
  | { type: 'done'; model: Model; report: TrainReport }
  | { type: 'not-enough'; message: string }
  | { type: 'failed'; message: string };

const port = parentPort;
if (port) {
  const rows: LabelledRow[] = [];
  port.on('message', (message: ToTrainer) => {
    if (message.type === 'rows') {
      for (const row of message.rows) rows.push(row);
      return;
    }
    let reply: FromTrainer;
    try {
      const { model, report } = train(rows, message.active);
      reply = { type: 'done', model, report };
    } catch (error) {
      reply =
        // Both are refusals whose message says what is wrong with the data: not failures.
        error instanceof NotEnoughDataError || error instanceof TrainingFailedError
          ? { type: 'not-enough', message: error.message }
          : { type: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
}
