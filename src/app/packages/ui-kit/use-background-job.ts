import { useEffect, useState } from 'react';
import { callApi, messageOf } from './api';

/**
 * A job the settings page starts and follows (a preview, a training): `start` POSTs to `path`,
 * then `path/:id` is read every `pollEveryMs` while the record says queued or running.
 */
export function useBackgroundJob<R extends { id: string; status: string }>(
  base: string,
  path: string,
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
        setRecord(await callApi<R>(base, `${path}/${record.id}`));
      } catch (e) {
        setError(messageOf(e));
      }
    }, pollEveryMs);
    return () => clearTimeout(timer);
  }, [base, path, record, running, pollEveryMs]);

  /** Starts the job; a refusal (e.g. the backend's field problems) goes to `onError` too. */
  async function start(body?: Record<string, unknown>, onError?: (error: unknown) => void) {
    setStarting(true);
    setError(null);
    try {
      setRecord(await callApi<R>(base, path, { method: 'POST', ...(body ? { body } : {}) }));
    } catch (e) {
      setError(messageOf(e));
      onError?.(e);
    }
    setStarting(false);
  }

  return { record, running, starting, error, start };
}
