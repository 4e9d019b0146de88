import { useCallback, useEffect, useState } from 'react';
import { Alert, LoadingSpinner } from '@hubspot/ui-extensions';
import type { ResponseOf } from '@lead-qualifier/contract';
import { callApi, messageOf } from './api';

/** Routes read with a plain GET: no path parameters, no body. */
type Report = 'health' | 'funnel' | 'feedback' | 'drift' | 'model' | 'properties';

/** GETs `route` when shown (and on `reload`): the data, or the error that says what went wrong. */
export function useLoaded<K extends Report>(base: string, route: K) {
  const [data, setData] = useState<ResponseOf<K> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setData((await callApi<Report>(base, route)) as ResponseOf<K>);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [base, route]);
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
