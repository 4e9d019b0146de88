import {
  Alert,
  Button,
  Input,
  LoadingButton,
  MultiSelect,
  StatisticsItem,
  Table,
  Tabs,
  Toggle,
} from '@hubspot/ui-extensions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { renderSettings as renderSettingsIn } from '../../src/sandbox/ui-render';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, contactsByStatus, uiFetchFor } from '../support/ui';

let stack: Stack;
let ui: ReturnType<typeof uiFetchFor>;
const WAIT = { timeoutInMs: 30_000 };

/** Names the step a wait was for, when it times out. */
async function step<T>(what: string, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    throw new Error(`waiting for ${what}: ${(error as Error).message}`);
  }
}

beforeAll(async () => {
  stack = await testStack('handoff-ui', { contacts: 120 });
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
const tableText = (r: Page, testId: string) =>
  JSON.stringify(r.findByTestId(Table, testId).toString());

describe('the hand-off to sales in the settings page', () => {
  it(
    'says the mode and why, lists who can take leads, offers only users with a seat, previews, then saves and hands off',
    { timeout: 120_000 },
    async () => {
      const r = renderSettings();
      await step(
        'the page',
        r.waitFor(() => expect(r.maybeFind(Tabs)).not.toBeNull(), WAIT),
      );
      r.find(Tabs).trigger('onSelectedChange', 'handoff' as never);
      await step(
        'the hand-off tab',
        r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'handoff-mode')).not.toBeNull(), WAIT),
      );
      expect(r.findByTestId(Alert, 'handoff-mode').props.title).toBe('Hand-offs are HubSpot Leads');
      expect(r.findByTestId(Toggle, 'handoff-enabled').props.checked).toBe(false);
      const people = tableText(r, 'handoff-owners');
      expect(people).toContain('Erin Walsh');
      expect(people).toContain('No: gets no leads');

      // A territory for EMEA; Erin is not offered as an owner (no seat).
      r.findByTestId(Button, 'add-territory').trigger('onClick');
      await r.waitFor(() => expect(r.maybeFindByTestId(Input, 'rules.1.name')).not.toBeNull());
      const owners = r.findByTestId(MultiSelect, 'rules.1.ownerIds');
      const labels = owners.props.options.map((o) => o.label);
      expect(labels).not.toContain('Erin Walsh');
      expect(labels).toContain('Ann Lee');
      r.findByTestId(Input, 'rules.1.name').trigger('onChange', 'EMEA' as never);
      r.findByTestId(Input, 'rules.1.when.0.values').trigger(
        'onChange',
        'United Kingdom, Germany, France' as never,
      );
      const ann = owners.props.options.find((o) => o.label === 'Ann Lee')!.value;
      r.findByTestId(MultiSelect, 'rules.1.ownerIds').trigger('onChange', [ann] as never);
      r.findByTestId(Toggle, 'handoff-enabled').trigger('onChange', true as never);

      // The preview routes last week's qualified contacts, writing nothing.
      r.findByTestId(LoadingButton, 'handoff-preview').trigger('onClick');
      await step(
        'the preview',
        r.waitFor(
          () => expect(r.maybeFindByTestId(Table, 'preview-by-owner')).not.toBeNull(),
          WAIT,
        ),
      );
      const ready = (await contactsByStatus(stack)).get('ready') ?? [];
      const portal = stack.sandbox.state.portal(stack.portalId);
      expect([...portal.all('leads')]).toHaveLength(0);
      expect(tableText(r, 'preview-by-rule')).toMatch(/round-robin|territory EMEA|account owner/);

      r.findByTestId(LoadingButton, 'handoff-save').trigger('onClick');
      await step(
        'the save',
        r.waitFor(
          () => expect(r.maybeFindByTestId(Alert, 'outcome')?.props.title).toBe('Hand-off saved'),
          WAIT,
        ),
      );
      await until(
        'a lead, with its note (made once the hand-off is saved), for each ready contact',
        async () =>
          [...portal.all('leads')].filter(
            (l) => portal.associations.list('leads', l.id, 'notes').length > 0,
          ).length === ready.length,
        30_000,
        100,
      );
      // Speed to lead, in the panel and in the funnel report, once the hand-offs are made.
      const again = renderSettings();
      await step(
        'the page again',
        again.waitFor(() => expect(again.maybeFind(Tabs)).not.toBeNull(), WAIT),
      );
      again.find(Tabs).trigger('onSelectedChange', 'funnel' as never);
      await step(
        'speed to lead in the funnel',
        again.waitFor(
          () =>
            expect(again.maybeFind(StatisticsItem, { label: 'Handed off' })?.props.number).toBe(
              ready.length,
            ),
          WAIT,
        ),
      );
    },
  );
});
