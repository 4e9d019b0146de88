import { useEffect, useState } from 'react';
import { messageOf } from './api';

/**
 * A job the settings page starts and follows (a preview, a training): `start` calls `begin` (the
 * route that queues it), then `read` (the route that reads its record) runs every `pollEveryMs`
 * while the record says queued or running.
 */
export function useBackgroundJob<B, R extends { id: string; status: string }>(
  begin: (body: B) => Promise<R>,
  read: (id: string) => Promise<R>,
  pollEveryMs: number,
) {
  const [record, setRecord] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const running = record !== null && (record.status === 'queued' || record.status === 'running');

  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(async () => {
      try {
        setRecord(await read(record.id));
      } catch (e) {
        setError(messageOf(e));
      }
    }, pollEveryMs);
    return () => clearTimeout(timer);
  }, [read, record, running, pollEveryMs]);

  /** Starts the job; a refusal (e.g. the backend's field problems) goes to `onError` too. */
  async function start(body: B, onError?: (error: unknown) => void) {
    setStarting(true);
    setError(null);
    try {
      setRecord(await begin(body));
    } catch (e) {
      setError(messageOf(e));
      onError?.(e);
    }
    setStarting(false);
  }

  return { record, running, starting, error, start };
}
