/**
 * Thrown by a job that should not run now but later (its portal already has as many runs of
 * its kind as it may): the worker moves it back to delayed for `delayMs`, without spending an
 * attempt, and frees its slot for other work.
 */
export class RunLater extends Error {
  readonly delayMs: number;
  constructor(delayMs: number, reason: string) {
    super(reason);
    this.name = 'RunLater';
    this.delayMs = delayMs;
  }
}
