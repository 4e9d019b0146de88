import { Flex, Select, Text } from '@hubspot/ui-extensions';
import type { Condition, PropertiesView } from '@lead-qualifier/contract';
import {
  OPERATORS,
  fieldError,
  needsValue,
  parseValue,
  valueText,
  withOperator,
  type Path,
  type Edit,
} from './model-edit';
import { TextField } from './TextField';

/** A rule's conditions: object, a property picker of the account's properties, operator, value. */
export function ConditionFields(props: {
  path: Path;
  conditions: Condition[];
  edit: Edit;
  problems: Map<string, string>;
  properties: PropertiesView | null;
}) {
  const { path, edit, problems, properties } = props;
  return (
    <Flex direction="column" gap="xs">
      <Text variant="microcopy">Matches when any of these holds:</Text>
      {props.conditions.map((c, k) => {
        const at = [...path, k];
        // An empty list is one HubSpot did not give (see the warning above), not an empty account.
        const given = c.object === 'company' ? properties?.companies : properties?.contacts;
        const list = given && given.length > 0 ? given : undefined;
        const known = list?.some((p) => p.name === c.property) ?? true;
        const options = [
          ...(known ? [] : [{ label: `${c.property} (not in this account)`, value: c.property }]),
          ...(list ?? [{ name: c.property, label: c.property }]).map((p) => ({
            label: `${p.label} (${p.name})`,
            value: p.name,
          })),
        ];
        const propertyProblem = fieldError(problems, [...at, 'property']);
        return (
          <Flex key={k} direction="row" gap="xs" align="end" wrap="wrap" testId={at.join('.')}>
            <Select
              label="Of the"
              name={[...at, 'object'].join('.')}
              value={c.object}
              options={[
                { label: 'Contact', value: 'contact' },
                { label: 'Company', value: 'company' },
              ]}
              onChange={(v) => edit([...at, 'object'], v)}
            />
            <Select
              testId={[...at, 'property'].join('.')}
              label="Property"
              name={[...at, 'property'].join('.')}
              value={c.property}
              options={options}
              onChange={(v) => edit([...at, 'property'], v)}
              {...(propertyProblem.error || known
                ? propertyProblem
                : {
                    error: true,
                    validationMessage: `This account has no ${c.object} property "${c.property}": it never matches.`,
                  })}
            />
            <Select
              testId={[...at, 'operator'].join('.')}
              label="Operator"
              name={[...at, 'operator'].join('.')}
              value={c.operator}
              options={OPERATORS}
              onChange={(v) => edit(at, withOperator(c, v as Condition['operator']))}
              {...fieldError(problems, [...at, 'operator'])}
            />
            {needsValue(c.operator) && (
              <TextField
                testId={[...at, 'value'].join('.')}
                label="Value"
                name={[...at, 'value'].join('.')}
                description={
                  c.operator.includes('in') || c.operator.includes('contains')
                    ? 'Comma separated'
                    : undefined
                }
                initial={valueText(c)}
                onChange={(v) => edit([...at, 'value'], parseValue(c.operator, v))}
                {...fieldError(problems, [...at, 'value'])}
              />
            )}
          </Flex>
        );
      })}
    </Flex>
  );
}
