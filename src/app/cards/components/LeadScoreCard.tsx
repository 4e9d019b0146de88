import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  LoadingButton,
  LoadingSpinner,
  Modal,
  ModalBody,
  Text,
  type CrmContext,
} from '@hubspot/ui-extensions';
import type { CardView, FeedbackRecord } from '@lead-qualifier/contract';
import { ApiError, backendUrl, callApi, messageOf, reasonLabel } from '@lead-qualifier/ui-kit';
import { CardDetails, day } from './CardDetails';
import { FeedbackForm, type FeedbackInput } from './FeedbackForm';
import { LeadSection } from './LeadSection';

/** The host actions the card uses: keep HubSpot's record in step, close its own modals. */
export interface CardActions {
  refreshObjectProperties: () => void;
  onCrmPropertiesUpdate: (
    properties: string[] | '*',
    callback: (properties: Record<string, string>, error?: { message: string }) => void,
  ) => void;
  closeOverlay: (id: string) => void;
}

export interface LeadScoreCardProps {
  context: CrmContext;
  actions?: Partial<CardActions>;
  /** How often to look again while a rescore or a feedback write is under way. */
  pollEveryMs?: number;
  /** After this long the card stops looking and says the change is still on its way. */
  pollForMs?: number;
}

type Load =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; view: CardView };

type Outcome = { variant: 'success' | 'danger' | 'warning' | 'info'; title: string; text: string };

const MODAL = { accepted: 'lq-accept-sql', rejected: 'lq-reject-sql' } as const;
/** After a change in HubSpot, look again once its webhook has had time to be rescored. */
const AFTER_EDIT_MS = 4_000;

/** "Accepted by ann@acme.com · Nov 26", "Rejected (Not a fit) by … · Nov 26". */
function decisionLine(feedback: FeedbackRecord): string {
  const what =
    feedback.decision === 'accepted'
      ? 'SQL accepted'
      : `SQL rejected (${reasonLabel(feedback.reason ?? 'other')})`;
  const by = feedback.by.userEmail ? ` by ${feedback.by.userEmail}` : '';
  const note = feedback.note ? `: “${feedback.note}”` : '';
  return `${what}${by} · ${day(feedback.at)}${note}`;
}

/**
 * The contact sidebar card: what this lead is and why, what would move it up, and the rep's
 * Accept SQL / Reject SQL where a sales decision means something. One backend call per view.
 */
export function LeadScoreCard({
  context,
  actions = {},
  pollEveryMs = 1_500,
  pollForMs = 30_000,
}: LeadScoreCardProps) {
  const base = backendUrl(context);
  const contactId = String(context.crm.objectId);
  const params = { contactId };
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [busy, setBusy] = useState<null | 'rescore' | 'feedback' | 'handoff'>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  /** The rep chose "Change" on a decision: the buttons show again. */
  const [changing, setChanging] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const pollStarted = useRef<number | null>(null);
  const [gaveUp, setGaveUp] = useState(false);
  const { refreshObjectProperties, onCrmPropertiesUpdate, closeOverlay } = actions;

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

  // The rep edits the record: look again now, and once its rescore has had time to land.
  useEffect(() => {
    if (!onCrmPropertiesUpdate) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    onCrmPropertiesUpdate('*', () => {
      void refresh();
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), AFTER_EDIT_MS);
    });
    return () => clearTimeout(timer);
  }, [onCrmPropertiesUpdate, refresh]);

  // While a change is on its way, look again until it has landed (or say it is still coming);
  // when it lands, HubSpot's property panel is told to read the record again.
  const pending = load.kind === 'ready' ? load.view.pending : null;
  const wasPending = useRef(false);
  useEffect(() => {
    if (!pending) {
      if (wasPending.current) refreshObjectProperties?.();
      wasPending.current = false;
      pollStarted.current = null;
      setGaveUp(false);
      return;
    }
    wasPending.current = true;
    pollStarted.current ??= Date.now();
    if (Date.now() - pollStarted.current > pollForMs) {
      setGaveUp(true);
      return;
    }
    const timer = setTimeout(() => void refresh(), pollEveryMs);
    return () => clearTimeout(timer);
  }, [pending, load, refresh, pollEveryMs, pollForMs, refreshObjectProperties]);

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
      if (!view.pending) refreshObjectProperties?.();
    } catch (error) {
      setOutcome({ variant: 'danger', title: 'Rescore failed', text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  }

  /** The rep hands the contact to sales now: a lead (or task) for its routed owner. */
  async function handOff() {
    setBusy('handoff');
    setOutcome(null);
    try {
      const view = await callApi(base!, 'handOff', { params });
      setLoad({ kind: 'ready', view });
      setOutcome({
        variant: 'info',
        title: 'Handing to sales',
        text: 'The lead is being created and routed in HubSpot; it shows here in a moment.',
      });
      // The lead is made by a job: look again once it has had time to land.
      for (const wait of [1_500, AFTER_EDIT_MS]) setTimeout(() => void refresh(), wait);
    } catch (error) {
      setOutcome({ variant: 'danger', title: 'Not handed to sales', text: messageOf(error) });
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
      // Already written to HubSpot (else once it is: see the pending effect): reload the record.
      if (!view.pending) refreshObjectProperties?.();
      setChanging(false);
      closeOverlay?.(MODAL[input.decision]);
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0)
        setFieldErrors(
          Object.fromEntries(error.details.map((d) => [d.path.replace(/^body\./, ''), d.message])),
        );
      setOutcome({
        variant: 'danger',
        title: 'Your decision was not saved',
        text: messageOf(error),
      });
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
      loading={busy === 'rescore' || view.pending?.kind === 'rescore'}
      disabled={busy !== null}
      onClick={() => void rescore()}
    >
      Rescore now
    </LoadingButton>
  );

  const feedbackModal = (decision: 'accepted' | 'rejected') => (
    <Modal
      id={MODAL[decision]}
      title={decision === 'accepted' ? 'Accept this SQL' : 'Reject this SQL'}
      width="sm"
      onClose={() => setFieldErrors({})}
    >
      <ModalBody>
        <FeedbackForm
          decision={decision}
          busy={busy === 'feedback'}
          errors={fieldErrors}
          onSubmit={(input) => void sendFeedback(input)}
          onCancel={() => closeOverlay?.(MODAL[decision])}
        />
      </ModalBody>
    </Modal>
  );

  // The decision a rep made, with "Change"; the buttons only while there is none (or on Change).
  const decided = view.canGiveFeedback && view.feedback !== null && !changing;
  const actionsRow = view.canGiveFeedback && !decided && (
    <Flex direction="row" gap="xs" wrap="wrap" testId="sql-actions">
      <Button
        testId="accept"
        variant="primary"
        disabled={busy !== null}
        overlay={feedbackModal('accepted')}
      >
        Accept SQL
      </Button>
      <Button
        testId="reject"
        variant="secondary"
        disabled={busy !== null}
        overlay={feedbackModal('rejected')}
      >
        Reject SQL
      </Button>
    </Flex>
  );

  return (
    <Flex direction="column" gap="sm">
      {outcome && (
        <Alert title={outcome.title} variant={outcome.variant} testId="outcome">
          {outcome.text}
        </Alert>
      )}
      {view.pending && !gaveUp && (
        <LoadingSpinner
          size="xs"
          label={
            view.pending.kind === 'rescore'
              ? 'Rescoring from HubSpot…'
              : 'Saving your decision to HubSpot…'
          }
          showLabel
        />
      )}
      {view.pending && gaveUp && (
        <Alert title="Still working" variant="warning" testId="still-working">
          <Flex direction="column" gap="xs">
            <Text>The change is queued and shows here once HubSpot has answered.</Text>
            <Button testId="refresh" size="sm" onClick={() => void refresh()}>
              Refresh the card
            </Button>
          </Flex>
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
          <CardDetails
            view={view}
            qualification={view.qualification}
            portalId={context.portal.id}
            action={
              <>
                {decided && view.feedback && (
                  <Flex direction="row" gap="xs" align="center" wrap="wrap" testId="decision">
                    <Text variant="microcopy">{decisionLine(view.feedback)}</Text>
                    <Button
                      testId="change-decision"
                      variant="transparent"
                      size="xs"
                      disabled={busy !== null || view.pending !== null}
                      onClick={() => setChanging(true)}
                    >
                      Change
                    </Button>
                  </Flex>
                )}
                {actionsRow}
              </>
            }
          />
          {view.lead && (
            <LeadSection
              lead={view.lead}
              now={view.now}
              portalId={context.portal.id}
              contactId={contactId}
            />
          )}
          <Flex direction="row" gap="xs" wrap="wrap">
            {view.canHandOff && (
              <LoadingButton
                testId="hand-off"
                variant="primary"
                loading={busy === 'handoff'}
                disabled={busy !== null}
                onClick={() => void handOff()}
              >
                Hand to sales
              </LoadingButton>
            )}
            {rescoreButton}
          </Flex>
        </>
      )}
    </Flex>
  );
}
