import { deflateRawSync } from 'node:zlib';
import { Client } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { qualify } from '../../src/server/domain/qualify';
import { unpack } from '../../src/server/storage/packed';
import { visitAgain } from '../support/page-visit';
import { redisBytes } from '../support/redis-bytes';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, backendFetch } from '../support/ui';

/**
 * What a portal costs in Redis: every key of the app and its queue, measured by Redis itself
 * (MEMORY USAGE), per contact scored. The records kept per contact are packed (JSON deflated
 * with a preset dictionary); values written before packing still read.
 */
describe('Redis bytes per contact', () => {
  it('a backfilled portal holds at most 2 KB per contact, and its stored facts score as its scores say', async () => {
    const stack = await testStack('size', { contacts: 400 });
    try {
      await stack.install();
      await backfillDone(stack);
      const { redis, keys } = stack.runtime;
      await until('the jobs to settle', async () => {
        const rows = await redisBytes(redis, keys.prefix);
        return !rows.some((r) => r.kind === 'jobs:wait' || r.kind === 'jobs:active');
      });
      const rows = await redisBytes(redis, keys.prefix);
      const perContact = (kinds: string[] | null) =>
        rows.filter((r) => !kinds || kinds.includes(r.kind)).reduce((n, r) => n + r.bytes, 0) / 400;
      expect(perContact(null)).toBeLessThanOrEqual(2048);
      // The three records kept per contact, which before packing were about 4.2 KB.
      expect(perContact(['score:#', 'facts', 'status-history'])).toBeLessThanOrEqual(1024);

      // Each is packed, and the facts kept score exactly as the contact was scored.
      const model = await stack.runtime.models.active(stack.portalId);
      const ids = [...stack.sandbox.state.portal(stack.portalId).all('contacts')].map((c) => c.id);
      let compared = 0;
      for await (const chunk of stack.runtime.scores.scanFacts(stack.portalId)) {
        for (const facts of chunk) {
          const stored = (await stack.runtime.scores.get(stack.portalId, facts.contact.id))!;
          const again = qualify(facts, model!, stored.scoredAt);
          expect(
            [again.status, again.score, again.fitScore, again.ledger.map((l) => l.rule)],
            facts.contact.id,
          ).toEqual([
            stored.status,
            stored.score,
            stored.fitScore,
            stored.ledger.map((l) => l.rule),
          ]);
          compared++;
        }
      }
      expect(compared).toBe(ids.length);
      const raw = (await redis.getBuffer(keys.score(stack.portalId, ids[0]!)))!;
      expect(raw[0]).toBe(0x07);
      expect(JSON.parse(unpack('score', raw))).toMatchObject({ contactId: ids[0] });
    } finally {
      await stack.close();
    }
  }, 120_000);

  it('records written before packing (JSON, facts deflated alone) still read, on the card and for a preview', async () => {
    const stack = await testStack('size-legacy', { contacts: 60 });
    try {
      await stack.install();
      await backfillDone(stack);
      const { redis, keys, scores } = stack.runtime;
      const portalId = stack.portalId;
      const id = [...stack.sandbox.state.portal(portalId).all('contacts')][0]!.id;
      const score = (await scores.get(portalId, id))!;
      const history = await scores.history(portalId, id);
      const storedFacts = async () => {
        for await (const chunk of scores.scanFacts(portalId))
          for (const f of chunk) if (f.contact.id === id) return f;
        return null;
      };
      const facts = (await storedFacts())!;
      // As the app stored them before: JSON text, and the facts deflated without a dictionary.
      await redis.set(keys.score(portalId, id), JSON.stringify(score));
      await redis.hset(keys.statusHistory(portalId), id, JSON.stringify(history));
      await redis.hset(keys.facts(portalId), id, deflateRawSync(JSON.stringify(facts)));

      expect(await scores.get(portalId, id)).toEqual(score);
      expect(await scores.history(portalId, id)).toEqual(history);
      expect(await storedFacts()).toEqual(facts);
      const user = backendFetch(stack, { userEmail: 'rep@example.com' });
      const card = await user(`${BACKEND_URL}/api/card/contacts/${id}`);
      expect(card.status).toBe(200);
      expect(
        ((await card.json()) as { qualification: { score: number } }).qualification.score,
      ).toBe(score.score);
    } finally {
      await stack.close();
    }
  }, 60_000);

  it('a contact active every day keeps a bounded record: its latest 49 counter values and the one before', async () => {
    const stack = await testStack('size-history', { contacts: 40 });
    try {
      await stack.install();
      await backfillDone(stack);
      const portal = stack.sandbox.state.portal(stack.portalId);
      const person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
      const id = [...portal.all('contacts')][0]!.id;
      const start = Number(
        portal.get('contacts', id)!.properties['hs_analytics_num_page_views'] ?? 0,
      );
      for (let visit = 1; visit <= 80; visit++) await visitAgain(person, id);
      const final = start + 80 * 3;
      const kept = await until('the last visit rescored', async () => {
        for await (const chunk of stack.runtime.scores.scanFacts(stack.portalId))
          for (const f of chunk)
            if (
              f.contact.id === id &&
              f.contact.properties['hs_analytics_num_page_views'] === String(final)
            )
              return f.contact.propertiesWithHistory!['hs_analytics_num_page_views']!;
        return null;
      });
      expect(
        portal.propertyHistory(portal.get('contacts', id)!, 'hs_analytics_num_page_views').length,
      ).toBeGreaterThanOrEqual(80);
      expect(kept).toHaveLength(50);
      expect(kept[0]!.value).toBe(String(final));
      // The card counts every view: the older ones stand in the oldest value kept.
      const card = await backendFetch(stack, { userEmail: 'rep@example.com' })(
        `${BACKEND_URL}/api/card/contacts/${id}`,
      );
      expect(JSON.stringify(await card.json())).toContain(`${final} page views`);
    } finally {
      await stack.close();
    }
  }, 90_000);
});
