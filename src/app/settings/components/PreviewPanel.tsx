import { useCallback, useState } from 'react';
import {
  Alert,
  BarChart,
  Button,
  Divider,
  Flex,
  Heading,
  Link,
  LoadingButton,
  ProgressBar,
  Statistics,
  StatisticsItem,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import type { Model, ModelView, PreviewRequest } from '@lead-qualifier/contract';
import { Consequences } from './Consequences';
import {
  callApi,
  ConfirmModal,
  contactUrl,
  messageOf,
  SimpleTable,
  statusLabel,
  useBackgroundJob,
} from '@lead-qualifier/ui-kit';

interface PreviewPanelProps {
  base: string;
  /** The account, for links to the example contacts. */
  portalId: number;
  model: Model;
  activeVersion: number;
  /** The number publishing will give the draft. */
  nextVersion: number;
  pollEveryMs: number;
  save: () => Promise<ModelView | null>;
  /** The portal's lifecycle stages by value: the confirmation names the stages contacts move to. */
  stageLabels: Record<string, string>;
  closeOverlay?: (id: string) => void;
  onProblems: (error: unknown) => void;
  onPublished: (view: ModelView, version: number, note: string) => void;
}

/** Runs the form's model over the account's stored contacts beside the active one; publishes. */
export function PreviewPanel(props: PreviewPanelProps) {
  const { base, portalId } = props;
  const startPreview = useCallback(
    (body: PreviewRequest) => callApi(base, 'startPreview', { body }),
    [base],
  );
  const readPreview = useCallback(
    (previewId: string) => callApi(base, 'preview', { params: { previewId } }),
    [base],
  );
  const job = useBackgroundJob(startPreview, readPreview, props.pollEveryMs);
  const { record, running, starting, error } = job;
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [publishError, setPublishError] = useState<string | null>(null);

  /** The form as it was previewed: publishing is for exactly that model. */
  const [previewed, setPreviewed] = useState<string | null>(null);
  const formJson = JSON.stringify(props.model);
  const run = () => {
    setPreviewed(formJson);
    return job.start({ model: props.model }, props.onProblems);
  };
  const ready =
    record?.status === 'done' && record.rollbackTo === null && previewed === formJson
      ? record
      : null;

  async function publish() {
    setPublishError(null);
    if (note.trim() === '') {
      setNoteError('Say what changed and why: the versions list shows it to the next admin.');
      return;
    }
    setNoteError(null);
    if (!ready) return;
    setPublishing(true);
    const saved = await props.save();
    if (saved?.draft) {
      try {
        const answer = await callApi(base, 'publish', {
          body: { baseVersion: saved.draft.baseVersion, note: note.trim(), previewId: ready.id },
        });
        props.closeOverlay?.(PUBLISH_MODAL);
        props.onPublished(answer, answer.published.version, note.trim());
      } catch (e) {
        setPublishError(messageOf(e));
      }
    } else if (saved) setPublishError('The draft could not be saved.');
    setPublishing(false);
  }

  const result = record?.status === 'done' ? record.result : null;
  return (
    <Flex direction="column" gap="md">
      <Text>
        A preview scores every contact Lead Qualifier has synced with the form's model and with the
        active version {props.activeVersion}, and shows what would change. Nothing is written to
        HubSpot.
      </Text>
      <LoadingButton testId="run-preview" loading={starting || running} onClick={() => void run()}>
        {record ? 'Run the preview again' : 'Preview the changes'}
      </LoadingButton>
      {error && (
        <Alert title="The preview did not run" variant="danger" testId="preview-error">
          {error}
        </Alert>
      )}
      {running && record && (
        <ProgressBar
          testId="preview-progress"
          title="Scoring contacts with both models"
          value={record.done}
          maxValue={Math.max(1, record.total)}
          showPercentage
        />
      )}
      {record?.status === 'failed' && (
        <Alert title="The preview failed" variant="danger" testId="preview-failed">
          {record.error ?? 'Run it again.'}
        </Alert>
      )}
      {record && record.unsynced.length > 0 && (
        <Alert title="Some properties are not synced yet" variant="warning" testId="unsynced">
          The draft reads {record.unsynced.join(', ')}, which the active model does not. The preview
          treats them as empty; once published, the rescore reads them from HubSpot.
        </Alert>
      )}
      {result && (
        <Flex direction="column" gap="sm" testId="preview-result">
          <Statistics>
            <StatisticsItem label="Contacts compared" number={result.contacts} />
            <StatisticsItem label="Move up a status" number={result.up} />
            <StatisticsItem label="Move down a status" number={result.down} />
            <StatisticsItem label="Between lead and recycled" number={result.sideways} />
            <StatisticsItem label="Score changes" number={result.scoreChanged} />
            <StatisticsItem
              label="Mean score"
              number={`${result.meanScore.before} → ${result.meanScore.after}`}
            />
          </Statistics>
          <BarChart
            testId="distribution"
            data={result.distribution.before.flatMap((n, i) => [
              { band: bandLabel(i), model: `Active v${props.activeVersion}`, contacts: n },
              { band: bandLabel(i), model: 'Draft', contacts: result.distribution.after[i] ?? 0 },
            ])}
            axes={{
              x: { field: 'band', fieldType: 'category', label: 'Score' },
              y: { field: 'contacts', fieldType: 'linear', label: 'Contacts' },
              options: { groupFieldByColor: 'model' },
            }}
            options={{ title: 'Score distribution, before and after', showLegend: true }}
          />
          <Heading>Status changes</Heading>
          {result.transitions.length === 0 ? (
            <Text testId="no-transitions">No contact would change status.</Text>
          ) : (
            <SimpleTable
              testId="transitions"
              headers={['From', 'To', 'Contacts']}
              rows={result.transitions.map((t) => ({
                key: `${t.from}-${t.to}`,
                cells: [statusLabel(t.from), statusLabel(t.to), t.count],
              }))}
            />
          )}
          {result.samples.length > 0 && (
            <>
              <Heading>Examples</Heading>
              <SimpleTable
                testId="samples"
                headers={['Contact', 'Now', 'With the draft', 'Why']}
                rows={result.samples.map((s) => ({
                  key: s.contactId,
                  cells: [
                    <Link
                      key="contact"
                      testId={`sample-${s.contactId}`}
                      href={{ url: contactUrl(portalId, s.contactId), external: true }}
                    >
                      {s.contactName ??
                        `A contact${s.domain ? ` at ${s.domain}` : ''} (name not available)`}
                    </Link>,
                    `${s.before.score} · ${statusLabel(s.before.status)} · ${s.before.grade}`,
                    `${s.after.score} · ${statusLabel(s.after.status)} · ${s.after.grade}`,
                    [
                      ...s.reasons
                        .slice(0, 3)
                        .map((r) => `${r.label}: ${round(r.before)} → ${round(r.after)}`),
                      s.why,
                    ].join('; '),
                  ],
                }))}
              />
            </>
          )}
        </Flex>
      )}
      <Divider />
      <Heading>Publish</Heading>
      <Text>
        Publishing saves the form as version {props.nextVersion}, makes it active and rescores every
        contact. Earlier versions stay in the versions list for rollback.
      </Text>
      {ready?.result ? null : (
        <Text variant="microcopy" testId="publish-needs-preview">
          {record?.status === 'done' && previewed !== formJson
            ? 'The form changed since this preview: preview it again to publish it.'
            : 'Preview the form first: only a model you have seen the effect of can be published.'}
        </Text>
      )}
      {publishError && (
        <Alert title="Not published" variant="danger" testId="publish-error">
          {publishError}
        </Alert>
      )}
      <Button
        testId="publish"
        variant="primary"
        disabled={!ready?.result || publishing}
        overlay={
          ready?.result ? (
            <ConfirmModal
              id={PUBLISH_MODAL}
              title={`Publish version ${props.nextVersion}?`}
              testId="publishing"
              confirmLabel={`Publish version ${props.nextVersion}`}
              cancelLabel="Cancel"
              variant="primary"
              busy={publishing}
              onConfirm={() => void publish()}
              onCancel={() => props.closeOverlay?.(PUBLISH_MODAL)}
              width="md"
            >
              <Consequences
                result={ready.result}
                stageLabels={props.stageLabels}
                testId="publish"
              />
              <TextArea
                testId="publish-note"
                label="What changed and why"
                name="note"
                value={note}
                maxLength={500}
                onChange={setNote}
                error={noteError !== null}
                validationMessage={noteError ?? undefined}
              />
              {publishError && (
                <Alert title="Not published" variant="danger" testId="publish-modal-error">
                  {publishError}
                </Alert>
              )}
            </ConfirmModal>
          ) : undefined
        }
      >
        Publish version {props.nextVersion}…
      </Button>
    </Flex>
  );
}

const PUBLISH_MODAL = 'lq-publish';
const bandLabel = (i: number) => (i === 9 ? '90–100' : `${i * 10}–${i * 10 + 9}`);
const round = (n: number) => Math.round(n * 10) / 10;
