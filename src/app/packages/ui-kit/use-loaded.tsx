import { useCallback, useEffect, useState } from 'react';
import { Alert, LoadingSpinner } from '@hubspot/ui-extensions';
import { callApi, messageOf } from './api';

/** GETs `path` when shown (and on `reload`): the data, or the error that says what went wrong. */
export function useLoaded<T>(base: string, path: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await callApi<T>(base, path));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [base, path]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

/** What a panel shows until its data is there: a spinner, or the error. */
export function NotLoaded(props: { what: string; error: string | null; testId: string }) {
  return props.error ? (
    <Alert title={`${props.what} could not be loaded`} variant="danger" testId={props.testId}>
      {props.error}
    </Alert>
  ) : (
    <LoadingSpinner label={`Loading ${props.what.toLowerCase()}`} />
  );
}
