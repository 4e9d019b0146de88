import { Button, Flex, Input, NumberInput, Text, Toggle } from '@hubspot/ui-extensions';
import type { Signal } from '@lead-qualifier/contract';
import { fieldError, type Path, type Edit } from './model-edit';

/** Engagement or negative signals: points, half-life, cap, whether they block MQL. */
export function SignalFields(props: {
  path: Path;
  signals: Signal[];
  edit: Edit;
  remove: (path: Path, index: number) => void;
  problems: Map<string, string>;
  text: string;
}) {
  const { path, edit, problems } = props;
  return (
    <Flex direction="column" gap="sm">
      <Text variant="microcopy">{props.text}</Text>
      {props.signals.map((s, i) => {
        const at = [...path, i];
        return (
          <Flex key={s.id} direction="row" gap="sm" align="end" wrap="wrap" testId={at.join('.')}>
            <Input
              label="Signal"
              name={[...at, 'label'].join('.')}
              value={s.label}
              onChange={(v) => edit([...at, 'label'], v)}
              {...fieldError(problems, [...at, 'label'])}
            />
            <NumberInput
              testId={[...at, 'points'].join('.')}
              label="Points"
              name={[...at, 'points'].join('.')}
              value={s.points}
              onChange={(v) => edit([...at, 'points'], v)}
              {...fieldError(problems, [...at, 'points'])}
            />
            <NumberInput
              testId={[...at, 'halfLifeDays'].join('.')}
              label="Half-life (days)"
              name={[...at, 'halfLifeDays'].join('.')}
              description="Empty: no decay"
              value={s.halfLifeDays ?? undefined}
              onChange={(v) =>
                edit([...at, 'halfLifeDays'], typeof v === 'number' && !Number.isNaN(v) ? v : null)
              }
              {...fieldError(problems, [...at, 'halfLifeDays'])}
            />
            <NumberInput
              label="Counts at most"
              name={[...at, 'cap'].join('.')}
              value={s.cap}
              onChange={(v) => edit([...at, 'cap'], v)}
              {...fieldError(problems, [...at, 'cap'])}
            />
            <Toggle
              label="Blocks MQL"
              name={[...at, 'blocksMql'].join('.')}
              checked={s.blocksMql}
              onChange={(v) => edit([...at, 'blocksMql'], v)}
            />
            <Button size="sm" variant="transparent" onClick={() => props.remove(path, i)}>
              Remove
            </Button>
          </Flex>
        );
      })}
    </Flex>
  );
}
