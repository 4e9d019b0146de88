import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Divider,
  Flex,
  Heading,
  Input,
  LoadingButton,
  MultiSelect,
  NumberInput,
  Select,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import type {
  HandOffSettings,
  HandOffView,
  RoutingPreview,
  RoutingRule,
  TerritoryCondition,
} from '@lead-qualifier/contract';
import { ApiError, callApi, messageOf, NotLoaded, SimpleTable } from '@lead-qualifier/ui-kit';
import { OutcomeAlert, type Outcome } from './OutcomeAlert';
import { SpeedToLead } from './SpeedToLead';
import { TextField } from './TextField';

const TRIGGERS = [
  { label: 'When the model finds a contact ready for sales', value: 'ready' },
  { label: 'When a contact becomes an MQL graded A or B', value: 'mql_ab' },
  { label: 'Only when a rep clicks Hand to sales on the card', value: 'manual' },
] as const;

const RULE_NAMES: Record<RoutingRule['kind'], string> = {
  account_owner: "The company's owner (account-based)",
  deal_owner: 'The owner of an open deal with the company',
  territory: 'Territory',
};

/** A problem's path in an admin's words: "Rule 2", "Round-robin owners". */
function where(path: string, settings: HandOffSettings): string {
  const p = path.replace(/^body\./, '');
  const rule = /^rules\.(\d+)/.exec(p);
  if (rule) {
    const r = settings.rules[Number(rule[1])];
    return r?.kind === 'territory' ? `Territory “${r.name}”` : `Rule ${Number(rule[1]) + 1}`;
  }
  if (p.startsWith('roundRobinOwnerIds')) return 'Round-robin owners';
  if (p.startsWith('roundRobinTeamId')) return 'Round-robin team';
  if (p.startsWith('firstTouchHours')) return 'First touch within';
  if (p.startsWith('stages')) return 'Lead stages';
  return 'Hand-off';
}

/**
 * The hand-off to sales: whether qualified contacts become HubSpot Leads (or tasks), when, who
 * gets them (rules in order, then a round-robin), a preview of a change over the last week's
 * qualified contacts, and how fast sales touched what it got.
 */
export function HandOffPanel({ base }: { base: string }) {
  const [view, setView] = useState<HandOffView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<HandOffSettings | null>(null);
  const [busy, setBusy] = useState<null | 'save' | 'preview'>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [preview, setPreview] = useState<RoutingPreview | null>(null);
  /** Bumped when the form is replaced from the server: text fields remount. */
  const [revision, setRevision] = useState(0);

  const adopt = useCallback((next: HandOffView) => {
    setView(next);
    setForm(next.settings);
    setRevision((r) => r + 1);
  }, []);
  useEffect(() => {
    callApi(base, 'handOffSettings').then(adopt, (e: unknown) => setError(messageOf(e)));
  }, [base, adopt]);

  if (!view || !form)
    return <NotLoaded what="The hand-off to sales" error={error} testId="handoff-error" />;

  const set = (change: Partial<HandOffSettings>) => {
    setForm({ ...form, ...change });
    setPreview(null);
  };
  const setRule = (k: number, rule: RoutingRule) =>
    set({ rules: form.rules.map((r, j) => (j === k ? rule : r)) });
  const move = (k: number, by: -1 | 1) => {
    const rules = [...form.rules];
    const [r] = rules.splice(k, 1);
    rules.splice(k + by, 0, r!);
    set({ rules });
  };
  const seated = view.owners.filter((o) => o.seated !== false);
  const ownerOptions = seated.map((o) => ({
    label: `${o.name}${o.away ? ' (away)' : ''}`,
    value: o.id,
  }));
  const teams = [
    ...new Map(view.owners.flatMap((o) => o.teams).map((t) => [t.id, t.name])).entries(),
  ];
  const stageOptions = view.stages.map((s) => ({ label: s.label, value: s.id }));

  const refused = (title: string, e: unknown) =>
    setOutcome({
      variant: 'danger',
      title,
      text: messageOf(e),
      ...(e instanceof ApiError && e.details.length > 0
        ? { list: e.details.map((d) => `${where(d.path, form)}: ${d.message}`) }
        : {}),
    });

  async function save() {
    setBusy('save');
    setOutcome(null);
    try {
      const next = await callApi(base, 'saveHandOff', { body: form! });
      adopt(next);
      setOutcome({
        variant: 'success',
        title: 'Hand-off saved',
        text: next.settings.enabled
          ? 'Qualified contacts are handed to sales with these rules from now on.'
          : 'The hand-off is off: no lead or task is made.',
      });
    } catch (e) {
      refused('Nothing was saved', e);
    } finally {
      setBusy(null);
    }
  }

  async function runPreview() {
    setBusy('preview');
    setOutcome(null);
    try {
      setPreview(await callApi(base, 'previewRouting', { body: form! }));
    } catch (e) {
      refused('The preview could not run', e);
    } finally {
      setBusy(null);
    }
  }

  const territory = (k: number, rule: Extract<RoutingRule, { kind: 'territory' }>) => {
    const setCondition = (j: number, c: TerritoryCondition) =>
      setRule(k, { ...rule, when: rule.when.map((w, i) => (i === j ? c : w)) });
    return (
      <Flex direction="column" gap="xs">
        <Input
          testId={`rules.${k}.name`}
          label="Territory name"
          name={`rules.${k}.name`}
          value={rule.name}
          onChange={(v) => setRule(k, { ...rule, name: v })}
        />
        {rule.when.map((c, j) => (
          <Flex key={`${revision}-${j}`} direction="row" gap="xs" align="end" wrap="wrap">
            <Select
              label="Of the"
              name={`rules.${k}.when.${j}.object`}
              value={c.object}
              options={[
                { label: 'Contact', value: 'contact' },
                { label: 'Company', value: 'company' },
              ]}
              onChange={(v) => setCondition(j, { ...c, object: v as 'contact' | 'company' })}
            />
            <Input
              label="Property (internal name)"
              name={`rules.${k}.when.${j}.property`}
              value={c.property}
              onChange={(v) => setCondition(j, { ...c, property: v.trim() })}
            />
            <TextField
              testId={`rules.${k}.when.${j}.values`}
              label="Is one of (comma-separated)"
              name={`rules.${k}.when.${j}.values`}
              initial={c.values.join(', ')}
              onChange={(v) =>
                setCondition(j, {
                  ...c,
                  values: v
                    .split(',')
                    .map((s) => s.trim())
                    .filter(Boolean),
                })
              }
            />
            {rule.when.length > 1 && (
              <Button
                size="sm"
                variant="transparent"
                onClick={() => setRule(k, { ...rule, when: rule.when.filter((_, i) => i !== j) })}
              >
                Remove condition
              </Button>
            )}
          </Flex>
        ))}
        <Button
          size="sm"
          variant="transparent"
          onClick={() =>
            setRule(k, {
              ...rule,
              when: [...rule.when, { object: 'company', property: 'industry', values: [] }],
            })
          }
        >
          Add a condition (all must hold)
        </Button>
        <MultiSelect
          testId={`rules.${k}.ownerIds`}
          label="Taken in turn by"
          name={`rules.${k}.ownerIds`}
          value={rule.ownerIds}
          options={ownerOptions}
          onChange={(v) => setRule(k, { ...rule, ownerIds: v.map(String) })}
        />
      </Flex>
    );
  };

  return (
    <Flex direction="column" gap="md" testId="handoff">
      <Alert
        title={view.mode.mode === 'leads' ? 'Hand-offs are HubSpot Leads' : 'Hand-offs are tasks'}
        variant={view.mode.mode === 'leads' ? 'info' : 'warning'}
        testId="handoff-mode"
      >
        {view.mode.reason}
      </Alert>
      <Toggle
        testId="handoff-enabled"
        label="Hand qualified contacts to sales"
        name="enabled"
        checked={form.enabled}
        onChange={(v) => set({ enabled: v })}
      />
      {!view.settings.enabled && (
        <Toggle
          testId="handoff-waiting"
          label="When turning it on, also hand off the contacts already waiting at the trigger"
          name="handOffWaiting"
          checked={form.handOffWaiting}
          onChange={(v) => set({ handOffWaiting: v })}
        />
      )}
      <Select
        testId="handoff-trigger"
        label="When"
        name="trigger"
        value={form.trigger}
        options={[...TRIGGERS]}
        onChange={(v) => set({ trigger: v as HandOffSettings['trigger'] })}
      />
      <Heading>Who gets it: the first rule that names an available owner with a seat</Heading>
      {form.rules.map((rule, k) => (
        <Flex key={`${revision}-${k}`} direction="column" gap="xs" testId={`rule-${k}`}>
          <Flex direction="row" gap="xs" align="center" wrap="wrap">
            <Text format={{ fontWeight: 'demibold' }}>{`${k + 1}. ${RULE_NAMES[rule.kind]}`}</Text>
            <Button size="xs" variant="transparent" disabled={k === 0} onClick={() => move(k, -1)}>
              Up
            </Button>
            <Button
              size="xs"
              variant="transparent"
              disabled={k === form.rules.length - 1}
              onClick={() => move(k, 1)}
            >
              Down
            </Button>
            <Button
              size="xs"
              variant="transparent"
              onClick={() => set({ rules: form.rules.filter((_, j) => j !== k) })}
            >
              Remove
            </Button>
          </Flex>
          {rule.kind === 'territory' && territory(k, rule)}
        </Flex>
      ))}
      <Flex direction="row" gap="xs" wrap="wrap">
        {(['account_owner', 'deal_owner'] as const)
          .filter((kind) => !form.rules.some((r) => r.kind === kind))
          .map((kind) => (
            <Button
              key={kind}
              size="sm"
              testId={`add-${kind}`}
              onClick={() => set({ rules: [...form.rules, { kind }] })}
            >
              {`Add: ${RULE_NAMES[kind].toLowerCase()}`}
            </Button>
          ))}
        <Button
          size="sm"
          testId="add-territory"
          onClick={() =>
            set({
              rules: [
                ...form.rules,
                {
                  kind: 'territory',
                  name: `Territory ${form.rules.length + 1}`,
                  when: [{ object: 'contact', property: 'country', values: [] }],
                  ownerIds: [],
                },
              ],
            })
          }
        >
          Add a territory
        </Button>
      </Flex>
      <Text>{`${form.rules.length + 1}. Otherwise, in turn among:`}</Text>
      <Flex direction="row" gap="sm" wrap="wrap" align="end">
        <Select
          testId="handoff-team"
          label="Team"
          name="roundRobinTeamId"
          value={form.roundRobinTeamId ?? ''}
          options={[
            { label: 'Everyone with a seat', value: '' },
            ...teams.map(([id, name]) => ({ label: name, value: id })),
          ]}
          onChange={(v) => set({ roundRobinTeamId: v ? String(v) : null })}
        />
        <MultiSelect
          testId="handoff-rr-owners"
          label="Only these people (none: the whole team)"
          name="roundRobinOwnerIds"
          value={form.roundRobinOwnerIds}
          options={ownerOptions}
          onChange={(v) => set({ roundRobinOwnerIds: v.map(String) })}
        />
      </Flex>
      <Toggle
        label="Fewest open leads first (instead of strict turns)"
        name="weighByLoad"
        checked={form.weighByLoad}
        onChange={(v) => set({ weighByLoad: v })}
      />
      <Toggle
        label="Skip people marked away in HubSpot"
        name="skipAway"
        checked={form.skipAway}
        onChange={(v) => set({ skipAway: v })}
      />
      <NumberInput
        testId="handoff-first-touch"
        label="First touch within (hours)"
        name="firstTouchHours"
        value={form.firstTouchHours}
        min={0.001}
        max={720}
        onChange={(v) => set({ firstTouchHours: v })}
      />
      {view.mode.mode === 'leads' && stageOptions.length > 0 && (
        <Flex direction="row" gap="sm" wrap="wrap">
          <MultiSelect
            label="Lead stages that mean qualified"
            name="stages.qualified"
            value={form.stages.qualified}
            options={stageOptions}
            onChange={(v) => set({ stages: { ...form.stages, qualified: v.map(String) } })}
          />
          <MultiSelect
            label="Lead stages that mean disqualified"
            name="stages.disqualified"
            value={form.stages.disqualified}
            options={stageOptions}
            onChange={(v) => set({ stages: { ...form.stages, disqualified: v.map(String) } })}
          />
          <MultiSelect
            label="Lead stages that mean not touched yet"
            name="stages.untouched"
            value={form.stages.untouched}
            options={stageOptions}
            onChange={(v) => set({ stages: { ...form.stages, untouched: v.map(String) } })}
          />
        </Flex>
      )}
      <Flex direction="row" gap="xs">
        <LoadingButton
          testId="handoff-preview"
          loading={busy === 'preview'}
          disabled={busy !== null}
          onClick={() => void runPreview()}
        >
          Preview the last week
        </LoadingButton>
        <LoadingButton
          testId="handoff-save"
          variant="primary"
          loading={busy === 'save'}
          disabled={busy !== null}
          onClick={() => void save()}
        >
          Save
        </LoadingButton>
      </Flex>
      {outcome && <OutcomeAlert outcome={outcome} />}
      {preview && (
        <Flex direction="column" gap="xs" testId="handoff-preview-result">
          <Text>
            {preview.contacts === 0
              ? 'No contact reached the trigger in the last week: nothing to route.'
              : `The ${preview.contacts} contacts that reached the trigger in the last week would go to:`}
          </Text>
          {preview.contacts > 0 && (
            <SimpleTable
              testId="preview-by-owner"
              headers={['Owner', 'Leads']}
              rows={preview.byOwner.map((o) => ({
                key: o.ownerId ?? 'nobody',
                cells: [o.name, o.leads],
              }))}
            />
          )}
          {preview.contacts > 0 && (
            <SimpleTable
              testId="preview-by-rule"
              headers={['Routed by', 'Leads']}
              rows={preview.byRule.map((r) => ({ key: r.rule, cells: [r.rule, r.leads] }))}
            />
          )}
        </Flex>
      )}
      <Divider />
      <SpeedToLead report={view.firstTouch} />
      <Heading>People</Heading>
      <SimpleTable
        testId="handoff-owners"
        headers={['Name', 'Teams', 'Seat', 'Available', 'Open leads']}
        rows={view.owners.map((o) => ({
          key: o.id,
          cells: [
            o.name,
            o.teams.map((t) => t.name).join(', ') || '–',
            o.seated === null ? 'Unknown' : o.seated ? 'Yes' : 'No: gets no leads',
            o.away ? 'Away' : 'Yes',
            o.openLeads,
          ],
        }))}
      />
    </Flex>
  );
}
