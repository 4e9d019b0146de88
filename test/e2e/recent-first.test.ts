import { ProgressBar, Tabs, Text } from '@hubspot/ui-extensions';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { renderSettings } from '../../src/sandbox/ui-render';
import { RECENT_ACTIVITY } from '../../src/server/hubspot/crm-port';
import { QUEUE_NAME } from '../../src/server/queue/producer';
import { backfillDone, testStack } from '../support/stack';
import { BACKEND_URL, backendFetch, uiFetchFor } from '../support/ui';

const DAY = 86_400_000;

/**
 * A big portal's backfill scores what sales will look at first: the contacts active in the
 * last 90 days (found by search, paged by id), then every other contact in id order, skipping
 * the ones scored already. Here "big" starts at 1,000 contacts: 300 generated leads among
 * 2,700 dormant contacts (nothing done for over a year), as in a portal with years of imports.
 */
describe('recently active contacts first', () => {
  it('scores the recently active contacts before the rest, each contact once, and the settings page shows both phases', async () => {
    const stack = await testStack('recent-first', {
      contacts: 300,
      dormant: 2_700,
      runtime: { recentFirst: { minContacts: 1_000, maxShare: 0.5, days: 90 } },
    });
    try {
      await stack.install();
      const done = await backfillDone(stack);
      const portal = stack.sandbox.state.portal(stack.portalId);
      const contacts = [...portal.all('contacts')];
      expect(contacts).toHaveLength(3_000);

      // Which contacts were recently active, read off HubSpot's own data.
      const since = done.recent!.since;
      expect(since).toBeGreaterThan(done.startedAt - 90 * DAY - 60_000);
      const active = new Set(
        contacts
          .filter((c) =>
            RECENT_ACTIVITY.some((p) => {
              const v = c.properties[p];
              return v !== undefined && Date.parse(v) >= since;
            }),
          )
          .map((c) => c.id),
      );
      expect(active.size).toBeGreaterThan(100);
      expect(active.size).toBeLessThan(300);

      // All of them scored first, each once: the pass in id order skipped exactly them.
      expect(done.recent).toMatchObject({ total: active.size, done: active.size });
      expect(done.recent!.finishedAt).toBeGreaterThan(0);
      expect(done.skipped).toBe(active.size);
      expect(done.done).toBe(3_000);
      expect(await stack.runtime.scores.factsCount(stack.portalId)).toBe(3_000);

      // Before the last of them was scored, at most the few pages already running of the rest
      // (six at once per portal) were.
      let restBefore = 0;
      let activeAfter = 0;
      for (const c of contacts) {
        const score = (await stack.runtime.scores.get(stack.portalId, c.id))!;
        if (active.has(c.id)) activeAfter += score.scoredAt > done.recent!.finishedAt ? 1 : 0;
        else restBefore += score.scoredAt < done.recent!.finishedAt ? 1 : 0;
      }
      expect(activeAfter).toBe(0);
      expect(restBefore).toBeLessThanOrEqual(600);
      expect(restBefore).toBeLessThan((3_000 - active.size) / 4);

      // What the settings page reads.
      const user = backendFetch(stack, { userEmail: 'admin@example.com' });
      const health = (await (await user(`${BACKEND_URL}/api/settings/health`)).json()) as {
        backfill: Record<string, unknown>;
      };
      expect(health.backfill).toMatchObject({
        status: 'done',
        phase: 'all',
        scored: 3_000,
        total: 3_000,
        recent: { total: active.size, done: active.size, etaAt: null },
      });

      // And what it says, done and (a run set up half-way through its first phase) running.
      const ui = uiFetchFor(stack, { userEmail: 'admin@example.com', userId: 7 });
      try {
        const read = async (expected: RegExp) => {
          const r = renderSettings(BACKEND_URL, { pollEveryMs: 100 });
          await r.waitFor(() => expect(r.maybeFind(Tabs)).not.toBeNull(), { timeoutInMs: 20_000 });
          r.find(Tabs).trigger('onSelectedChange', 'health' as never);
          await r.waitFor(
            () =>
              expect(r.maybeFindByTestId(ProgressBar, 'backfill-recent')?.props.title).toMatch(
                expected,
              ),
            { timeoutInMs: 20_000 },
          );
          return r;
        };
        const after = await read(
          new RegExp(`^First, the ${active.size} contacts active in the last 90 days: scored`),
        );
        expect(after.findByTestId(ProgressBar, 'backfill').props.title).toMatch(
          /^Done .*: 3000 contacts scored$/,
        );

        const now = Date.now();
        await stack.runtime.backfills.start(stack.portalId, 'half-way', 3_000, {
          total: 800,
          since: now - 90 * DAY,
        });
        // Started a minute ago.
        await stack.runtime.redis.hset(
          stack.runtime.keys.backfill(stack.portalId),
          'startedAt',
          String(now - 60_000),
        );
        await stack.runtime.backfills.recentScored(stack.portalId, 'half-way', 'start', 300);
        const running = await read(
          /^First, the contacts active in the last 90 days: 300 of 800 scored$/,
        );
        expect(running.findByTestId(Text, 'backfill-recent-eta').text).toMatch(
          /^Recently active contacts done in (a moment|\d+ (second|minute)s?)$/,
        );
        expect(running.findByTestId(ProgressBar, 'backfill').props.title).toBe(
          'Then every other contact: 300 of 3000 scored',
        );
      } finally {
        ui.uninstall();
      }
    } finally {
      await stack.close();
    }
  }, 120_000);

  it('a search for recently active contacts that fails for good hands the backfill on to every contact in id order', async () => {
    const stack = await testStack('recent-first-fails', { contacts: 200, dormant: 300 });
    const queue = new Queue(QUEUE_NAME, {
      connection: stack.runtime.redis.duplicate(),
      prefix: stack.runtime.keys.prefix,
    });
    try {
      await stack.install();
      await backfillDone(stack);
      // A run in its first phase whose search HubSpot refuses, on the page's last try.
      const since = Date.now() - 90 * DAY;
      await stack.runtime.backfills.start(stack.portalId, 'r1', 500, { total: 120, since });
      await fetch(`${stack.sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          rate: 1,
          kinds: ['500'],
          paths: ['/crm/v3/objects/contacts/search'],
        }),
      });
      await queue.add(
        'backfill-recent',
        { portalId: stack.portalId, runId: 'r1', since, afterId: null, listed: 0 },
        { attempts: 1 },
      );
      const done = await backfillDone(stack);
      expect(done).toMatchObject({ runId: 'r1', phase: 'all', done: 500, skipped: 0 });
      // Sync health lists the failed page among the errors needing attention.
      const user = backendFetch(stack, { userEmail: 'admin@example.com' });
      const health = (await (await user(`${BACKEND_URL}/api/settings/health`)).json()) as {
        failures: Array<{ job: string }>;
      };
      expect(health.failures.map((f) => f.job)).toContain('backfill-recent');
    } finally {
      await fetch(`${stack.sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
      await queue.close();
      await stack.close();
    }
  }, 60_000);
});
