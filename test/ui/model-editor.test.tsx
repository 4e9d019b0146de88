import {
  Accordion,
  Alert,
  Button,
  Input,
  LoadingButton,
  MultiSelect,
  NumberInput,
  Select,
  Tab,
  Text,
} from '@hubspot/ui-extensions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { renderSettings as renderSettingsIn } from '../../src/sandbox/ui-render';
import { backfillDone, testStack } from '../support/stack';
import { BACKEND_URL, uiFetchFor } from '../support/ui';

let stack: Stack;
let ui: ReturnType<typeof uiFetchFor>;
const WAIT = { timeoutInMs: 20_000 };

beforeAll(async () => {
  stack = await testStack('model-editor', { contacts: 40 });
  await stack.install();
  await backfillDone(stack);
  ui = uiFetchFor(stack, { userEmail: 'admin@example.com', userId: 7 });
}, 90_000);

afterAll(async () => {
  ui?.uninstall();
  await stack?.close();
});

const renderSettings = () => renderSettingsIn(BACKEND_URL, { pollEveryMs: 100 });
type Page = ReturnType<typeof renderSettings>;

/** The page, loaded, with the account's property lists in its pickers. */
async function opened(): Promise<Page> {
  const r = renderSettings();
  await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'draft-status')).not.toBeNull(), WAIT);
  await r.waitFor(
    () =>
      expect(
        r.findByTestId(Select, 'fit.rules.0.anyOf.0.property').props.options.length,
      ).toBeGreaterThan(5),
    WAIT,
  );
  return r;
}

const select = (r: Page, id: string, value: string) =>
  r.findByTestId(Select, id).trigger('onChange', value as never);
const pick = (r: Page, id: string, values: string[]) =>
  r.findByTestId(MultiSelect, id).trigger('onChange', values as never);
const click = (r: Page, id: string) => r.findByTestId(Button, id).trigger('onClick');
const labelOf = (options: Array<{ label: string; value: unknown }>, value: string) =>
  options.find((o) => o.value === value)?.label;

async function save(r: Page): Promise<Alert> {
  r.findByTestId(LoadingButton, 'save-draft').trigger('onClick');
  await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'outcome')).not.toBeNull(), WAIT);
  return r.findByTestId(Alert, 'outcome').props as never;
}
type Alert = { title: string; variant: string };

const ruleIndex = (r: Page, property: string) => {
  for (let i = 0; ; i++) {
    const picker = r.maybeFindByTestId(Select, `fit.rules.${i}.anyOf.0.property`);
    if (!picker) throw new Error(`no fit rule on ${property}`);
    if (picker.props.value === property) return i;
  }
};

describe('the model editor', () => {
  it("edits a rule's conditions with the portal's options, all of them required, and saves it", async () => {
    const r = await opened();
    const i = ruleIndex(r, 'industry');
    const industries = r.findByTestId(MultiSelect, `fit.rules.${i}.anyOf.0.value`);
    // The options read as HubSpot shows them; the internal values are what is stored.
    expect(labelOf(industries.props.options, 'FINANCIAL_SERVICES')).toBe('Financial Services');
    expect(industries.props.value).toContain('COMPUTER_SOFTWARE');
    pick(r, `fit.rules.${i}.anyOf.0.value`, [
      ...(industries.props.value as string[]),
      'FINANCIAL_SERVICES',
    ]);

    click(r, `fit.rules.${i}.anyOf.add`);
    select(r, `fit.rules.${i}.anyOf.1.object`, 'contact');
    select(r, `fit.rules.${i}.anyOf.1.property`, 'hs_buying_role');
    // An option property offers the operators that make sense for it, in words.
    const operators = r.findByTestId(Select, `fit.rules.${i}.anyOf.1.operator`).props.options;
    expect(operators.map((o) => o.label)).toEqual([
      'is',
      'is not',
      'is any of',
      'is none of',
      'is known',
      'is unknown',
    ]);
    select(r, `fit.rules.${i}.anyOf.1.operator`, 'in');
    const roles = r.findByTestId(MultiSelect, `fit.rules.${i}.anyOf.1.value`);
    expect(labelOf(roles.props.options, 'DECISION_MAKER')).toBe('Decision Maker');
    pick(r, `fit.rules.${i}.anyOf.1.value`, ['DECISION_MAKER', 'BUDGET_HOLDER']);
    select(r, `fit.rules.${i}.match`, 'all');

    // A number property takes numbers, from and to.
    const size = ruleIndex(r, 'numberofemployees');
    expect(r.findByTestId(NumberInput, `fit.rules.${size}.anyOf.0.value.from`).props.value).toBe(
      50,
    );

    // Who makes an SQL: a rep accepting a lead ready for sales, by default.
    expect(r.findByTestId(Select, 'sql.handOff').props.value).toBe('rep_accepts');
    select(r, 'sql.handOff', 'automatic');

    expect((await save(r)).title).toBe('Draft saved');
    const draft = await stack.runtime.models.draft(stack.portalId);
    expect(draft!.model.sql.handOff).toBe('automatic');
    expect(draft!.model.fit.rules[i]).toMatchObject({
      match: 'all',
      anyOf: [
        {
          object: 'company',
          property: 'industry',
          operator: 'in',
          value: expect.arrayContaining(['FINANCIAL_SERVICES', 'COMPUTER_SOFTWARE']),
        },
        {
          object: 'contact',
          property: 'hs_buying_role',
          operator: 'in',
          value: ['DECISION_MAKER', 'BUDGET_HOLDER'],
        },
      ],
    });
    click(r, `fit.rules.${i}.anyOf.1.remove`);
    expect(r.maybeFindByTestId(Select, `fit.rules.${i}.anyOf.1.property`)).toBeNull();
    // The last condition cannot be removed: a rule needs one.
    expect(r.maybeFindByTestId(Button, `fit.rules.${i}.anyOf.0.remove`)).toBeNull();
    await stack.runtime.models.discardDraft(stack.portalId);
  });

  it('adds a signal counting a logged call, a criterion it meets and a buying combination, all by label', async () => {
    const r = await opened();
    const before = r
      .findAll(Input)
      .filter((i) => /^engagement\.signals\.\d+\.label$/.test(i.props.name ?? '')).length;
    click(r, 'engagement.signals.add');
    const at = `engagement.signals.${before}`;
    r.findByTestId(Input, `${at}.label`).trigger('onChange', 'Inbound call' as never);
    select(r, `${at}.source.type`, 'engagement');
    select(r, `${at}.source.object`, 'calls');
    select(r, `${at}.source.where.0.property`, 'hs_call_direction');
    select(r, `${at}.source.where.0.operator`, 'equals');
    const direction = r.findByTestId(Select, `${at}.source.where.0.value`);
    expect(direction.props.options.map((o) => o.label)).toEqual(['Inbound', 'Outbound']);
    select(r, `${at}.source.where.0.value`, 'INBOUND');

    const criteria = r
      .findAll(Input)
      .filter((i) => /^sql\.criteria\.\d+\.label$/.test(i.props.name ?? '')).length;
    click(r, 'sql.criteria.add');
    const c = `sql.criteria.${criteria}`;
    r.findByTestId(Input, `${c}.label`).trigger('onChange', 'Talked to us' as never);
    select(r, `${c}.anyOf.0.type`, 'signal');
    const signals = r.findByTestId(Select, `${c}.anyOf.0.signal`).props.options;
    expect(signals.map((o) => o.label)).toContain('Inbound call');
    expect(signals.every((o) => o.label !== o.value)).toBe(true);
    select(
      r,
      `${c}.anyOf.0.signal`,
      signals.find((o) => o.label === 'Inbound call')!.value as string,
    );

    const groups = r
      .findAll(MultiSelect)
      .filter((m) => /^sql\.buyingSignals\.\d+$/.test(m.props.name ?? '')).length;
    click(r, 'sql.buyingSignals.add');
    const combination = r.findByTestId(MultiSelect, `sql.buyingSignals.${groups}`);
    expect(combination.props.options.every((o) => o.label !== o.value)).toBe(true);
    const id = combination.props.options.find((o) => o.label === 'Inbound call')!.value as string;
    pick(r, `sql.buyingSignals.${groups}`, [id]);

    expect((await save(r)).title).toBe('Draft saved');
    const model = (await stack.runtime.models.draft(stack.portalId))!.model;
    const signal = model.engagement.signals.find((s) => s.label === 'Inbound call')!;
    expect(signal.source).toMatchObject({
      type: 'engagement',
      object: 'calls',
      where: [{ property: 'hs_call_direction', operator: 'equals', value: 'INBOUND' }],
    });
    expect(model.sql.criteria.at(-1)).toMatchObject({
      label: 'Talked to us',
      anyOf: [{ type: 'signal', signal: signal.id }],
    });
    expect(model.sql.buyingSignals.at(-1)).toEqual([signal.id]);
    await stack.runtime.models.discardDraft(stack.portalId);
  });

  it('puts each problem beside its field, opens its section and says it in words next to Save', async () => {
    const r = await opened();
    r.findByTestId(NumberInput, 'grades.A').trigger('onChange', 150 as never);
    expect(r.findByTestId(NumberInput, 'grades.A').props.max).toBe(100);
    pick(r, 'sql.buyingSignals.0', []);
    expect(r.find(Accordion, { title: 'SQL criteria and buying signals (4)' }).props.open).toBe(
      false,
    );

    const outcome = await save(r);
    expect(outcome.title).toBe('The draft was not saved');
    expect(r.findByTestId(NumberInput, 'grades.A').props).toMatchObject({
      error: true,
      validationMessage: 'must be at most 100 (scores run from 0 to 100)',
    });
    expect(r.findByTestId(MultiSelect, 'sql.buyingSignals.0').props).toMatchObject({
      error: true,
      validationMessage: 'a group needs a signal',
    });
    const sql = r.findByTestId(Accordion, 'section-sql');
    expect(sql.props).toMatchObject({
      open: true,
      title: 'SQL criteria and buying signals (4) · 1 to fix',
    });
    expect(r.findByTestId(Accordion, 'section-thresholds').props.title).toBe(
      'Name and thresholds · 1 to fix',
    );
    // Beside the Save button, in the form's words: no paths, no ids.
    const alert = r.find(Tab, { tabId: 'model' }).find(Alert, { title: 'The draft was not saved' });
    const words = alert
      .findAll(Text)
      .map((t) => t.text)
      .join(' | ');
    expect(words).toContain('Grade A from: must be at most 100');
    expect(words).toContain('Buying signal combination 1: a group needs a signal');
    expect(words).not.toMatch(/\b(anyOf|buyingSignals|grades\.)/);
    expect(await stack.runtime.models.draft(stack.portalId)).toBeNull();
  });
});
