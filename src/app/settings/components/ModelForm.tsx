import {
  Accordion,
  Button,
  Divider,
  Flex,
  Heading,
  Input,
  NumberInput,
  Select,
  Text,
  TextArea,
  Tile,
  Toggle,
} from '@hubspot/ui-extensions';
import type { Model, PropertiesView } from '@lead-qualifier/contract';
import {
  fieldError,
  getIn,
  idFrom,
  removeAt,
  setIn,
  usedIds,
  type Path,
  type Edit,
} from './model-edit';
import { ConditionFields } from './ConditionFields';
import { SignalFields } from './SignalFields';

interface ModelFormProps {
  model: Model;
  onChange: (model: Model) => void;
  /** Problems by model path, from the last save or preview. */
  problems: Map<string, string>;
  properties: PropertiesView | null;
  /** The portal's lifecycle stages (value → label, in order), as HubSpot last listed them. */
  stageLabels: Record<string, string>;
}

const MAPPED_STATUSES = [
  { status: 'lead', label: 'Lead moves to' },
  { status: 'mql', label: 'MQL moves to' },
  { status: 'sql', label: 'SQL moves to' },
] as const;

/** The model as a form: every threshold, rule, signal and criterion an admin tunes. */
export function ModelForm({ model, onChange, problems, properties, stageLabels }: ModelFormProps) {
  const stageOptions = [
    ...model.lifecycle.stages.map((value) => ({ label: stageLabels[value] ?? value, value })),
    { label: 'No stage (leave it as it is)', value: '' },
  ];
  const edit: Edit = (path, value) => onChange(setIn(model, path, value));
  const remove = (path: Path, index: number) => onChange(removeAt(model, path, index));
  const num = (path: Path, label: string, extra: { description?: string; min?: number } = {}) => (
    <NumberInput
      testId={path.join('.')}
      label={label}
      name={path.join('.')}
      value={getIn(model, path) as number}
      onChange={(v) => edit(path, v)}
      {...extra}
      {...fieldError(problems, path)}
    />
  );

  return (
    <Flex direction="column" gap="md">
      <Accordion title="Name and thresholds" defaultOpen>
        <Flex direction="column" gap="sm">
          <Input
            testId="name"
            label="Model name"
            name="name"
            value={model.name}
            onChange={(v) => edit(['name'], v)}
            {...fieldError(problems, ['name'])}
          />
          <TextArea
            label="Description"
            name="description"
            value={model.description ?? ''}
            onChange={(v) => edit(['description'], v)}
            {...fieldError(problems, ['description'])}
          />
          <Heading>Grades (minimum fit score)</Heading>
          <Flex direction="row" gap="sm" wrap="wrap">
            {num(['grades', 'A'], 'A from')}
            {num(['grades', 'B'], 'B from')}
            {num(['grades', 'C'], 'C from (below is D)')}
          </Flex>
          {problems.get('grades') && (
            <Text testId="grades-error" format={{ fontWeight: 'demibold' }}>
              {problems.get('grades')}
            </Text>
          )}
          <Heading>MQL</Heading>
          <Flex direction="row" gap="sm" wrap="wrap">
            {num(['mql', 'minScore'], 'Minimum score')}
            {num(['mql', 'minFit'], 'Minimum fit score')}
          </Flex>
          <Heading>SQL</Heading>
          <Flex direction="row" gap="sm" wrap="wrap">
            {num(['sql', 'minCriteria'], 'Criteria that must be met', { min: 0 })}
            {num(['sql', 'minFit'], 'Minimum fit score')}
            {num(['sql', 'buyingWindowDays'], 'Buying signal counts for (days)')}
          </Flex>
          <Heading>Scale, SLA and recycling</Heading>
          <Flex direction="row" gap="sm" wrap="wrap">
            {num(['fit', 'maxPoints'], 'Fit points for a fit score of 100')}
            {num(['engagement', 'maxPoints'], 'Engagement points for 100')}
          </Flex>
          <Flex direction="row" gap="sm" wrap="wrap">
            {num(['slaHours'], 'Sales follow-up SLA (hours)')}
            {num(['recycleDays'], 'Recycle an MQL silent for (days)')}
          </Flex>
          <Select
            testId="slaFor"
            label="The follow-up SLA applies to"
            name="slaFor"
            value={model.slaFor}
            options={[
              { label: 'New SQLs', value: 'sql' },
              { label: 'New MQLs and SQLs', value: 'mql_and_sql' },
            ]}
            onChange={(v) => edit(['slaFor'], v)}
            {...fieldError(problems, ['slaFor'])}
          />
          <Toggle
            label="Move recycled contacts back to the Lead stage"
            name="recycleMovesBack"
            checked={model.lifecycle.recycleMovesBack}
            onChange={(v) => edit(['lifecycle', 'recycleMovesBack'], v)}
          />
          <Text testId="portal-stages">
            {`Your lifecycle stages, in order: ${model.lifecycle.stages.map((v) => stageLabels[v] ?? v).join(' → ')}. Contacts only ever move forward.`}
          </Text>
          <Flex direction="row" gap="sm" wrap="wrap">
            {MAPPED_STATUSES.map(({ status, label }) => (
              <Select
                key={status}
                testId={`lifecycle.mapping.${status}`}
                label={label}
                name={`lifecycle.mapping.${status}`}
                value={model.lifecycle.mapping[status] ?? ''}
                options={stageOptions}
                onChange={(v) =>
                  edit(['lifecycle', 'mapping', status], v === '' || v === undefined ? null : v)
                }
                {...fieldError(problems, ['lifecycle', 'mapping', status])}
              />
            ))}
          </Flex>
        </Flex>
      </Accordion>

      <Accordion title={`Fit rules (${model.fit.rules.length})`}>
        <Flex direction="column" gap="sm">
          <Text variant="microcopy">
            Points for matching the ideal customer profile. Rules in the same group are
            alternatives: only the first that matches counts.
          </Text>
          {model.fit.rules.map((rule, i) => (
            <Tile key={`${rule.id}-${i}`} compact testId={`fit.rules.${i}`}>
              <Flex direction="column" gap="xs">
                <Flex direction="row" gap="sm" align="end" wrap="wrap">
                  <Input
                    testId={`fit.rules.${i}.label`}
                    label="Rule"
                    name={`fit.rules.${i}.label`}
                    value={rule.label}
                    onChange={(v) => edit(['fit', 'rules', i, 'label'], v)}
                    {...fieldError(problems, ['fit', 'rules', i, 'label'])}
                  />
                  {num(['fit', 'rules', i, 'points'], 'Points')}
                  <Input
                    label="Group"
                    name={`fit.rules.${i}.group`}
                    value={rule.group ?? ''}
                    onChange={(v) => edit(['fit', 'rules', i, 'group'], v === '' ? undefined : v)}
                    {...fieldError(problems, ['fit', 'rules', i, 'group'])}
                  />
                  <Button
                    testId={`fit.rules.${i}.remove`}
                    size="sm"
                    variant="transparent"
                    onClick={() => remove(['fit', 'rules'], i)}
                  >
                    Remove
                  </Button>
                </Flex>
                <ConditionFields
                  path={['fit', 'rules', i, 'anyOf']}
                  conditions={rule.anyOf}
                  edit={edit}
                  problems={problems}
                  properties={properties}
                />
              </Flex>
            </Tile>
          ))}
          <Button
            testId="add-fit-rule"
            size="sm"
            onClick={() =>
              edit(
                ['fit', 'rules'],
                [
                  ...model.fit.rules,
                  {
                    id: idFrom('New fit rule', usedIds(model)),
                    label: 'New fit rule',
                    points: 10,
                    anyOf: [{ object: 'contact', property: 'jobtitle', operator: 'exists' }],
                  },
                ],
              )
            }
          >
            Add a fit rule
          </Button>
        </Flex>
      </Accordion>

      <Accordion title={`Engagement signals (${model.engagement.signals.length})`}>
        <SignalFields
          path={['engagement', 'signals']}
          signals={model.engagement.signals}
          edit={edit}
          remove={remove}
          problems={problems}
          text="Points per occurrence; the half-life halves them as they age; the cap limits how many occurrences count."
        />
      </Accordion>

      <Accordion title={`Negative signals (${model.negatives.length})`}>
        <SignalFields
          path={['negatives']}
          signals={model.negatives}
          edit={edit}
          remove={remove}
          problems={problems}
          text="Points removed (below 0). A signal that blocks MQL keeps the contact from MQL whatever its score."
        />
      </Accordion>

      <Accordion title={`Disqualifiers (${model.disqualifiers.length})`}>
        <Flex direction="column" gap="sm">
          <Text variant="microcopy">
            A contact matching any disqualifier is disqualified whatever its points.
          </Text>
          {model.disqualifiers.map((d, i) => (
            <Tile key={`${d.id}-${i}`} compact testId={`disqualifiers.${i}`}>
              <Flex direction="column" gap="xs">
                <Flex direction="row" gap="sm" align="end" wrap="wrap">
                  <Input
                    label="Disqualifier"
                    name={`disqualifiers.${i}.label`}
                    value={d.label}
                    onChange={(v) => edit(['disqualifiers', i, 'label'], v)}
                    {...fieldError(problems, ['disqualifiers', i, 'label'])}
                  />
                  <Button
                    size="sm"
                    variant="transparent"
                    onClick={() => remove(['disqualifiers'], i)}
                  >
                    Remove
                  </Button>
                </Flex>
                <ConditionFields
                  path={['disqualifiers', i, 'anyOf']}
                  conditions={d.anyOf}
                  edit={edit}
                  problems={problems}
                  properties={properties}
                />
              </Flex>
            </Tile>
          ))}
        </Flex>
      </Accordion>

      <Accordion title={`SQL criteria (${model.sql.criteria.length})`}>
        <Flex direction="column" gap="sm">
          <Text variant="microcopy">
            An SQL needs a buying signal (
            {model.sql.buyingSignals.map((g) => g.join(' + ')).join(', or ')}) and at least{' '}
            {model.sql.minCriteria} of these criteria.
          </Text>
          {model.sql.criteria.map((c, i) => (
            <Flex key={c.id} direction="row" gap="sm" align="end" wrap="wrap">
              <Input
                label="Criterion"
                name={`sql.criteria.${i}.label`}
                value={c.label}
                onChange={(v) => edit(['sql', 'criteria', i, 'label'], v)}
                {...fieldError(problems, ['sql', 'criteria', i, 'label'])}
              />
              <Input
                label="What a rep can do to meet it"
                name={`sql.criteria.${i}.hint`}
                value={c.hint}
                onChange={(v) => edit(['sql', 'criteria', i, 'hint'], v)}
                {...fieldError(problems, ['sql', 'criteria', i, 'hint'])}
              />
            </Flex>
          ))}
        </Flex>
      </Accordion>
      <Divider />
    </Flex>
  );
}
