import { Button, Flex, MultiSelect, NumberInput, Select, Text } from '@hubspot/ui-extensions';
import type {
  Condition,
  EngagementObject,
  EngagementTest,
  PropertiesView,
  PropertySummary,
} from '@lead-qualifier/contract';
import {
  fieldError,
  kindOf,
  needsValue,
  operatorsFor,
  optionsOf,
  parseValue,
  valueText,
  withOperator,
  withProperty,
  type Edit,
  type Path,
  type PropertyKind,
} from './model-edit';
import { TextField } from './TextField';

/** Whose properties a test reads: the contact or its company, or one engagement type. */
export type TestsOn = 'contact-or-company' | EngagementObject;

interface Common {
  edit: Edit;
  problems: Map<string, string>;
  properties: PropertiesView | null;
  on: TestsOn;
}

/** The property list a test picks from; undefined when HubSpot did not give it. */
function listFor(
  properties: PropertiesView | null,
  on: TestsOn,
  test: Condition | EngagementTest,
): PropertySummary[] | undefined {
  const given =
    on === 'contact-or-company'
      ? 'object' in test && test.object === 'company'
        ? properties?.companies
        : properties?.contacts
      : properties?.engagements[on];
  // An empty list is one HubSpot did not give (the page warns), not an empty account.
  return given && given.length > 0 ? given : undefined;
}

/** One test: whose property, which property (the account's, by label), operator and value. */
export function ConditionRow(
  props: Common & { path: Path; test: Condition | EngagementTest; onRemove?: () => void },
) {
  const { path: at, test, edit, problems, properties, on } = props;
  const list = listFor(properties, on, test);
  const property = list?.find((p) => p.name === test.property);
  const known = list === undefined || property !== undefined;
  const kind = kindOf(property);
  const options = [
    ...(known ? [] : [{ label: `${test.property} (not in this account)`, value: test.property }]),
    ...(list ?? [{ name: test.property, label: test.property }]).map((p) => ({
      label: p.label,
      value: p.name,
    })),
  ];
  const propertyProblem = fieldError(problems, [...at, 'property']);
  const whose = on === 'contact-or-company' && 'object' in test ? test.object : on;
  return (
    <Flex direction="row" gap="xs" align="end" wrap="wrap" testId={at.join('.')}>
      {on === 'contact-or-company' && 'object' in test && (
        <Select
          testId={[...at, 'object'].join('.')}
          label="Of the"
          name={[...at, 'object'].join('.')}
          value={test.object}
          options={[
            { label: 'Contact', value: 'contact' },
            { label: 'Company', value: 'company' },
          ]}
          onChange={(v) => edit([...at, 'object'], v)}
          {...fieldError(problems, [...at, 'object'])}
        />
      )}
      <Select
        testId={[...at, 'property'].join('.')}
        label="Property"
        name={[...at, 'property'].join('.')}
        value={test.property}
        options={options}
        onChange={(v) => {
          const next = list?.find((p) => p.name === v);
          edit(at, withProperty(test, String(v), kindOf(next)));
        }}
        {...(propertyProblem.error || known
          ? propertyProblem
          : {
              error: true,
              validationMessage: `This account has no ${whose} property "${test.property}": it never matches. Choose one it has.`,
            })}
      />
      <Select
        testId={[...at, 'operator'].join('.')}
        label="Operator"
        name={[...at, 'operator'].join('.')}
        value={test.operator}
        options={operatorsFor(kind, test.operator)}
        onChange={(v) => edit(at, withOperator(test, v as Condition['operator'], kind))}
        {...fieldError(problems, [...at, 'operator'])}
      />
      {needsValue(test.operator) && (
        <ValueField
          path={[...at, 'value']}
          test={test}
          kind={kind}
          property={property}
          edit={edit}
          problems={problems}
        />
      )}
      {props.onRemove && (
        <Button
          testId={[...at, 'remove'].join('.')}
          size="sm"
          variant="transparent"
          onClick={props.onRemove}
        >
          Remove
        </Button>
      )}
    </Flex>
  );
}

/**
 * A test's value, as its property and operator need it: the property's options to pick from
 * (labels shown, internal values stored), numbers and day counts as numbers with bounds, text
 * otherwise.
 */
function ValueField(props: {
  path: Path;
  test: Condition | EngagementTest;
  kind: PropertyKind | null;
  property: PropertySummary | undefined;
  edit: Edit;
  problems: Map<string, string>;
}) {
  const { path, test, kind, property, edit, problems } = props;
  const name = path.join('.');
  const error = fieldError(problems, path, true);
  const value = 'value' in test ? (test.value as unknown) : undefined;
  const op = test.operator;
  if (op === 'within_days' || op === 'older_than_days')
    return (
      <NumberInput
        testId={name}
        label="Days"
        name={name}
        min={1}
        value={typeof value === 'number' ? value : undefined}
        onChange={(v) => edit(path, v)}
        {...error}
      />
    );
  if (op === 'between') {
    const [from, to] = Array.isArray(value) ? (value as unknown[]) : [];
    const set = (i: 0 | 1, v: number) => edit(path, i === 0 ? [v, to] : [from, v]);
    return (
      <>
        <NumberInput
          testId={`${name}.from`}
          label="From"
          name={`${name}.from`}
          value={typeof from === 'number' ? from : undefined}
          onChange={(v) => set(0, v)}
          {...error}
        />
        <NumberInput
          testId={`${name}.to`}
          label="To"
          name={`${name}.to`}
          value={typeof to === 'number' ? to : undefined}
          onChange={(v) => set(1, v)}
        />
      </>
    );
  }
  if (kind === 'number' || op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte')
    return (
      <NumberInput
        testId={name}
        label="Value"
        name={name}
        value={typeof value === 'number' ? value : undefined}
        onChange={(v) => edit(path, v)}
        {...error}
      />
    );
  const choices = property && kind === 'enumeration' ? optionsOf(property) : [];
  if (choices.length > 0) {
    const chosen = (Array.isArray(value) ? value : value === undefined ? [] : [value])
      .map(String)
      .filter((v) => v !== '');
    // A value the property no longer offers stays visible, so the admin sees and removes it.
    const options = [
      ...choices,
      ...chosen
        .filter((v) => !choices.some((c) => c.value.toLowerCase() === v.toLowerCase()))
        .map((v) => ({ label: `${v} (not an option now)`, value: v })),
    ];
    if (op === 'in' || op === 'not_in')
      return (
        <MultiSelect
          testId={name}
          label="Values"
          name={name}
          value={chosen}
          options={options}
          onChange={(v) => edit(path, v.map(String))}
          {...error}
        />
      );
    if (op === 'equals' || op === 'not_equals')
      return (
        <Select
          testId={name}
          label="Value"
          name={name}
          value={chosen[0]}
          options={options}
          onChange={(v) => edit(path, String(v))}
          {...error}
        />
      );
  }
  const list = op === 'in' || op === 'not_in' || op.includes('contains') || op.includes('domain');
  return (
    <TextField
      testId={name}
      label={op === 'email_domain_in' ? 'Domains' : list ? 'Values' : 'Value'}
      name={name}
      description={
        list
          ? Array.isArray(value) && value.length === 0
            ? 'Empty: matches nothing until you add values (separate them with commas)'
            : 'Separate values with commas'
          : undefined
      }
      initial={valueText(test)}
      onChange={(v) => edit(path, parseValue(op, v, kind))}
      {...error}
    />
  );
}

/**
 * A list of tests, with whether any or all must hold, and buttons to add and remove them (a
 * list keeps at least one).
 */
export function ConditionList(
  props: Common & {
    path: Path;
    tests: Array<Condition | EngagementTest>;
    /** Where the list's any/all choice is kept. */
    matchPath: Path;
    match: 'any' | 'all';
  },
) {
  const { path, tests, edit, on } = props;
  const fresh: Condition | EngagementTest =
    on === 'contact-or-company'
      ? { object: 'contact', property: 'jobtitle', operator: 'exists' }
      : { property: 'hs_timestamp', operator: 'exists' };
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="xs" align="center" wrap="wrap">
        <Select
          testId={props.matchPath.join('.')}
          label="Matches when"
          name={props.matchPath.join('.')}
          value={props.match}
          options={[
            { label: 'any one of these holds', value: 'any' },
            { label: 'all of these hold', value: 'all' },
          ]}
          onChange={(v) => edit(props.matchPath, v)}
        />
      </Flex>
      {tests.map((test, k) => (
        <ConditionRow
          // Removing or adding a test remounts the rows: typed text follows the model.
          key={`${tests.length}-${k}`}
          edit={edit}
          problems={props.problems}
          properties={props.properties}
          on={on}
          path={[...path, k]}
          test={test}
          onRemove={
            tests.length > 1
              ? () =>
                  edit(
                    path,
                    tests.filter((_, i) => i !== k),
                  )
              : undefined
          }
        />
      ))}
      {tests.length === 0 && <Text variant="microcopy">No condition yet: add one.</Text>}
      <Flex direction="row">
        <Button
          testId={[...path, 'add'].join('.')}
          size="sm"
          variant="secondary"
          onClick={() => edit(path, [...tests, fresh])}
        >
          Add a condition
        </Button>
      </Flex>
    </Flex>
  );
}
