import {
  Button,
  Flex,
  Input,
  MultiSelect,
  NumberInput,
  Select,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type { Criterion, Model, PropertiesView } from '@lead-qualifier/contract';
import { ConditionList, ConditionRow } from './ConditionFields';
import { fieldError, idFrom, type Edit, type Path } from './model-edit';
import { ActivityKindSelect } from './SignalFields';

type Way = Criterion['anyOf'][number];

const WAY_KINDS: Array<{ value: Way['type']; label: string }> = [
  { value: 'signal', label: 'A signal fired' },
  { value: 'property', label: 'A contact or company property' },
  { value: 'engagement', label: 'A logged call, e-mail, meeting, note or task' },
];

/** The model's signals by label, for pickers that store their ids. */
function signalOptions(model: Model, keep: readonly string[] = []) {
  const all = [...model.engagement.signals, ...model.negatives];
  return [
    ...keep
      .filter((id) => !all.some((s) => s.id === id))
      .map((id) => ({ label: `${id} (no such signal now)`, value: id })),
    ...all.map((s) => ({ label: s.label, value: s.id })),
  ];
}

/** A way of the chosen kind, valid as it stands (a signal way needs a signal to name). */
function freshWay(type: Way['type'], model: Model): Way {
  const firstSignal = model.engagement.signals[0]?.id;
  if (type === 'signal' && firstSignal) return { type, signal: firstSignal };
  if (type === 'engagement')
    return {
      type,
      object: 'meetings',
      match: 'all',
      where: [{ property: 'hs_timestamp', operator: 'exists' }],
      dateProperty: 'hs_timestamp',
      withinDays: 90,
    };
  return {
    type: 'property',
    when: { object: 'contact', property: 'hs_buying_role', operator: 'exists' },
  };
}

/** SQL criteria and what meets each, then the buying-signal combinations, all by label. */
export function CriteriaFields(props: {
  model: Model;
  edit: Edit;
  problems: Map<string, string>;
  properties: PropertiesView | null;
}) {
  const { model, edit, problems, properties } = props;
  const criteria = model.sql.criteria;
  const groups = model.sql.buyingSignals;
  const at = (i: number): Path => ['sql', 'criteria', i];
  const addCriterion = () => {
    const label = 'New criterion';
    const criterion: Criterion = {
      id: idFrom(label, new Set(criteria.map((c) => c.id))),
      label,
      hint: 'Ask about it on the next call',
      anyOf: [freshWay('property', model)],
    };
    edit(['sql', 'criteria'], [...criteria, criterion]);
  };
  return (
    <Flex direction="column" gap="sm">
      <Text variant="microcopy">
        A lead becomes an SQL when it shows a buying signal (below), has the minimum fit score and
        meets at least {model.sql.minCriteria} of these criteria. Each criterion is met in any one
        of the ways listed under it.
      </Text>
      {criteria.map((c, i) => (
        <Tile key={`${c.id}-${i}`} compact testId={at(i).join('.')}>
          <Flex direction="column" gap="xs">
            <Flex direction="row" gap="sm" align="end" wrap="wrap">
              <Input
                testId={[...at(i), 'label'].join('.')}
                label="Criterion"
                name={[...at(i), 'label'].join('.')}
                value={c.label}
                onChange={(v) => edit([...at(i), 'label'], v)}
                {...fieldError(problems, [...at(i), 'label'])}
              />
              <Input
                testId={[...at(i), 'hint'].join('.')}
                label="What a rep can do to meet it"
                name={[...at(i), 'hint'].join('.')}
                value={c.hint}
                onChange={(v) => edit([...at(i), 'hint'], v)}
                {...fieldError(problems, [...at(i), 'hint'])}
              />
              <Button
                testId={[...at(i), 'remove'].join('.')}
                size="sm"
                variant="transparent"
                onClick={() =>
                  edit(
                    ['sql', 'criteria'],
                    criteria.filter((_, k) => k !== i),
                  )
                }
              >
                Remove
              </Button>
            </Flex>
            {c.anyOf.map((way, k) => (
              <WayFields
                key={`${c.anyOf.length}-${k}`}
                path={[...at(i), 'anyOf', k]}
                number={k + 1}
                way={way}
                model={model}
                edit={edit}
                problems={problems}
                properties={properties}
                onRemove={
                  c.anyOf.length > 1
                    ? () =>
                        edit(
                          [...at(i), 'anyOf'],
                          c.anyOf.filter((_, n) => n !== k),
                        )
                    : undefined
                }
              />
            ))}
            <Flex direction="row">
              <Button
                testId={[...at(i), 'anyOf', 'add'].join('.')}
                size="sm"
                variant="secondary"
                onClick={() => edit([...at(i), 'anyOf'], [...c.anyOf, freshWay('signal', model)])}
              >
                Add another way to meet it
              </Button>
            </Flex>
          </Flex>
        </Tile>
      ))}
      <Flex direction="row">
        <Button testId="sql.criteria.add" size="sm" onClick={addCriterion}>
          Add a criterion
        </Button>
      </Flex>

      <Text format={{ fontWeight: 'demibold' }}>Buying signals</Text>
      <Text variant="microcopy">
        A lead shows a buying signal when every signal of one of these combinations fired within the
        last {model.sql.buyingWindowDays} days.
      </Text>
      {groups.map((group, g) => (
        <Flex key={`${groups.length}-${g}`} direction="row" gap="sm" align="end" wrap="wrap">
          <MultiSelect
            testId={`sql.buyingSignals.${g}`}
            label={`Combination ${g + 1}`}
            name={`sql.buyingSignals.${g}`}
            value={group}
            options={signalOptions(model, group)}
            onChange={(v) => edit(['sql', 'buyingSignals', g], v.map(String))}
            {...fieldError(problems, ['sql', 'buyingSignals', g], true)}
          />
          <Button
            testId={`sql.buyingSignals.${g}.remove`}
            size="sm"
            variant="transparent"
            onClick={() =>
              edit(
                ['sql', 'buyingSignals'],
                groups.filter((_, k) => k !== g),
              )
            }
          >
            Remove
          </Button>
        </Flex>
      ))}
      {groups.length === 0 && (
        <Text variant="microcopy">
          No combination: no lead shows a buying signal, so none becomes an SQL.
        </Text>
      )}
      <Flex direction="row">
        <Button
          testId="sql.buyingSignals.add"
          size="sm"
          disabled={model.engagement.signals.length === 0}
          onClick={() =>
            edit(['sql', 'buyingSignals'], [...groups, [model.engagement.signals[0]!.id]])
          }
        >
          Add a combination
        </Button>
      </Flex>
    </Flex>
  );
}

/** One way to meet a criterion: a signal that fired, a property, or a logged engagement. */
function WayFields(props: {
  path: Path;
  number: number;
  way: Way;
  model: Model;
  edit: Edit;
  problems: Map<string, string>;
  properties: PropertiesView | null;
  onRemove?: () => void;
}) {
  const { path, way, model, edit, problems, properties } = props;
  const name = (...rest: string[]) => [...path, ...rest].join('.');
  return (
    <Flex direction="column" gap="xs" testId={path.join('.')}>
      <Flex direction="row" gap="sm" align="end" wrap="wrap">
        <Select
          testId={name('type')}
          label={`Way ${props.number}`}
          name={name('type')}
          value={way.type}
          options={WAY_KINDS}
          onChange={(v) => edit(path, freshWay(v as Way['type'], model))}
        />
        {way.type === 'signal' && (
          <Select
            testId={name('signal')}
            label="Signal"
            name={name('signal')}
            value={way.signal}
            options={signalOptions(model, [way.signal])}
            onChange={(v) => edit([...path, 'signal'], v)}
            {...fieldError(problems, [...path, 'signal'])}
          />
        )}
        {way.type === 'engagement' && (
          <>
            <ActivityKindSelect path={path} match={way} edit={edit} />
            <NumberInput
              testId={name('withinDays')}
              label="Within the last (days)"
              name={name('withinDays')}
              description="Empty: at any time"
              min={1}
              value={way.withinDays}
              onChange={(v) =>
                edit(
                  [...path, 'withinDays'],
                  typeof v === 'number' && !Number.isNaN(v) ? v : undefined,
                )
              }
              {...fieldError(problems, [...path, 'withinDays'])}
            />
          </>
        )}
        {props.onRemove && (
          <Button testId={name('remove')} size="sm" variant="transparent" onClick={props.onRemove}>
            Remove this way
          </Button>
        )}
      </Flex>
      {way.type === 'property' && (
        <ConditionRow
          path={[...path, 'when']}
          test={way.when}
          on="contact-or-company"
          edit={edit}
          problems={problems}
          properties={properties}
        />
      )}
      {way.type === 'engagement' && (
        <ConditionList
          path={[...path, 'where']}
          tests={way.where}
          matchPath={[...path, 'match']}
          match={way.match}
          on={way.object}
          edit={edit}
          problems={problems}
          properties={properties}
        />
      )}
    </Flex>
  );
}
