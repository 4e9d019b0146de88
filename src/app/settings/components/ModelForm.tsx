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
import { useEffect, useState } from 'react';
import type { Model, PropertiesView } from '@lead-qualifier/contract';
import {
  fieldError,
  getIn,
  idFrom,
  problemsUnder,
  removeAt,
  setIn,
  usedIds,
  type Path,
  type Edit,
} from './model-edit';
import { ConditionList } from './ConditionFields';
import { CriteriaFields } from './CriteriaFields';
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

/** The form's sections, and the model paths whose problems each shows. */
const SECTIONS = {
  fit: ['fit.rules'],
  engagement: ['engagement.signals'],
  negatives: ['negatives'],
  disqualifiers: ['disqualifiers'],
  sql: ['sql.criteria', 'sql.buyingSignals'],
} as const;
type Section = keyof typeof SECTIONS | 'thresholds';

/** The section a problem's path is shown in (thresholds hold everything else). */
function sectionOf(path: string): Section {
  for (const [section, prefixes] of Object.entries(SECTIONS))
    if (prefixes.some((p) => path === p || path.startsWith(`${p}.`))) return section as Section;
  return 'thresholds';
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
  // Sections open as the admin opens them; a save or preview with problems opens theirs.
  const [open, setOpen] = useState<ReadonlySet<Section>>(new Set(['thresholds']));
  useEffect(() => {
    if (problems.size === 0) return;
    setOpen((now) => new Set([...now, ...[...problems.keys()].map(sectionOf)]));
  }, [problems]);
  const section = (id: Section, title: string) => {
    const count =
      id === 'thresholds'
        ? [...problems.keys()].filter((k) => sectionOf(k) === 'thresholds').length
        : problemsUnder(problems, SECTIONS[id]);
    return {
      title: count > 0 ? `${title} · ${count} to fix` : title,
      open: open.has(id),
      onClick: () =>
        setOpen((now) => {
          const next = new Set(now);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        }),
      testId: `section-${id}`,
    };
  };
  const percent = { min: 0, max: 100 };
  const num = (
    path: Path,
    label: string,
    extra: { description?: string; min?: number; max?: number; precision?: number } = {},
  ) => (
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
      <Accordion {...section('thresholds', 'Name and thresholds')}>
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
            {num(['grades', 'A'], 'A from', percent)}
            {num(['grades', 'B'], 'B from', percent)}
            {num(['grades', 'C'], 'C from (below is D)', percent)}
          </Flex>
          {problems.get('grades') && (
            <Text testId="grades-error" format={{ fontWeight: 'demibold' }}>
              {problems.get('grades')}
            </Text>
          )}
          <Heading>MQL</Heading>
          <Flex direction="row" gap="sm" wrap="wrap">
            {num(['mql', 'minScore'], 'Minimum score', percent)}
            {num(['mql', 'minFit'], 'Minimum fit score', percent)}
          </Flex>
          <Heading>SQL</Heading>
          <Flex direction="row" gap="sm" wrap="wrap">
            {num(['sql', 'minCriteria'], 'Criteria that must be met', {
              min: 0,
              max: model.sql.criteria.length,
              precision: 0,
            })}
            {num(['sql', 'minFit'], 'Minimum fit score', percent)}
            {num(['sql', 'buyingWindowDays'], 'Buying signal counts for (days)', { min: 1 })}
          </Flex>
          <Select
            testId="sql.handOff"
            label="Who makes an SQL"
            name="sql.handOff"
            value={model.sql.handOff}
            options={[
              {
                label: 'A rep, accepting a lead the model marks ready for sales',
                value: 'rep_accepts',
              },
              { label: 'The model, as soon as a lead meets the SQL bar', value: 'automatic' },
            ]}
            onChange={(v) => edit(['sql', 'handOff'], v)}
            {...fieldError(problems, ['sql', 'handOff'])}
          />
          <Heading>Scale, SLA and recycling</Heading>
          <Flex direction="row" gap="sm" wrap="wrap">
            {num(['fit', 'maxPoints'], 'Fit points for a fit score of 100', { min: 1 })}
            {num(['engagement', 'maxPoints'], 'Engagement points for 100', { min: 1 })}
          </Flex>
          <Flex direction="row" gap="sm" wrap="wrap">
            {num(['slaHours'], 'Sales follow-up SLA (hours)', { min: 1 })}
            {num(['recycleDays'], 'Recycle an MQL silent for (days)', { min: 1 })}
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

      <Accordion {...section('fit', `Fit rules (${model.fit.rules.length})`)}>
        <Flex direction="column" gap="sm">
          <Text variant="microcopy">
            Points for matching the ideal customer profile. Rules in the same group are
            alternatives: only the first that matches counts (a group is any short name you give
            several rules, such as seniority).
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
                    testId={`fit.rules.${i}.group`}
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
                <ConditionList
                  path={['fit', 'rules', i, 'anyOf']}
                  tests={rule.anyOf}
                  matchPath={['fit', 'rules', i, 'match']}
                  match={rule.match}
                  on="contact-or-company"
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
                    match: 'any',
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

      <Accordion
        {...section('engagement', `Engagement signals (${model.engagement.signals.length})`)}
      >
        <SignalFields
          path={['engagement', 'signals']}
          signals={model.engagement.signals}
          model={model}
          negative={false}
          edit={edit}
          remove={remove}
          problems={problems}
          properties={properties}
          text="Points for each time it happens; each is worth less as it ages (half as much after the half-life); at most the given number of times count."
        />
      </Accordion>

      <Accordion {...section('negatives', `Negative signals (${model.negatives.length})`)}>
        <SignalFields
          path={['negatives']}
          signals={model.negatives}
          model={model}
          negative
          edit={edit}
          remove={remove}
          problems={problems}
          properties={properties}
          text="Points removed (below 0). A signal that blocks MQL keeps the contact from MQL whatever its score."
        />
      </Accordion>

      <Accordion {...section('disqualifiers', `Disqualifiers (${model.disqualifiers.length})`)}>
        <Flex direction="column" gap="sm">
          <Text variant="microcopy">
            A contact matching any disqualifier is disqualified whatever its points: competitors'
            domains, countries you do not serve, invalid addresses.
          </Text>
          {model.disqualifiers.map((d, i) => (
            <Tile key={`${d.id}-${i}`} compact testId={`disqualifiers.${i}`}>
              <Flex direction="column" gap="xs">
                <Flex direction="row" gap="sm" align="end" wrap="wrap">
                  <Input
                    testId={`disqualifiers.${i}.label`}
                    label="Disqualifier"
                    name={`disqualifiers.${i}.label`}
                    value={d.label}
                    onChange={(v) => edit(['disqualifiers', i, 'label'], v)}
                    {...fieldError(problems, ['disqualifiers', i, 'label'])}
                  />
                  <Button
                    testId={`disqualifiers.${i}.remove`}
                    size="sm"
                    variant="transparent"
                    onClick={() => remove(['disqualifiers'], i)}
                  >
                    Remove
                  </Button>
                </Flex>
                <ConditionList
                  path={['disqualifiers', i, 'anyOf']}
                  tests={d.anyOf}
                  matchPath={['disqualifiers', i, 'match']}
                  match={d.match}
                  on="contact-or-company"
                  edit={edit}
                  problems={problems}
                  properties={properties}
                />
              </Flex>
            </Tile>
          ))}
          <Flex direction="row">
            <Button
              testId="disqualifiers.add"
              size="sm"
              onClick={() =>
                edit(
                  ['disqualifiers'],
                  [
                    ...model.disqualifiers,
                    {
                      id: idFrom('New disqualifier', usedIds(model)),
                      label: 'New disqualifier',
                      match: 'any',
                      anyOf: [
                        {
                          object: 'contact',
                          property: 'jobtitle',
                          operator: 'contains',
                          value: ['student'],
                        },
                      ],
                    },
                  ],
                )
              }
            >
              Add a disqualifier
            </Button>
          </Flex>
        </Flex>
      </Accordion>

      <Accordion
        {...section('sql', `SQL criteria and buying signals (${model.sql.criteria.length})`)}
      >
        <CriteriaFields model={model} edit={edit} problems={problems} properties={properties} />
      </Accordion>
      <Divider />
    </Flex>
  );
}
