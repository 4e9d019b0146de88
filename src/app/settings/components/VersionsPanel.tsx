import { useCallback, useState } from 'react';
import {
  Alert,
  Button,
  Flex,
  Heading,
  List,
  LoadingButton,
  StatusTag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import type { Actor, ModelView, PropertiesView, VersionView } from '@lead-qualifier/contract';
import { callApi, messageOf, SimpleTable, useBackgroundJob } from '@lead-qualifier/ui-kit';
import { Consequences } from './Consequences';
import { diffModels } from './model-diff';

const who = (by: Actor | null) => (by ? (by.userEmail ?? `user ${by.userId}`) : 'Lead Qualifier');
/** In the admin's own time zone: "Dec 4, 2026, 5:30 AM". */
const when = (at: number) =>
  new Date(at).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Every published version (immutable), who published it and why; rollback to any of them, after
 * a preview of what it changes and a confirmation that names the stages it cannot move back.
 */
export function VersionsPanel(props: {
  base: string;
  view: ModelView;
  properties: PropertiesView | null;
  pollEveryMs: number;
  onRolledBack: (view: ModelView, version: number) => void;
}) {
  const { view, base } = props;
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const [compared, setCompared] = useState<VersionView | null>(null);
  const [comparing, setComparing] = useState<number | null>(null);

  async function compare(version: number) {
    setError(null);
    setComparing(version);
    try {
      setCompared(await callApi(base, 'version', { params: { version: String(version) } }));
    } catch (e) {
      setError(messageOf(e));
    }
    setComparing(null);
  }
  const startPreview = useCallback(
    (version: number) => callApi(base, 'startPreview', { body: { version } }),
    [base],
  );
  const readPreview = useCallback(
    (previewId: string) => callApi(base, 'preview', { params: { previewId } }),
    [base],
  );
  const job = useBackgroundJob(startPreview, readPreview, props.pollEveryMs);
  const ready =
    job.record?.status === 'done' && job.record.rollbackTo === target && job.record.result
      ? { id: job.record.id, result: job.record.result }
      : null;

  function consider(version: number) {
    setError(null);
    setTarget(version);
    void job.start(version);
  }

  async function rollback() {
    setError(null);
    if (target === null || !ready) return;
    if (note.trim() === '') {
      setNoteError('Say why you roll back: the history keeps it.');
      return;
    }
    setNoteError(null);
    setBusy(true);
    try {
      const next = await callApi(base, 'rollback', {
        body: { version: target, note: note.trim(), previewId: ready.id },
      });
      setNote('');
      setTarget(null);
      props.onRolledBack(next, target);
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  }

  return (
    <Flex direction="column" gap="md">
      {error && (
        <Alert title="That did not work" variant="danger" testId="rollback-error">
          {error}
        </Alert>
      )}
      <SimpleTable
        testId="versions"
        headers={['Version', 'Name', 'Published', 'By', 'Note', '']}
        rows={view.versions.map((v) => ({
          key: String(v.version),
          cells: [
            `v${v.version}`,
            v.name,
            when(v.publishedAt),
            who(v.publishedBy),
            v.note,
            v.version === view.active.version ? (
              <StatusTag variant="success">Active</StatusTag>
            ) : (
              <Flex direction="row" gap="xs" wrap="wrap">
                <LoadingButton
                  testId={`compare-${v.version}`}
                  size="sm"
                  variant="secondary"
                  loading={comparing === v.version}
                  onClick={() => void compare(v.version)}
                >
                  Compare with active
                </LoadingButton>
                <LoadingButton
                  testId={`rollback-${v.version}`}
                  size="sm"
                  variant="secondary"
                  loading={target === v.version && (job.starting || job.running)}
                  disabled={busy || job.starting || job.running}
                  onClick={() => consider(v.version)}
                >
                  Preview rollback
                </LoadingButton>
              </Flex>
            ),
          ],
        }))}
      />
      {compared && (
        <Flex direction="column" gap="xs" testId="version-diff">
          <Heading>
            Version {compared.info.version} compared with the active version {view.active.version}
          </Heading>
          <Text variant="microcopy">
            {`Published ${when(compared.info.publishedAt)} by ${who(compared.info.publishedBy)}: “${compared.info.note}”. Going back to it would change:`}
          </Text>
          <DiffList
            lines={diffModels(view.active.model, compared.model, {
              properties: props.properties,
              stageLabels: view.stageLabels,
            })}
          />
          <Flex direction="row">
            <Button
              testId="close-diff"
              size="sm"
              variant="secondary"
              onClick={() => setCompared(null)}
            >
              Close
            </Button>
          </Flex>
        </Flex>
      )}
      {job.error && (
        <Alert
          title="The rollback preview did not run"
          variant="danger"
          testId="rollback-preview-error"
        >
          {job.error}
        </Alert>
      )}
      {target !== null && ready && (
        <Flex direction="column" gap="sm" testId="rollback-confirm">
          <Heading>Make version {target} active again?</Heading>
          <Consequences
            result={ready.result}
            stageLabels={view.stageLabels}
            testId="rollback"
            also={`Contacts already moved forward by version ${view.active.version} stay where they are.`}
          />
          <TextArea
            testId="rollback-note"
            label={`Why you make version ${target} active again`}
            name="rollbackNote"
            value={note}
            maxLength={500}
            onChange={setNote}
            error={noteError !== null}
            validationMessage={noteError ?? undefined}
          />
          <Flex direction="row" gap="xs" wrap="wrap">
            <LoadingButton
              testId="confirm-rollback"
              variant="primary"
              loading={busy}
              onClick={() => void rollback()}
            >
              Roll back to version {target}
            </LoadingButton>
            <Button
              testId="cancel-rollback"
              variant="secondary"
              disabled={busy}
              onClick={() => setTarget(null)}
            >
              Cancel
            </Button>
          </Flex>
        </Flex>
      )}
      <Heading>History</Heading>
      <List variant="unordered" testId="history">
        {view.history.map((e) => (
          <Text key={`${e.at}-${e.action}-${e.version}`}>
            {when(e.at)}: {who(e.by)}{' '}
            {e.action === 'installed'
              ? `installed with version ${e.version}`
              : e.action === 'published'
                ? `published version ${e.version}${e.from ? ` (replacing ${e.from})` : ''}`
                : `rolled back from version ${e.from} to ${e.version}`}
            {e.note && e.action !== 'installed' ? ` — “${e.note}”` : ''}
          </Text>
        ))}
      </List>
    </Flex>
  );
}

function DiffList({ lines }: { lines: string[] }) {
  if (lines.length === 0)
    return (
      <Text testId="diff-none">Nothing: the two versions score every contact the same way.</Text>
    );
  return (
    <List variant="unordered" testId="diff-lines">
      {lines.map((line) => (
        <Text key={line}>{line}</Text>
      ))}
    </List>
  );
}
