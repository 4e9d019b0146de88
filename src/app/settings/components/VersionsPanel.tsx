import { useState } from 'react';
import {
  Alert,
  Flex,
  Heading,
  List,
  LoadingButton,
  StatusTag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import type { Actor, ModelView } from '@lead-qualifier/contract';
import { callApi, messageOf, SimpleTable } from '@lead-qualifier/ui-kit';

const who = (by: Actor | null) => (by ? (by.userEmail ?? `user ${by.userId}`) : 'Lead Qualifier');
const when = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** Every published version (immutable), who published it and why; rollback to any of them. */
export function VersionsPanel(props: {
  base: string;
  view: ModelView;
  onRolledBack: (view: ModelView, version: number) => void;
}) {
  const { view } = props;
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function rollback(version: number) {
    setError(null);
    if (note.trim() === '') {
      setNoteError('Say why you roll back: the history keeps it.');
      return;
    }
    setNoteError(null);
    setBusy(version);
    try {
      const next = await callApi(props.base, 'rollback', {
        body: { version, note: note.trim() },
      });
      setNote('');
      props.onRolledBack(next, version);
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(null);
  }

  return (
    <Flex direction="column" gap="md">
      {error && (
        <Alert title="Not rolled back" variant="danger" testId="rollback-error">
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
              <LoadingButton
                testId={`rollback-${v.version}`}
                size="sm"
                variant="secondary"
                loading={busy === v.version}
                disabled={busy !== null}
                onClick={() => void rollback(v.version)}
              >
                Make active
              </LoadingButton>
            ),
          ],
        }))}
      />
      <TextArea
        testId="rollback-note"
        label="Why you make an older version active (needed to roll back)"
        name="rollbackNote"
        value={note}
        maxLength={500}
        onChange={setNote}
        error={noteError !== null}
        validationMessage={noteError ?? undefined}
      />
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
