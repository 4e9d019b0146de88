import {
  Button,
  Flex,
  Input,
  NumberInput,
  Select,
  Text,
  Tile,
  Toggle,
} from '@hubspot/ui-extensions';
import type { EngagementObject, Model, PropertiesView, Signal } from '@lead-qualifier/contract';
import { ConditionList } from './ConditionFields';
import {
  ACTIVITY,
  ACTIVITY_TYPES,
  fieldError,
  idFrom,
  kindOf,
  usedIds,
  type Edit,
  type Path,
} from './model-edit';
import { TextField } from './TextField';

type Source = Signal['source'];

const SOURCE_KINDS: Array<{ value: Source['type']; label: string; negativeOnly?: boolean }> = [
  { value: 'engagement', label: 'A logged call, e-mail, meeting, note or task' },
  { value: 'form', label: 'A form submission' },
  { value: 'contact', label: 'A contact or company property' },
  { value: 'count', label: 'A count on the contact (each one counts)' },
  { value: 'inactivity', label: 'No activity for a number of days', negativeOnly: true },
];

/** A source of the chosen kind, filled in so it is valid as it stands. */
function freshSource(type: Source['type']): Source {
  switch (type) {
    case 'engagement':
      return {
        type,
        object: 'meetings',
        match: 'all',
        where: [{ property: 'hs_meeting_outcome', operator: 'equals', value: 'COMPLETED' }],
        dateProperty: 'hs_timestamp',
      };
    case 'form':
      return { type, names: ['Contact us'] };
    case 'contact':
      return {
        type,
        match: 'any',
        anyOf: [
          { object: 'contact', property: 'hs_email_optout', operator: 'equals', value: true },
        ],
      };
    case 'count':
      return { type, property: 'hs_analytics_num_page_views' };
    case 'inactivity':
      return { type, days: 90 };
  }
}

/** Engagement or negative signals: what counts, points, half-life, cap, whether they block MQL. */
export function SignalFields(props: {
  path: Path;
  signals: Signal[];
  model: Model;
  negative: boolean;
  edit: Edit;
  remove: (path: Path, index: number) => void;
  problems: Map<string, string>;
  properties: PropertiesView | null;
  text: string;
}) {
  const { path, edit, problems, negative } = props;
  const add = () => {
    const label = negative ? 'New negative signal' : 'New signal';
    const signal: Signal = {
      id: idFrom(label, usedIds(props.model)),
      label,
      points: negative ? -5 : 5,
      halfLifeDays: 30,
      cap: 1,
      blocksMql: false,
      source: freshSource(negative ? 'contact' : 'form'),
    };
    edit(path, [...props.signals, signal]);
  };
  return (
    <Flex direction="column" gap="sm">
      <Text variant="microcopy">{props.text}</Text>
      {props.signals.map((s, i) => {
        const at = [...path, i];
        return (
          <Tile key={`${s.id}-${i}`} compact testId={at.join('.')}>
            <Flex direction="column" gap="xs">
              <Flex direction="row" gap="sm" align="end" wrap="wrap">
                <Input
                  testId={[...at, 'label'].join('.')}
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
                  {...(negative ? { max: -0.1 } : { min: 0.1 })}
                  onChange={(v) => edit([...at, 'points'], v)}
                  {...fieldError(problems, [...at, 'points'])}
                />
                <NumberInput
                  testId={[...at, 'halfLifeDays'].join('.')}
                  label="Half-life (days)"
                  name={[...at, 'halfLifeDays'].join('.')}
                  description="Worth half after this long; empty: never fades"
                  min={1}
                  value={s.halfLifeDays ?? undefined}
                  onChange={(v) =>
                    edit(
                      [...at, 'halfLifeDays'],
                      typeof v === 'number' && !Number.isNaN(v) ? v : null,
                    )
                  }
                  {...fieldError(problems, [...at, 'halfLifeDays'])}
                />
                <NumberInput
                  testId={[...at, 'cap'].join('.')}
                  label="Counts at most (times)"
                  name={[...at, 'cap'].join('.')}
                  min={1}
                  precision={0}
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
                <Button
                  testId={[...at, 'remove'].join('.')}
                  size="sm"
                  variant="transparent"
                  onClick={() => props.remove(path, i)}
                >
                  Remove
                </Button>
              </Flex>
              <SourceFields
                path={[...at, 'source']}
                source={s.source}
                negative={negative}
                edit={edit}
                problems={problems}
                properties={props.properties}
              />
            </Flex>
          </Tile>
        );
      })}
      <Flex direction="row">
        <Button testId={`${path.join('.')}.add`} size="sm" onClick={add}>
          {negative ? 'Add a negative signal' : 'Add a signal'}
        </Button>
      </Flex>
    </Flex>
  );
}

/** Date properties of one list, for "when it happened" (a signal without one does not fade). */
function dateOptions(list: PropertiesView['contacts'] | undefined, current: string | undefined) {
  const dates = (list ?? []).filter((p) => kindOf(p) === 'date');
  return [
    ...(current && !dates.some((p) => p.name === current)
      ? [{ label: `${current} (not in this account)`, value: current }]
      : []),
    ...dates.map((p) => ({ label: p.label, value: p.name })),
  ];
}

/** What a signal counts: its kind, then the fields that kind needs. */
function SourceFields(props: {
  path: Path;
  source: Source;
  negative: boolean;
  edit: Edit;
  problems: Map<string, string>;
  properties: PropertiesView | null;
}) {
  const { path, source, edit, problems, properties } = props;
  const name = (...rest: string[]) => [...path, ...rest].join('.');
  const kinds = SOURCE_KINDS.filter(
    (k) => props.negative || !k.negativeOnly || k.value === source.type,
  );
  return (
    <Flex direction="column" gap="xs">
      <Select
        testId={name('type')}
        label="What counts"
        name={name('type')}
        value={source.type}
        options={kinds.map(({ value, label }) => ({ value, label }))}
        onChange={(v) => edit(path, freshSource(v as Source['type']))}
        {...fieldError(problems, [...path, 'type'])}
      />
      {source.type === 'engagement' && (
        <>
          <Flex direction="row" gap="sm" wrap="wrap">
            <ActivityKindSelect path={path} match={source} edit={edit} />
            <Select
              testId={name('dateProperty')}
              label="Dated by"
              name={name('dateProperty')}
              value={source.dateProperty}
              options={dateOptions(properties?.engagements[source.object], source.dateProperty)}
              onChange={(v) => edit([...path, 'dateProperty'], v)}
              {...fieldError(problems, [...path, 'dateProperty'])}
            />
          </Flex>
          <ConditionList
            path={[...path, 'where']}
            tests={source.where}
            matchPath={[...path, 'match']}
            match={source.match}
            on={source.object}
            edit={edit}
            problems={problems}
            properties={properties}
          />
        </>
      )}
      {source.type === 'form' && (
        <TextField
          testId={name('names')}
          label="Form names"
          name={name('names')}
          description="A submission counts when the form's name contains one of these; separate them with commas"
          initial={source.names.join(', ')}
          onChange={(v) =>
            edit(
              [...path, 'names'],
              v
                .split(',')
                .map((s) => s.trim())
                .filter((s) => s !== ''),
            )
          }
          {...fieldError(problems, [...path, 'names'], true)}
        />
      )}
      {source.type === 'contact' && (
        <>
          <ConditionList
            path={[...path, 'anyOf']}
            tests={source.anyOf}
            matchPath={[...path, 'match']}
            match={source.match}
            on="contact-or-company"
            edit={edit}
            problems={problems}
            properties={properties}
          />
          <DateSelect
            path={[...path, 'dateProperty']}
            value={source.dateProperty}
            options={dateOptions(properties?.contacts, source.dateProperty)}
            edit={edit}
            problems={problems}
          />
        </>
      )}
      {source.type === 'count' && (
        <Flex direction="row" gap="sm" wrap="wrap">
          <Select
            testId={name('property')}
            label="Contact property holding the count"
            name={name('property')}
            value={source.property}
            options={[
              ...((properties?.contacts ?? []).some((p) => p.name === source.property)
                ? []
                : [{ label: source.property, value: source.property }]),
              ...(properties?.contacts ?? [])
                .filter((p) => kindOf(p) === 'number')
                .map((p) => ({ label: p.label, value: p.name })),
            ]}
            onChange={(v) => edit([...path, 'property'], v)}
            {...fieldError(problems, [...path, 'property'])}
          />
          <DateSelect
            path={[...path, 'dateProperty']}
            value={source.dateProperty}
            options={dateOptions(properties?.contacts, source.dateProperty)}
            edit={edit}
            problems={problems}
          />
        </Flex>
      )}
      {source.type === 'inactivity' && (
        <NumberInput
          testId={name('days')}
          label="No activity for (days)"
          name={name('days')}
          min={1}
          value={source.days}
          onChange={(v) => edit([...path, 'days'], v)}
          {...fieldError(problems, [...path, 'days'])}
        />
      )}
    </Flex>
  );
}

/** The date a contact signal happened on, or none (then it never fades). */
function DateSelect(props: {
  path: Path;
  value: string | undefined;
  options: Array<{ label: string; value: string }>;
  edit: Edit;
  problems: Map<string, string>;
}) {
  return (
    <Select
      testId={props.path.join('.')}
      label="When it happened"
      name={props.path.join('.')}
      value={props.value ?? ''}
      options={[{ label: 'No date (never fades)', value: '' }, ...props.options]}
      onChange={(v) => props.edit(props.path, v === '' ? undefined : v)}
      {...fieldError(props.problems, props.path)}
    />
  );
}

/**
 * Which kind of logged activity an engagement match reads. Another kind has other properties:
 * its tests start again from one that holds for any (`hs_timestamp` is known).
 */
export function ActivityKindSelect<T extends { object: EngagementObject }>(props: {
  path: Path;
  match: T;
  edit: Edit;
}) {
  const name = [...props.path, 'object'].join('.');
  return (
    <Select
      testId={name}
      label="Kind of activity"
      name={name}
      value={props.match.object}
      options={ACTIVITY_TYPES.map((o) => ({
        value: o,
        label: ACTIVITY[o].noun.charAt(0).toUpperCase() + ACTIVITY[o].noun.slice(1),
      }))}
      onChange={(v) =>
        props.edit(props.path, {
          ...props.match,
          object: v as EngagementObject,
          where: [{ property: 'hs_timestamp', operator: 'exists' }],
        })
      }
    />
  );
}
