import {
  Alert,
  Button,
  LineChart,
  List,
  LoadingButton,
  Select,
  StatisticsItem,
  Table,
  Tabs,
  Text,
} from '@hubspot/ui-extensions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { renderSettings } from '../../src/sandbox/ui-render';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, uiFetchFor } from '../support/ui';

let stack: Stack;
let ui: ReturnType<typeof uiFetchFor>;
const WAIT = { timeoutInMs: 60_000 };

async function openLearning() {
  const r = renderSettings(BACKEND_URL, { pollEveryMs: 100 });
  await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'draft-status')).not.toBeNull(), WAIT);
  r.find(Tabs).trigger('onSelectedChange', 'learning' as never);
  return r;
}

describe('learning from closed-won data in the settings page', () => {
  describe('with too little data', () => {
    beforeAll(async () => {
      stack = await testStack('learning-small', { contacts: 60 });
      await stack.install();
      await backfillDone(stack);
      ui = uiFetchFor(stack, { userEmail: 'admin@example.com' });
    }, 90_000);
    afterAll(async () => {
      ui?.uninstall();
      await stack?.close();
    });

    it("the form still opens when HubSpot's property lists fail, and says so", async () => {
      await fetch(`${stack.sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rate: 1, kinds: ['500'], paths: ['/crm/v3/properties'] }),
      });
      try {
        const r = renderSettings(BACKEND_URL, { pollEveryMs: 100 });
        await r.waitFor(
          () => expect(r.maybeFindByTestId(Text, 'draft-status')).not.toBeNull(),
          WAIT,
        );
        await r.waitFor(
          () => expect(r.find(Alert, { title: 'Property lists unavailable' }).text).toBeTruthy(),
          WAIT,
        );
        // The pickers do not call every property unknown: they keep the names as they are.
        const picker = r.findByTestId(Select, 'fit.rules.0.anyOf.0.property');
        expect(picker.props.validationMessage).toBeUndefined();
        expect(picker.props.options).toHaveLength(1);
        expect(r.maybeFindByTestId(Text, 'draft-status')).not.toBeNull();
      } finally {
        await fetch(`${stack.sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
      }
    }, 60_000);

    it('refuses, and says how much more is needed', async () => {
      const r = await openLearning();
      r.findByTestId(LoadingButton, 'train').trigger('onClick');
      await r.waitFor(
        () =>
          expect(r.findByTestId(Alert, 'train-refused').text).toMatch(/Too little data .* more/),
        WAIT,
      );
    });
  });

  describe('with enough customers', () => {
    beforeAll(async () => {
      stack = await testStack('learning', {
        contacts: 1_500,
        rateLimits: { burst: 2_000, windowMs: 2_000, searchPerSecond: 20 },
      });
      await stack.install();
      await backfillDone(stack, 120_000);
      ui = uiFetchFor(stack, { userEmail: 'admin@example.com' });
    }, 180_000);
    afterAll(async () => {
      ui?.uninstall();
      await stack?.close();
    });

    it('trains, shows the backtest beside the active model with a lift chart, and saves it as the draft', async () => {
      const r = await openLearning();
      r.findByTestId(LoadingButton, 'train').trigger('onClick');
      await r.waitFor(() => expect(r.maybeFindByTestId(LineChart, 'gains')).not.toBeNull(), WAIT);
      const stat = (label: string) => Number(r.find(StatisticsItem, { label }).props.number);
      expect(stat('AUC, trained')).toBeGreaterThan(stat('AUC, active v1'));
      // Each figure explained in one sentence, in words an admin can repeat.
      const explained = r
        .findByTestId(List, 'metrics-explained')
        .findAll(Text)
        .map((t) => t.text);
      expect(explained).toEqual([
        expect.stringMatching(
          /^Ranking \(AUC\): of two leads, one that converted and one that did not, the trained model scores the one that converted higher \d+(\.\d)?% of the time; the active model \d+(\.\d)?% \(50% is a coin toss\)\.$/,
        ),
        expect.stringMatching(/^Lift: the top 10% of leads by score convert [\d.]+× as often/),
        expect.stringMatching(/^Flagged: the trained model makes [\d.]+% of leads MQL or SQL/),
      ]);
      const chart = r.findByTestId(LineChart, 'gains').props.data as Array<Record<string, unknown>>;
      expect(chart.filter((d) => d['model'] === 'Trained')).toHaveLength(11);
      expect(r.findByTestId(Table, 'calibration').toString()).toMatch(/A[\s\S]*D/);
      // Nothing changed yet: the active model is still version 1, no draft.
      expect(await stack.runtime.models.activeVersion(stack.portalId)).toBe(1);
      expect(await stack.runtime.models.draft(stack.portalId)).toBeNull();

      r.findByTestId(LoadingButton, 'use-as-draft').trigger('onClick');
      await r.waitFor(
        () =>
          expect(r.findByTestId(Alert, 'outcome').props.title).toBe(
            'Trained model saved as the draft',
          ),
        WAIT,
      );
      const draft = await stack.runtime.models.draft(stack.portalId);
      expect(draft?.model.name).toMatch(/^Trained on [\d,]+ contacts$/);
      expect(r.findByTestId(Text, 'draft-status').text).toMatch(/Draft based on version 1/);
      expect(await stack.runtime.models.activeVersion(stack.portalId)).toBe(1);

      // The training is still there after the tab switch; saving it again would replace the
      // draft, so that is confirmed first, naming whose draft goes.
      r.find(Tabs).trigger('onSelectedChange', 'learning' as never);
      await r.waitFor(() =>
        expect(r.findByTestId(Button, 'use-as-draft').props.overlay).toBeTruthy(),
      );
      expect(r.findByTestId(Text, 'replace-consequence').text).toMatch(
        /^The draft saved by .+ on .+ is replaced by the trained model\. This cannot be undone\.$/,
      );
      r.findByTestId(Button, 'replace-cancel').trigger('onClick');
    }, 120_000);

    it('checks the grades for drift against their calibration', async () => {
      const r = await openLearning();
      const snapshots = () =>
        stack.runtime.redis.llen(stack.runtime.keys.gradeSnapshots(stack.portalId));
      const before = await snapshots();
      r.findByTestId(LoadingButton, 'check-drift').trigger('onClick');
      await until('a new grade snapshot', async () => (await snapshots()) > before, 30_000, 100);
      await r.waitFor(
        () => expect(r.findByTestId(Text, 'drift-ok').text).toMatch(/No drift: .*A \d/),
        WAIT,
      );
      // Nothing changed since the first check: compared with it, nothing drifted.
      const report = JSON.parse(
        (await stack.runtime.redis.get(stack.runtime.keys.driftReport(stack.portalId)))!,
      ) as { drifted: boolean; grades: Array<{ count: number }> };
      expect(report.drifted).toBe(false);
      expect(report.grades.reduce((n, g) => n + g.count, 0)).toBeGreaterThan(1_000);
    }, 60_000);
  });
});
