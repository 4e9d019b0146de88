import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  LoadingButton,
  LoadingSpinner,
  Text,
  type CrmContext,
} from '@hubspot/ui-extensions';
import type { CardView } from '@lead-qualifier/contract';
import { ApiError, backendUrl, callApi, messageOf } from '@lead-qualifier/ui-kit';
import { CardDetails } from './CardDetails';
import { FeedbackForm, type FeedbackInput } from './FeedbackForm';

export interface LeadScoreCardProps {
  context: CrmContext;
  /** How often to look again while a rescore or a feedback write is under way. */
  pollEveryMs?: number;
  /** After this long the card stops looking and says the change is still on its way. */
  pollForMs?: number;
}

type Load =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; view: CardView };

type Outcome = { variant: 'success' | 'danger' | 'warning' | 'info'; title: string; text: string };

/**
 * The contact sidebar card: why this lead has its score and status, what would move it up, and
 * the rep's Accept SQL / Reject SQL and Rescore now. Everything comes from one backend call.
 */
export function LeadScoreCard({
  context,
  pollEveryMs = 1_500,
  pollForMs = 30_000,
}: LeadScoreCardProps) {
  const base = backendUrl(context);
  const contactId = String(context.crm.objectId);
  const params = { contactId };
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [busy, setBusy] = useState<null | 'rescore' | 'feedback'>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [judging, setJudging] = useState<null | 'accepted' | 'rejected'>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const pollStarted = useRef<number | null>(null);
  const [gaveUp, setGaveUp] = useState(false);

  const refresh = useCallback(async () => {
    if (!base) return;
    try {
      const view = await callApi(base, 'card', { params: { contactId } });
      setLoad({ kind: 'ready', view });
    } catch (error) {
      setLoad({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, [base, contactId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // While a change is on its way, look again until it has landed (or say it is still coming).
  const pending = load.kind === 'ready' ? load.view.pending : null;
  useEffect(() => {
    if (!pending) {
      pollStarted.current = null;
      setGaveUp(false);
      return;
    }
    pollStarted.current ??= Date.now();
    if (Date.now() - pollStarted.current > pollForMs) {
      setGaveUp(true);
      return;
    }
    const timer = setTimeout(() => void refresh(), pollEveryMs);
    return () => clearTimeout(timer);
  }, [pending, load, refresh, pollEveryMs, pollForMs]);

  if (!base)
    return (
      <ErrorState title="Lead Qualifier is not connected">
        <Text>
          The project has no BACKEND_URL variable, so the card cannot reach Lead Qualifier. Ask the
          app's developer to set it in the project profile and upload again.
        </Text>
      </ErrorState>
    );

  async function rescore() {
    setBusy('rescore');
    setOutcome(null);
    try {
      const view = await callApi(base!, 'rescore', { params });
      setLoad({ kind: 'ready', view });
      setOutcome({
        variant: 'info',
        title: 'Rescoring',
        text: 'Lead Qualifier is reading this contact from HubSpot again; the card updates when it is done.',
      });
    } catch (error) {
      setOutcome({ variant: 'danger', title: 'Rescore failed', text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  }

  async function sendFeedback(input: FeedbackInput) {
    setBusy('feedback');
    setOutcome(null);
    setFieldErrors({});
    try {
      const view = await callApi(base!, 'giveFeedback', { params, body: { ...input } });
      setLoad({ kind: 'ready', view });
      setJudging(null);
      setOutcome(
        input.decision === 'accepted'
          ? {
              variant: 'success',
              title: 'SQL accepted',
              text: 'Recorded and written to HubSpot (lq_sql_feedback = accepted).',
            }
          : {
              variant: 'success',
              title: 'SQL rejected',
              text: 'Recorded with your reason; marketing sees it in the feedback report and the lead is recycled.',
            },
      );
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0)
        setFieldErrors(
          Object.fromEntries(error.details.map((d) => [d.path.replace(/^body\./, ''), d.message])),
        );
      setOutcome({ variant: 'danger', title: 'Feedback not saved', text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  }

  if (load.kind === 'loading')
    return <LoadingSpinner label="Loading the lead score" layout="centered" />;
  if (load.kind === 'error')
    return (
      <ErrorState title="The lead score could not be loaded">
        <Text>{load.message}</Text>
        <Button testId="retry" onClick={() => void refresh()}>
          Try again
        </Button>
      </ErrorState>
    );

  const { view } = load;
  const rescoreButton = (
    <LoadingButton
      testId="rescore"
      variant="secondary"
      size="sm"
      loading={busy === 'rescore' || view.pending?.kind === 'rescore'}
      disabled={busy !== null}
      onClick={() => void rescore()}
    >
      Rescore now
    </LoadingButton>
  );

  return (
    <Flex direction="column" gap="sm">
      {outcome && (
        <Alert title={outcome.title} variant={outcome.variant} testId="outcome">
          {outcome.text}
        </Alert>
      )}
      {view.pending && !gaveUp && (
        <Flex direction="row" gap="xs" align="center">
          <LoadingSpinner
            size="xs"
            label={view.pending.kind === 'rescore' ? 'Rescoring…' : 'Applying your feedback…'}
            showLabel
          />
        </Flex>
      )}
      {view.pending && gaveUp && (
        <Alert title="Still working" variant="warning" testId="still-working">
          The change is queued and will show here once HubSpot has answered. Refresh the card in a
          minute.
        </Alert>
      )}
      {view.state === 'not_synced' && (
        <EmptyState title="Not scored yet" layout="vertical" flush>
          <Text>
            Lead Qualifier has not scored this contact yet: it is scored during the first sync or
            right after it changes. Rescore it now to see its score.
          </Text>
          {rescoreButton}
        </EmptyState>
      )}
      {view.state === 'unscored' && (
        <EmptyState title="Nothing to score yet" layout="vertical" flush>
          <Text>
            {view.qualification?.reason ??
              'This contact has no data the model scores: no profile fields and no activity.'}
          </Text>
          {rescoreButton}
        </EmptyState>
      )}
      {view.state === 'scored' && view.qualification && (
        <>
          <CardDetails view={view} qualification={view.qualification} />
          {judging ? (
            <FeedbackForm
              decision={judging}
              busy={busy === 'feedback'}
              errors={fieldErrors}
              onSubmit={(input) => void sendFeedback(input)}
              onCancel={() => {
                setJudging(null);
                setFieldErrors({});
              }}
            />
          ) : (
            <Flex direction="row" gap="xs" wrap="wrap">
              {view.canGiveFeedback && (
                <>
                  <Button
                    testId="accept"
                    variant="primary"
                    size="sm"
                    disabled={
                      busy !== null ||
                      (view.feedback?.decision === 'accepted' &&
                        view.qualification.status === 'sql')
                    }
                    onClick={() => setJudging('accepted')}
                  >
                    Accept SQL
                  </Button>
                  <Button
                    testId="reject"
                    variant="destructive"
                    size="sm"
                    disabled={busy !== null}
                    onClick={() => setJudging('rejected')}
                  >
                    Reject SQL
                  </Button>
                </>
              )}
              {rescoreButton}
            </Flex>
          )}
        </>
      )}
    </Flex>
  );
}
