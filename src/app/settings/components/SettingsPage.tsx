import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  ErrorState,
  Flex,
  LoadingButton,
  LoadingSpinner,
  Tab,
  Tabs,
  Text,
  type SettingsContext,
} from '@hubspot/ui-extensions';
import type { Model, ModelView, PropertiesView } from '@lead-qualifier/contract';
import { ApiError, backendUrl, callApi, ConfirmModal, messageOf } from '@lead-qualifier/ui-kit';
import { FeedbackPanel } from './FeedbackPanel';
import { FunnelPanel } from './FunnelPanel';
import { LearningPanel } from './LearningPanel';
import { HealthPanel } from './HealthPanel';
import { HandOffPanel } from './HandOffPanel';
import { ModelForm } from './ModelForm';
import { OutcomeAlert, type Outcome } from './OutcomeAlert';
import { describePath, draftStatus, problemsByPath, ruleLabels } from './model-edit';
import { PreviewPanel } from './PreviewPanel';
import { VersionsPanel } from './VersionsPanel';

const DISCARD_MODAL = 'lq-discard-draft';

export interface SettingsPageProps {
  context: SettingsContext;
  /** HubSpot's actions: the page closes its own confirmation modals. */
  actions?: { closeOverlay?: (id: string) => void };
  /** How often a running preview is looked at again. */
  pollEveryMs?: number;
}

type TabId =
  'model' | 'preview' | 'versions' | 'handoff' | 'health' | 'learning' | 'funnel' | 'feedback';

/**
 * The admin's settings page: the model as a form (saved as a draft), a preview of the draft
 * over the account's contacts, publish and rollback of versions, sync health and what sales
 * said about the SQLs it got.
 */
export function SettingsPage({ context, actions = {}, pollEveryMs = 1_000 }: SettingsPageProps) {
  const base = backendUrl(context);
  const [view, setView] = useState<ModelView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [properties, setProperties] = useState<PropertiesView | null>(null);
  const [propertiesError, setPropertiesError] = useState<string | null>(null);
  const [form, setForm] = useState<Model | null>(null);
  /** Bumped when the form is replaced from outside (load, discard, publish): fields remount. */
  const [revision, setRevision] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState<null | 'save' | 'discard'>(null);
  const [tab, setTab] = useState<TabId>('model');
  /** Panels whose work must survive a switch of tabs (a preview, a training) stay mounted. */
  const [kept, setKept] = useState<ReadonlySet<TabId>>(new Set());
  const keep = (id: TabId) => tab === id || kept.has(id);
  useEffect(() => {
    if ((tab === 'preview' || tab === 'learning') && !kept.has(tab))
      setKept(new Set([...kept, tab]));
  }, [tab, kept]);

  const adopt = useCallback((next: ModelView) => {
    setView(next);
    setForm(next.draft?.model ?? next.active.model);
    setRevision((r) => r + 1);
    setDirty(false);
    setProblems(new Map());
  }, []);

  const load = useCallback(async () => {
    if (!base) return;
    setLoadError(null);
    try {
      adopt(await callApi(base, 'model'));
    } catch (error) {
      setLoadError(messageOf(error));
      return;
    }
    try {
      const lists = await callApi(base, 'properties');
      setProperties(lists);
      setPropertiesError(lists.warnings.length > 0 ? lists.warnings.join(' ') : null);
    } catch (error) {
      setPropertiesError(messageOf(error));
    }
  }, [base, adopt]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!base)
    return (
      <ErrorState title="Lead Qualifier is not connected">
        <Text>
          The project has no BACKEND_URL variable, so this page cannot reach Lead Qualifier. Set it
          in the project profile and upload again.
        </Text>
      </ErrorState>
    );
  if (loadError)
    return (
      <ErrorState title="The settings could not be loaded">
        <Text>{loadError}</Text>
        <Button testId="retry" onClick={() => void load()}>
          Try again
        </Button>
      </ErrorState>
    );
  if (!view || !form) return <LoadingSpinner label="Loading the model" layout="centered" />;

  /** Shows the backend's field problems beside their fields and listed at the top. */
  function showProblems(error: unknown, title: string, model: Model) {
    if (error instanceof ApiError && error.details.length > 0) {
      setProblems(problemsByPath(error.details));
      setOutcome({
        variant: 'danger',
        title,
        text: error.message,
        list: error.details.map(
          (d) => `${describePath(d.path.replace(/^model\./, ''), model)}: ${d.message}`,
        ),
      });
    } else setOutcome({ variant: 'danger', title, text: messageOf(error) });
  }

  /** Deletes the saved draft (confirmed in its modal): the form shows the active model. */
  async function discard() {
    setBusy('discard');
    try {
      adopt(await callApi(base!, 'discardDraft'));
      actions.closeOverlay?.(DISCARD_MODAL);
      setOutcome({
        variant: 'info',
        title: 'Draft discarded',
        text: `The form shows the active model, version ${view!.active.version}, again.`,
      });
    } catch (error) {
      setOutcome({ variant: 'danger', title: 'Not discarded', text: messageOf(error) });
    }
    setBusy(null);
  }

  /** Saves the form as the draft; returns the saved view, or null (problems shown). */
  async function save(): Promise<ModelView | null> {
    setOutcome(null);
    try {
      const saved = await callApi(base!, 'saveDraft', {
        body: { model: form, baseVersion: view!.active.version },
      });
      setView(saved);
      setDirty(false);
      setProblems(new Map());
      return saved;
    } catch (error) {
      showProblems(error, 'The draft was not saved', form!);
      return null;
    }
  }

  const status = draftStatus(view, dirty);

  return (
    <Flex direction="column" gap="md">
      {/* On the model tab the outcome shows beside the Save button, where the admin looks. */}
      {outcome && tab !== 'model' && <OutcomeAlert outcome={outcome} />}
      <Tabs
        selected={tab}
        onSelectedChange={(id: string | number) => setTab(id as TabId)}
        testId="tabs"
      >
        <Tab tabId="model" title="Model">
          {tab === 'model' && (
            <Flex direction="column" gap="sm">
              <Text testId="draft-status">{status}</Text>
              {propertiesError && (
                <Alert title="Property lists unavailable" variant="warning">
                  {propertiesError} Property names can still be typed as they are.
                </Alert>
              )}
              <ModelForm
                key={revision}
                model={form}
                problems={problems}
                properties={properties}
                stageLabels={view.stageLabels}
                onChange={(next) => {
                  setForm(next);
                  setDirty(true);
                }}
              />
              <Flex direction="row" gap="sm" wrap="wrap">
                <LoadingButton
                  testId="save-draft"
                  variant="primary"
                  loading={busy === 'save'}
                  disabled={busy !== null}
                  onClick={async () => {
                    setBusy('save');
                    const saved = await save();
                    if (saved)
                      setOutcome({
                        variant: 'success',
                        title: 'Draft saved',
                        text: 'Nothing changes for contacts until you publish it. Preview it first to see what it would do.',
                      });
                    setBusy(null);
                  }}
                >
                  Save draft
                </LoadingButton>
                <Button testId="to-preview" onClick={() => setTab('preview')}>
                  Preview and publish
                </Button>
                <Button
                  testId="discard-draft"
                  variant="secondary"
                  disabled={busy !== null || (!view.draft && !dirty)}
                  overlay={
                    <ConfirmModal
                      id={DISCARD_MODAL}
                      title="Discard the draft?"
                      testId="discard"
                      confirmLabel="Discard the draft"
                      cancelLabel="Keep it"
                      variant="destructive"
                      busy={busy === 'discard'}
                      onConfirm={() => void discard()}
                      onCancel={() => actions.closeOverlay?.(DISCARD_MODAL)}
                    >
                      <Text testId="discard-consequence">
                        {view.draft
                          ? `The draft ${view.draft.updatedBy.userEmail ? `saved by ${view.draft.updatedBy.userEmail} ` : ''}on ${new Date(view.draft.updatedAt).toLocaleString()} is deleted${dirty ? ', with the changes not saved yet,' : ''} and the form shows version ${view.active.version} again. This cannot be undone.`
                          : `The changes not saved yet are dropped and the form shows version ${view.active.version} again.`}
                      </Text>
                    </ConfirmModal>
                  }
                >
                  Discard draft…
                </Button>
              </Flex>
              {outcome && <OutcomeAlert outcome={outcome} />}
            </Flex>
          )}
        </Tab>
        <Tab tabId="preview" title="Preview and publish">
          {keep('preview') && (
            <PreviewPanel
              base={base}
              portalId={context.portal.id}
              model={form}
              activeVersion={view.active.version}
              nextVersion={
                Math.max(view.active.version, ...view.versions.map((v) => v.version)) + 1
              }
              pollEveryMs={pollEveryMs}
              save={save}
              stageLabels={view.stageLabels}
              closeOverlay={actions.closeOverlay}
              onProblems={(error) => showProblems(error, 'The draft has problems', form)}
              onPublished={(next, version, note) => {
                adopt(next);
                setOutcome({
                  variant: 'success',
                  title: `Version ${version} published`,
                  text: `“${note}”. Every contact is being rescored with it; sync health shows the progress.`,
                });
              }}
            />
          )}
        </Tab>
        <Tab tabId="versions" title="Versions">
          {tab === 'versions' && (
            <VersionsPanel
              base={base}
              view={view}
              properties={properties}
              pollEveryMs={pollEveryMs}
              onRolledBack={(next, version) => {
                adopt(next);
                setOutcome({
                  variant: 'success',
                  title: `Version ${version} is active again`,
                  text: 'Every contact is being rescored with it.',
                });
              }}
            />
          )}
        </Tab>
        <Tab tabId="handoff" title="Hand-off to sales">
          {tab === 'handoff' && <HandOffPanel base={base} />}
        </Tab>
        <Tab tabId="health" title="Sync health">
          {tab === 'health' && <HealthPanel base={base} portalId={context.portal.id} />}
        </Tab>
        <Tab tabId="learning" title="Learning">
          {keep('learning') && (
            <LearningPanel
              base={base}
              activeVersion={view.active.version}
              pollEveryMs={pollEveryMs}
              draft={view.draft}
              closeOverlay={actions.closeOverlay}
              onDraft={(next) => {
                adopt(next);
                setTab('model');
                setOutcome({
                  variant: 'success',
                  title: 'Trained model saved as the draft',
                  text: 'Review it here, preview it over your contacts, then publish it if it does better.',
                });
              }}
            />
          )}
        </Tab>
        <Tab tabId="funnel" title="Funnel and SLA">
          {tab === 'funnel' && <FunnelPanel base={base} />}
        </Tab>
        <Tab tabId="feedback" title="Sales feedback">
          {tab === 'feedback' && (
            <FeedbackPanel
              base={base}
              portalId={context.portal.id}
              ruleLabels={ruleLabels(view.active.model)}
            />
          )}
        </Tab>
      </Tabs>
    </Flex>
  );
}
