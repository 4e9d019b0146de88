import { describe, expect, it } from 'vitest';
import { DEMO_MODEL } from '../../src/server/domain/default-model';
import { compileModel } from '../../src/server/domain/compile-model';
import { counterSteps } from '../../src/server/domain/property-history';
import { qualify } from '../../src/server/domain/qualify';
import type { Facts, PropertyHistory } from '../../src/server/domain/facts';
import { NOW, daysAgo, facts } from '../support/personas';

const score = (f: Facts) => qualify(f, DEMO_MODEL, NOW);
const entry = (rule: string, f: Facts) => score(f).ledger.find((e) => e.rule === rule);
const withHistory = (f: Facts, history: Record<string, PropertyHistory>): Facts => ({
  ...f,
  contact: { ...f.contact, propertiesWithHistory: history },
});
/** A history as HubSpot returns it: newest first. */
const values = (...pairs: Array<[string, number]>): PropertyHistory =>
  pairs.map(([value, days]) => ({ value, timestamp: daysAgo(days) }));

describe('lifetime counters are counted when they happened (the counter’s history)', () => {
  const heavyReader = () =>
    facts({
      email: 'a@acme.io',
      hs_analytics_num_page_views: '300',
      hs_analytics_last_visit_timestamp: daysAgo(2),
    });

  it('300 page views since 2023 with two this week score the two, not 15 as if all were recent', () => {
    const lifetime = entry('page_views', heavyReader())!;
    expect(lifetime.points).toBeGreaterThan(14);

    const f = withHistory(heavyReader(), {
      hs_analytics_num_page_views: values(['300', 2], ['298', 700], ['120', 1000]),
    });
    const windowed = entry('page_views', f)!;
    expect(windowed.count).toBe(15);
    // Two views at 2 days (30-day half-life) and 13 at 700 days: about 1.9 points.
    expect(windowed.points).toBeGreaterThan(1.8);
    expect(windowed.points).toBeLessThan(2.1);
    expect(windowed.evidence).toBe(
      '300 page views (2 in the last 30 days, 15 counted), 2 days ago',
    );
  });

  it('a recent burst keeps its points: 20 of the 300 views this week count in full', () => {
    const f = withHistory(heavyReader(), {
      hs_analytics_num_page_views: values(['300', 2], ['280', 400]),
    });
    expect(entry('page_views', f)!.points).toBeGreaterThan(14);
  });

  it('a counter set once by an import counts at its last occurrence, as without history', () => {
    const f = withHistory(heavyReader(), {
      hs_analytics_num_page_views: values(['300', 500]),
    });
    expect(entry('page_views', f)!.points).toBeCloseTo(entry('page_views', heavyReader())!.points);
  });

  it('reads rises, resets and values the history has not caught up with', () => {
    const at = (d: number) => Date.parse(daysAgo(d));
    // newest first in, newest first out
    expect(counterSteps(values(['5', 10], ['3', 20]), 7, at(1))).toEqual([
      { at: at(1), n: 2 },
      { at: at(10), n: 2 },
      { at: at(20), n: 3 },
    ]);
    // The counter went down (contacts merged, a manual edit): the newest rises are taken back.
    expect(counterSteps(values(['2', 5], ['6', 10], ['3', 20]), 2, null)).toEqual([
      { at: at(20), n: 2 },
    ]);
    // Values that are not numbers, and dates that are not dates, are skipped.
    expect(
      counterSteps(
        [
          { value: 'lots', timestamp: daysAgo(3) },
          { value: '4', timestamp: 'yesterday' },
          { value: '4', timestamp: daysAgo(9) },
        ],
        4,
        null,
      ),
    ).toEqual([{ at: at(9), n: 4 }]);
  });
});

describe('every form submission counts, not only the first and the most recent', () => {
  const threeForms = () =>
    facts({
      email: 'a@acme.io',
      first_conversion_event_name: 'Ebook: The lead scoring playbook',
      first_conversion_date: daysAgo(40),
      recent_conversion_event_name: 'Newsletter signup',
      recent_conversion_date: daysAgo(1),
      num_conversion_events: '3',
    });
  const history = {
    recent_conversion_event_name: values(
      ['Newsletter signup', 1],
      ['Demo request form', 10],
      ['Ebook: The lead scoring playbook', 40],
    ),
  };

  it('a demo request between the first and the latest form is found in the history', () => {
    expect(entry('demo_request', threeForms())).toBeUndefined();
    const demo = entry('demo_request', withHistory(threeForms(), history))!;
    expect(demo.evidence).toBe('Demo request form, 10 days ago');
    expect(demo.points).toBeCloseTo(30 * 0.5 ** (10 / 30));
  });

  it('the same submission in the history and in the first/recent properties counts once', () => {
    const f = withHistory(
      facts({
        email: 'a@acme.io',
        first_conversion_event_name: 'Webinar: Scoring that sales trusts',
        first_conversion_date: daysAgo(40),
        recent_conversion_event_name: 'Webinar: Pipeline that sales trusts',
        recent_conversion_date: daysAgo(5),
        num_conversion_events: '3',
      }),
      {
        recent_conversion_event_name: [
          { value: 'Webinar: Pipeline that sales trusts', timestamp: daysAgo(5) },
          { value: 'Newsletter signup', timestamp: daysAgo(20) },
          // HubSpot set the property a few seconds after the submission it records.
          {
            value: 'Webinar: Scoring that sales trusts',
            timestamp: new Date(Date.parse(daysAgo(40)) + 4_000).toISOString(),
          },
        ],
      },
    );
    expect(entry('webinar', f)!.count).toBe(2);
  });

  it('history is read only for the contacts it changes something for', () => {
    const { history: reads } = compileModel(DEMO_MODEL);
    expect(reads.properties).toEqual(
      expect.arrayContaining(['recent_conversion_event_name', 'hs_analytics_num_page_views']),
    );
    expect(reads.needed(threeForms().contact.properties, NOW)).toBe(true);
    expect(
      reads.needed({ num_conversion_events: '1', hs_analytics_num_page_views: '1' }, NOW),
    ).toBe(false);
    expect(reads.needed({ hs_email_open: '4' }, NOW)).toBe(true);
    // 8 page views, the last a year ago: worth far less than a point, whenever they happened.
    expect(
      reads.needed(
        { hs_analytics_num_page_views: '8', hs_analytics_last_visit_timestamp: daysAgo(365) },
        NOW,
      ),
    ).toBe(false);
    expect(
      reads.needed(
        { hs_analytics_num_page_views: '8', hs_analytics_last_visit_timestamp: daysAgo(3) },
        NOW,
      ),
    ).toBe(true);
  });
});
