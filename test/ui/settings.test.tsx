import {
  Alert,
  BarChart,
  Button,
  ErrorState,
  Flex,
  Link,
  LoadingButton,
  Modal,
  NumberInput,
  ProgressBar,
  Select,
  StatisticsItem,
  Table,
  Tabs,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { createUiFetch, installUiFetch } from '../../src/sandbox/ui-fetch';
import { renderSettings as renderSettingsIn } from '../../src/sandbox/ui-render';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, contactsByStatus, uiFetchFor } from '../support/ui';

let stack: Stack;
let ui: ReturnType<typeof uiFetchFor>;
const WAIT = { timeoutInMs: 20_000 };

beforeAll(async () => {
  stack = await testStack('settings-ui', { contacts: 150 });
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

const textOf = (node: { findAll: Page['findAll'] }) =>
  node
    .findAll(Text)
    .map((t) => t.text)
    .join(' ');
async function loaded(r: Page) {
  await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'draft-status')).not.toBeNull(), WAIT);
}
const number = (r: Page, path: string, value: number) =>
  r.findByTestId(NumberInput, path).trigger('onChange', value as never);
const openTab = (r: Page, id: string) => r.find(Tabs).trigger('onSelectedChange', id as never);
const stat = (r: Page, label: string) => r.find(StatisticsItem, { label }).props.number;

describe('the settings page', () => {
  it("shows the active model as a form whose property pickers list the account's properties", async () => {
    const r = renderSettings();
    await loaded(r);
    expect(r.findByTestId(Text, 'draft-status').text).toMatch(/active model, version 1/);
    expect(r.findByTestId(NumberInput, 'mql.minScore').props.value).toBe(50);
    await r.waitFor(
      () =>
        expect(
          r.findByTestId(Select, 'fit.rules.0.anyOf.0.property').props.options.length,
        ).toBeGreaterThan(1),
      WAIT,
    );
    const picker = r.findByTestId(Select, 'fit.rules.0.anyOf.0.property');
    const portal = stack.sandbox.state.portal(stack.portalId);
    const visible = portal.propertyDefs('contacts').filter((p) => !p.hidden);
    expect(picker.props.options.length).toBe(visible.length);
    expect(picker.props.options.map((o) => o.value)).toContain('jobtitle');
    expect(picker.props.validationMessage).toBeUndefined();
  });

  it('an invalid model gets its problems beside the fields, and nothing is saved', async () => {
    const r = renderSettings();
    await loaded(r);
    number(r, 'grades.B', 80);
    number(r, 'fit.rules.0.points', 0);
    r.findByTestId(LoadingButton, 'save-draft').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'outcome').props.title).toBe('The draft was not saved'),
      WAIT,
    );
    expect(r.findByTestId(NumberInput, 'fit.rules.0.points').props).toMatchObject({
      error: true,
      validationMessage: 'must not be 0',
    });
    expect(r.findByTestId(Text, 'grades-error').text).toMatch(/A > B > C/);
    expect(textOf(r.findByTestId(Alert, 'outcome'))).toMatch(
      /Fit rule “.+” › points: must not be 0/,
    );
    expect(await stack.runtime.models.draft(stack.portalId)).toBeNull();
  });

  it('saves a valid draft, previews it over the stored contacts, publishes it and rolls back', async () => {
    const r = renderSettings();
    await loaded(r);
    number(r, 'mql.minScore', 25);
    r.findByTestId(LoadingButton, 'save-draft').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'outcome').props.title).toBe('Draft saved'),
      WAIT,
    );
    const draft = await stack.runtime.models.draft(stack.portalId);
    expect(draft).toMatchObject({
      baseVersion: 1,
      model: { mql: { minScore: 25 } },
      updatedBy: { userId: 7 },
    });
    expect(r.findByTestId(Text, 'draft-status').text).toMatch(
      /Draft based on version 1, saved by admin@example.com/,
    );

    // Publishing is for a previewed model only.
    openTab(r, 'preview');
    expect(r.findByTestId(Button, 'publish').props.disabled).toBe(true);
    expect(r.findByTestId(Text, 'publish-needs-preview').text).toMatch(/Preview the form first/);
    // Preview: a lower MQL threshold moves leads up to MQL.
    r.findByTestId(LoadingButton, 'run-preview').trigger('onClick');
    await r.waitFor(
      () => expect(r.maybeFindByTestId(BarChart, 'distribution')).not.toBeNull(),
      WAIT,
    );
    const byStatus = await contactsByStatus(stack);
    const leads = byStatus.get('lead')?.length ?? 0;
    expect(stat(r, 'Contacts compared')).toBe(
      await stack.runtime.scores.factsCount(stack.portalId),
    );
    expect(Number(stat(r, 'Move up a status'))).toBeGreaterThan(0);
    expect(Number(stat(r, 'Move up a status'))).toBeLessThanOrEqual(leads);
    expect(stat(r, 'Move down a status')).toBe(0);
    const chart = r.findByTestId(BarChart, 'distribution').props.data as Array<
      Record<string, unknown>
    >;
    expect(chart).toHaveLength(20);
    expect(
      chart.filter((d) => d['model'] === 'Draft').reduce((n, d) => n + Number(d['contacts']), 0),
    ).toBe(stat(r, 'Contacts compared'));
    expect(textOf(r.findByTestId(Table, 'transitions'))).toBe('');
    expect(r.findByTestId(Table, 'transitions').toString()).toMatch(/Lead[\s\S]*MQL/);
    expect(r.findByTestId(Table, 'samples').toString()).toMatch(/MQL/);
    // Examples name each contact as HubSpot does (read for the page, not stored), never by id.
    const examples = r.findByTestId(Table, 'samples').findAll(Link);
    expect(examples.length).toBeGreaterThan(0);
    for (const link of examples) {
      const id = /record\/0-1\/(\d+)$/.exec((link.props.href as { url: string }).url)![1]!;
      const p = stack.sandbox.state.portal(stack.portalId).get('contacts', id)!.properties;
      expect(link.text).toBe(
        [p['firstname'], p['lastname']].filter(Boolean).join(' ') || p['email'],
      );
      expect(link.text).not.toContain(id);
    }
    // A look at another tab does not lose the preview.
    openTab(r, 'model');
    openTab(r, 'preview');
    expect(r.maybeFindByTestId(BarChart, 'distribution')).not.toBeNull();

    // Publish asks for confirmation in a modal that says what changes, and what cannot be undone.
    await r.waitFor(() => expect(r.findByTestId(Button, 'publish').props.disabled).toBe(false));
    const up = Number(stat(r, 'Move up a status'));
    const confirm = r.findByTestId(Button, 'publish').props.overlay!;
    expect(confirm.find(Modal).props.title).toBe('Publish version 2?');
    expect(r.findByTestId(Text, 'publish-statuses').text).toBe(
      `${up + Number(stat(r, 'Between lead and recycled'))} contacts change status: ${up} move up, 0 move down, ${stat(r, 'Between lead and recycled')} between lead and recycled.`,
    );
    expect(r.findByTestId(Alert, 'publish-stages').text).toMatch(
      /^\d+ contacts? move forward in lifecycle stage \(\d+ to Marketing Qualified Lead\)\. HubSpot stages only move forward: rolling back later restores scores and statuses, but not these stages\.$/,
    );
    expect(r.findByTestId(Alert, 'publish-stages').props.variant).toBe('warning');
    // Publish needs a note.
    r.findByTestId(LoadingButton, 'publishing-confirm').trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(TextArea, 'publish-note').props.validationMessage).toMatch(
        /what changed/i,
      ),
    );
    r.findByTestId(TextArea, 'publish-note').trigger('onChange', 'Lower MQL bar for Q4' as never);
    r.findByTestId(LoadingButton, 'publishing-confirm').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'outcome').props.title).toBe('Version 2 published'),
      WAIT,
    );
    expect(await stack.runtime.models.activeVersion(stack.portalId)).toBe(2);
    expect(await stack.runtime.models.draft(stack.portalId)).toBeNull();
    // The portal is rescored with it: statuses in HubSpot follow.
    await until(
      'the rescore with version 2',
      async () => {
        const p = await stack.runtime.backfills.get(stack.portalId);
        return p?.status === 'done' && p.startedAt > draft!.updatedAt;
      },
      60_000,
      100,
    );
    const publishRun = (await stack.runtime.backfills.get(stack.portalId))!.runId;
    const after = await contactsByStatus(stack);
    expect(after.get('mql')?.length ?? 0).toBeGreaterThan(byStatus.get('mql')?.length ?? 0);
    const some = after.get('mql')![0]!;
    expect((await stack.runtime.scores.get(stack.portalId, some))!.modelVersion).toBe(2);

    // Versions: who published what; roll back to 1.
    openTab(r, 'versions');
    const versions = r.findByTestId(Table, 'versions').toString();
    expect(versions).toMatch(/v2[\s\S]*admin@example.com[\s\S]*Lower MQL bar for Q4/);
    // What going back to version 1 would change, in words.
    r.findByTestId(LoadingButton, 'compare-1').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Flex, 'version-diff')).not.toBeNull(), WAIT);
    expect(textOf(r.findByTestId(Flex, 'version-diff'))).toMatch(
      /^Published .+ by Lead Qualifier: “The model Lead Qualifier ships with\.”\. Going back to it would change: MQL minimum score: 25 → 50$/,
    );
    // Rolling back is previewed too, and says the stages version 2 moved stay where they are.
    r.findByTestId(LoadingButton, 'rollback-1').trigger('onClick');
    await r.waitFor(
      () => expect(r.maybeFindByTestId(Flex, 'rollback-confirm')).not.toBeNull(),
      WAIT,
    );
    expect(r.findByTestId(Text, 'rollback-statuses').text).toMatch(
      /^\d+ contacts? change status: 0 move up, \d+ move down/,
    );
    expect(r.findByTestId(Alert, 'rollback-stages').text).toMatch(
      /Contacts already moved forward by version 2 stay where they are\.$/,
    );
    r.findByTestId(LoadingButton, 'confirm-rollback').trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(TextArea, 'rollback-note').props.validationMessage).toMatch(/why/i),
    );
    r.findByTestId(TextArea, 'rollback-note').trigger(
      'onChange',
      'Too many MQLs for sales' as never,
    );
    r.findByTestId(LoadingButton, 'confirm-rollback').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'outcome').props.title).toBe('Version 1 is active again'),
      WAIT,
    );
    expect(await stack.runtime.models.activeVersion(stack.portalId)).toBe(1);
    await until(
      'the rescore with version 1 again',
      async () => {
        const p = await stack.runtime.backfills.get(stack.portalId);
        return p?.status === 'done' && p.runId !== publishRun;
      },
      60_000,
      100,
    );
    expect((await stack.runtime.scores.get(stack.portalId, some))!.modelVersion).toBe(1);
    openTab(r, 'versions');
    expect(r.findByTestId(Table, 'versions').toString()).toMatch(/rollback-2/);
    expect(textOf(r.find(Tabs))).toMatch(
      /rolled back from version 2 to 1 — “Too many MQLs for sales”[\s\S]*published version 2 \(replacing 1\)/,
    );
  }, 120_000);

  it('shows sync health: backfill progress, webhooks, rescore latency and errors', async () => {
    const r = renderSettings();
    await loaded(r);
    openTab(r, 'health');
    await r.waitFor(
      () => expect(r.maybeFindByTestId(ProgressBar, 'backfill')).not.toBeNull(),
      WAIT,
    );
    const bar = r.findByTestId(ProgressBar, 'backfill');
    expect(bar.props.value).toBe(bar.props.maxValue);
    expect(bar.props.title).toMatch(/^Done .* contacts scored$/);
    expect(r.findByTestId(Text, 'backfill-rate').text).toMatch(
      /contacts\/s; \d+ written to HubSpot/,
    );
    expect(stat(r, 'Contacts scored')).toBe(await stack.runtime.scores.factsCount(stack.portalId));
    expect(r.findByTestId(Text, 'no-failures').text).toMatch(/None/);
  });

  it('shows the funnel from the recorded status changes, by month, channel and source', async () => {
    const r = renderSettings();
    await loaded(r);
    openTab(r, 'funnel');
    await r.waitFor(
      () => expect(r.maybeFind(StatisticsItem, { label: 'Leads' })).not.toBeNull(),
      WAIT,
    );
    const scored = await contactsByStatus(stack);
    const leads = [...scored]
      .filter(([s]) => s !== 'unscored' && s !== 'none')
      .reduce((n, [, ids]) => n + ids.length, 0);
    expect(stat(r, 'Leads')).toBe(leads);
    expect(r.findByTestId(Table, 'by-channel').toString()).toMatch(/Inbound[\s\S]*Outbound/);
    expect(r.findByTestId(Table, 'by-source').toString()).toMatch(/OFFLINE/);
  });

  it('before any SQL is judged, the feedback tab says where reps do it', async () => {
    const r = renderSettings();
    await loaded(r);
    openTab(r, 'feedback');
    await r.waitFor(
      () => expect(r.findByTestId(Text, 'no-feedback').text).toMatch(/Lead Qualifier card/),
      WAIT,
    );
  });

  it('discarding the draft brings the active model back; a stale publish is refused', async () => {
    const r = renderSettings();
    await loaded(r);
    number(r, 'recycleDays', 200);
    r.findByTestId(LoadingButton, 'save-draft').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'outcome').props.title).toBe('Draft saved'),
      WAIT,
    );
    // Discarding is confirmed first, saying what goes.
    expect(r.findByTestId(Text, 'discard-consequence').text).toMatch(
      /^The draft saved by admin@example\.com on .+ is deleted and the form shows version \d+ again\. This cannot be undone\.$/,
    );
    r.findByTestId(LoadingButton, 'discard-confirm').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'outcome').props.title).toBe('Draft discarded'),
      WAIT,
    );
    expect(r.findByTestId(NumberInput, 'recycleDays').props.value).toBe(
      (await stack.runtime.models.active(stack.portalId)).recycleDays,
    );
    expect(await stack.runtime.models.draft(stack.portalId)).toBeNull();

    // Another admin publishes while this page is open on the old version.
    const stale = renderSettings();
    await loaded(stale);
    const active = await stack.runtime.models.active(stack.portalId);
    const version = (await stack.runtime.models.activeVersion(stack.portalId))!;
    await stack.runtime.models.saveDraft(
      stack.portalId,
      active,
      { userId: 8, userEmail: 'other@example.com' },
      version,
    );
    const other = (await stack.runtime.models.draft(stack.portalId))!;
    openTab(stale, 'preview');
    stale.findByTestId(LoadingButton, 'run-preview').trigger('onClick');
    await stale.waitFor(
      () => expect(stale.findByTestId(Button, 'publish').props.disabled).toBe(false),
      WAIT,
    );
    await stack.runtime.models.publish(
      stack.portalId,
      other.model,
      { userId: 8, userEmail: 'other@example.com' },
      'theirs',
      version,
    );
    stale.findByTestId(TextArea, 'publish-note').trigger('onChange', 'mine' as never);
    stale.findByTestId(LoadingButton, 'publishing-confirm').trigger('onClick');
    await stale.waitFor(
      () => expect(stale.findByTestId(Alert, 'publish-error').text).toMatch(/was published since/),
      WAIT,
    );
    // Put the portal back on the version the later tests expect, rescored.
    await stack.runtime.models.rollback(
      stack.portalId,
      version,
      { userId: 8, userEmail: null },
      'test',
    );
  });

  it('a draft that reads properties not synced yet is previewed with a warning naming them', async () => {
    const r = renderSettings();
    await loaded(r);
    const picker = r.findByTestId(Select, 'fit.rules.0.anyOf.0.property');
    picker.trigger('onChange', 'city' as never);
    openTab(r, 'preview');
    r.findByTestId(LoadingButton, 'run-preview').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'unsynced').text).toMatch(/contact\.city/),
      WAIT,
    );
  });

  it('shows what sales said about the SQLs, by reason, rule and grade', async () => {
    const byStatus = await contactsByStatus(stack);
    // SQLs sales has not taken on yet (no deal, not a customer): the ones a rep judges.
    const stage = (id: string) =>
      stack.sandbox.state.portal(stack.portalId).get('contacts', id)!.properties['lifecyclestage'];
    const [a, b] = byStatus
      .get('ready')!
      .filter((id) => !['opportunity', 'customer', 'evangelist'].includes(stage(id) ?? ''));
    for (const [id, body] of [
      [a, { decision: 'rejected', reason: 'no_budget', note: '' }],
      [b, { decision: 'accepted', note: 'good one' }],
    ] as const) {
      const res = await ui.fetch(`${BACKEND_URL}/api/card/contacts/${id}/feedback`, {
        method: 'POST',
        body: { ...body },
      });
      expect(res.status).toBe(202);
    }
    const r = renderSettings();
    await loaded(r);
    openTab(r, 'feedback');
    await r.waitFor(
      () => expect(r.maybeFind(StatisticsItem, { label: 'Accepted SQLs' })).not.toBeNull(),
      WAIT,
    );
    expect(stat(r, 'Accepted SQLs')).toBe(1);
    expect(stat(r, 'Rejected SQLs')).toBe(1);
    expect(stat(r, 'Acceptance rate')).toBe('50%');
    expect(r.findByTestId(Table, 'reasons').toString()).toMatch(/No budget[\s\S]*1/);
    expect(r.findByTestId(Table, 'by-rule').toString()).toMatch(/Rejected|1/);
    // The latest decisions name each contact as HubSpot does, linked to its record.
    const portal = stack.sandbox.state.portal(stack.portalId);
    for (const id of [a!, b!]) {
      const link = r.findByTestId(Link, `contact-${id}`);
      const p = portal.get('contacts', id)!.properties;
      const name = [p['firstname'], p['lastname']].filter(Boolean).join(' ') || p['email'];
      expect(link.text).toBe(name);
      expect((link.props.href as { url: string }).url).toMatch(
        new RegExp(`^https://app\\.hubspot\\.com/contacts/\\d+/record/0-1/${id}$`),
      );
    }
  });

  it('an error says what went wrong, and Try again recovers', async () => {
    const wrong = createUiFetch({
      appId: stack.app.appId,
      clientSecret: stack.app.clientSecret,
      portalId: 999_999,
      userId: 7,
      userEmail: 'admin@example.com',
      permittedUrls: [BACKEND_URL],
      proxy: { [BACKEND_URL]: stack.appUrl },
    });
    const restore = installUiFetch(wrong.fetch);
    const r = renderSettings();
    await r.waitFor(
      () => expect(textOf(r.find(ErrorState))).toMatch(/not installed in portal 999999/),
      WAIT,
    );
    restore();
    installUiFetch(ui.fetch);
    r.findByTestId(Button, 'retry').trigger('onClick');
    await loaded(r);
  });

  it('a preview that cannot run says so instead of spinning (and sync health lists it)', async () => {
    // A stored contact whose facts cannot be read: the preview job fails on every attempt.
    const key = stack.runtime.keys.facts(stack.portalId);
    await stack.runtime.redis.hset(key, '999999999', Buffer.from('not compressed facts'));
    try {
      const r = renderSettings();
      await loaded(r);
      openTab(r, 'preview');
      r.findByTestId(LoadingButton, 'run-preview').trigger('onClick');
      await r.waitFor(
        () =>
          expect(r.findByTestId(Alert, 'preview-failed').text).toMatch(
            /The preview could not run: .* Run it again/,
          ),
        { timeoutInMs: 30_000 },
      );
      openTab(r, 'health');
      await r.waitFor(
        () => expect(r.findByTestId(Table, 'failures').toString()).toMatch(/Running a preview/),
        WAIT,
      );
    } finally {
      await stack.runtime.redis.hdel(key, '999999999');
    }
  }, 60_000);
});
