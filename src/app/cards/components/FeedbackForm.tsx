import { useState } from 'react';
import { Button, Flex, LoadingButton, Select, Text, TextArea } from '@hubspot/ui-extensions';
import type { RejectionReason } from '@lead-qualifier/shared';
import { REASON_LABEL } from '@lead-qualifier/ui-kit';

export interface FeedbackInput {
  decision: 'accepted' | 'rejected';
  reason?: RejectionReason;
  note: string;
}

const REASON_OPTIONS = (Object.keys(REASON_LABEL) as RejectionReason[]).map((value) => ({
  value,
  label: value === 'other' ? 'Other (say why in the note)' : REASON_LABEL[value],
}));

/** Accept or reject an SQL: a rejection needs a reason, "other" needs a note. */
export function FeedbackForm(props: {
  decision: 'accepted' | 'rejected';
  busy: boolean;
  /** The backend's field errors, by field (`reason`, `note`). */
  errors: Record<string, string>;
  onSubmit: (input: FeedbackInput) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState<RejectionReason | undefined>(undefined);
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const rejecting = props.decision === 'rejected';
  /** Both forms are on the page (each in its modal): their test ids say which. */
  const id = (name: string) => `${rejecting ? 'reject' : 'accept'}-${name}`;
  const reasonError =
    rejecting && tried && !reason ? 'Choose why the SQL is rejected.' : props.errors['reason'];
  const noteError =
    rejecting && tried && reason === 'other' && note.trim() === ''
      ? 'Say why in a note when the reason is "Other".'
      : props.errors['note'];

  function submit() {
    setTried(true);
    if (rejecting && (!reason || (reason === 'other' && note.trim() === ''))) return;
    props.onSubmit(
      rejecting
        ? { decision: 'rejected', reason, note: note.trim() }
        : { decision: 'accepted', note: note.trim() },
    );
  }

  return (
    <Flex direction="column" gap="xs" testId={id('form')}>
      <Text format={{ fontWeight: 'demibold' }}>
        {rejecting ? 'Reject this SQL' : 'Accept this SQL'}
      </Text>
      {rejecting && (
        <Select
          testId={id('reason')}
          label="Reason"
          name="reason"
          required
          options={REASON_OPTIONS}
          value={reason}
          error={Boolean(reasonError)}
          validationMessage={reasonError}
          onChange={(value) => setReason(value as RejectionReason)}
        />
      )}
      <TextArea
        testId={id('note')}
        label={rejecting ? 'Note for marketing' : 'Note (optional)'}
        name="note"
        value={note}
        maxLength={1000}
        error={Boolean(noteError)}
        validationMessage={noteError}
        onChange={setNote}
      />
      <Flex direction="row" gap="xs">
        <LoadingButton
          testId={id('submit')}
          variant={rejecting ? 'destructive' : 'primary'}
          loading={props.busy}
          onClick={submit}
        >
          {rejecting ? 'Reject SQL' : 'Accept SQL'}
        </LoadingButton>
        <Button
          testId={id('cancel')}
          variant="secondary"
          disabled={props.busy}
          onClick={props.onCancel}
        >
          Cancel
        </Button>
      </Flex>
    </Flex>
  );
}
