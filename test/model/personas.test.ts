import { nextStepLine } from '@lead-qualifier/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, DEMO_MODEL } from '../../src/server/domain/default-model';
import { qualify } from '../../src/server/domain/qualify';
import {
  CONNECTED,
  NOW,
  call,
  daysAgo,
  facts,
  icpCompany,
  incomingEmail,
  meeting,
  note,
  outgoingEmail,
} from '../support/personas';

/** The demo company's model: the default with its competitors and countries filled in. */
const score = (f: ReturnType<typeof facts>, now = NOW) => qualify(f, DEMO_MODEL, now);

const vpWithDemo = () =>
  facts(
    {
      email: 'ana@acme.io',
      jobtitle: 'VP of Marketing',
      country: 'United States',
      lifecyclestage: 'lead',
      recent_conversion_event_name: 'Demo request form',
      recent_conversion_date: daysAgo(4),
      num_conversion_events: '2',
      hs_analytics_num_page_views: '18',
      hs_analytics_last_visit_timestamp: daysAgo(2),
    },
    icpCompany(),
    { meetings: [meeting('COMPLETED', 1)] },
  );

const marketingManager = () =>
  facts({
    email: 'lee@acme.io',
    jobtitle: 'Marketing Manager',
    country: 'Germany',
    lifecyclestage: 'lead',
    first_conversion_event_name: 'Ebook: The lead scoring playbook',
    first_conversion_date: daysAgo(20),
    recent_conversion_event_name: 'Webinar: Scoring that sales trusts',
    recent_conversion_date: daysAgo(6),
    num_conversion_events: '3',
    hs_analytics_num_page_views: '11',
    hs_analytics_last_visit_timestamp: daysAgo(6),
    hs_email_open: '9',
    hs_email_last_open_date: daysAgo(5),
    hs_email_click: '2',
    hs_email_last_click_date: daysAgo(5),
  });

describe('the default model, persona by persona', () => {
  it('a VP at an ICP company who requested a demo and held a meeting is ready for sales, grade A; a rep makes it an SQL', () => {
    const q = score(vpWithDemo());
    expect(q.status).toBe('ready');
    expect(q.reason).toMatch(/^Ready for sales: .* A rep's acceptance makes it an SQL\.$/);
    expect(q.grade).toBe('A');
    // Marketing's lead until a rep accepts it: the MQL stage, not SQL.
    expect(q.lifecycle).toEqual({
      current: 'lead',
      target: 'marketingqualifiedlead',
      change: 'forward',
    });
    const accepted = vpWithDemo();
    Object.assign(accepted.contact.properties, {
      lq_sql_feedback: 'accepted',
      lq_sql_feedback_at: daysAgo(0.1),
    });
    expect(score(accepted)).toMatchObject({
      status: 'sql',
      lifecycle: { target: 'salesqualifiedlead', change: 'forward' },
    });
    // With the hand-off left to the model, the same lead is an SQL at once.
    const automatic = {
      ...DEFAULT_MODEL,
      sql: { ...DEFAULT_MODEL.sql, handOff: 'automatic' as const },
    };
    expect(qualify(vpWithDemo(), automatic, NOW)).toMatchObject({
      status: 'sql',
      lifecycle: { target: 'salesqualifiedlead' },
      next: [],
    });
    expect(q.buyingSignal.met).toBe(true);
    expect(q.criteria.met.map((c) => c.id)).toEqual(['need', 'authority', 'budget', 'timing']);
    const demo = q.ledger.find((e) => e.rule === 'demo_request');
    expect(demo?.evidence).toBe('Demo request form, 4 days ago');
    expect(demo!.points).toBeLessThan(demo!.rawPoints);
    expect(q.next).toEqual([]);
  });

  it('a marketing manager who downloaded an ebook, attended a webinar and reads our e-mails is MQL, not SQL', () => {
    const q = score(marketingManager());
    expect(q.status).toBe('mql');
    expect(q.buyingSignal.met).toBe(false);
    expect(q.lifecycle.target).toBe('marketingqualifiedlead');
    expect(q.ledger.map((e) => e.rule)).toEqual(
      expect.arrayContaining(['seniority_manager', 'webinar', 'form_submissions', 'email_clicks']),
    );
    // The card says how to get to SQL: a buying signal first.
    expect(q.next[0]).toMatchObject({ text: 'Requested a demo (buying signal)', points: 30 });
    // The points are given once, beside the text, not written into it as well.
    expect(nextStepLine(q.next[0]!)).toMatch(
      /^Requested a demo \(buying signal\): \+30(, reaches SQL)?$/,
    );
  });

  it('a student with a gmail address stays lead, with a fit too low to become MQL', () => {
    const q = score(
      facts(
        {
          email: 'sam.student@gmail.com',
          jobtitle: 'Student',
          recent_conversion_event_name: 'Ebook: Intro to marketing',
          recent_conversion_date: daysAgo(3),
          num_conversion_events: '4',
          hs_analytics_num_page_views: '40',
          hs_analytics_last_visit_timestamp: daysAgo(1),
        },
        null,
      ),
    );
    expect(q.status).toBe('lead');
    expect(q.grade).toBe('D');
    expect(q.ledger.filter((e) => e.points < 0).map((e) => e.rule)).toEqual([
      'free_mail',
      'student',
    ]);
    // A fit too low for MQL: no activity is suggested, only why.
    expect(q.next.map((n) => n.text)).toEqual([
      expect.stringMatching(/below the MQL minimum of \d+: activity alone cannot make this an MQL/),
    ]);
  });

  it('a cold contact who signed up for the newsletter a year ago stays lead, its silence counted against it', () => {
    const q = score(
      facts({
        email: 'sam@acme.io',
        jobtitle: 'Sales Representative',
        country: 'United States',
        lifecyclestage: 'subscriber',
        recent_conversion_event_name: 'Newsletter signup',
        recent_conversion_date: daysAgo(370),
        num_conversion_events: '1',
        hs_analytics_num_page_views: '3',
        hs_analytics_last_visit_timestamp: daysAgo(200),
        createdate: daysAgo(370),
      }),
    );
    expect(q.status).toBe('lead');
    expect(q.ledger.find((e) => e.rule === 'inactive_90_days')).toMatchObject({
      kind: 'negative',
      evidence: 'no activity for 200 days',
    });
    expect(q.lifecycle).toMatchObject({ target: 'lead', change: 'forward' });
  });

  it('a customer is never moved back, even when the model says lead', () => {
    const q = score(
      facts({ email: 'pat@acme.io', jobtitle: 'Analyst', lifecyclestage: 'customer' }),
    );
    expect(q.status).toBe('lead');
    expect(q.lifecycle).toEqual({ current: 'customer', target: 'customer', change: 'none' });
  });

  it('an opportunity that qualifies again stays an opportunity', () => {
    const f = vpWithDemo();
    f.contact.properties['lifecyclestage'] = 'opportunity';
    const q = score(f);
    expect(q.status).toBe('ready');
    expect(q.lifecycle).toEqual({ current: 'opportunity', target: 'opportunity', change: 'none' });
  });

  it('a custom lifecycle stage the model does not know is left alone', () => {
    const f = vpWithDemo();
    f.contact.properties['lifecyclestage'] = '1234567';
    expect(score(f).lifecycle).toEqual({ current: '1234567', target: '1234567', change: 'none' });
  });

  it('an MQL silent for 120 days is recycled, and its lifecycle stage stays', () => {
    const q = score(
      facts({
        email: 'lee@acme.io',
        jobtitle: 'Marketing Director',
        country: 'Germany',
        lifecyclestage: 'marketingqualifiedlead',
        lq_status: 'mql',
        recent_conversion_event_name: 'Webinar: Scoring',
        recent_conversion_date: daysAgo(120),
        num_conversion_events: '3',
        hs_analytics_num_page_views: '20',
        hs_analytics_last_visit_timestamp: daysAgo(121),
      }),
    );
    expect(q.status).toBe('recycled');
    expect(q.ledger.map((e) => e.rule)).toContain('inactive_90_days');
    expect(q.lifecycle.change).toBe('none');
  });

  it('an outbound prospect who replied and booked a meeting is ready for sales', () => {
    const q = score(
      facts(
        {
          email: 'jo@acme.io',
          jobtitle: 'Director of Revenue Operations',
          country: 'Canada',
          lifecyclestage: 'lead',
        },
        icpCompany(),
        {
          emails: [outgoingEmail(9), outgoingEmail(6), incomingEmail(5)],
          meetings: [meeting('SCHEDULED', -6)],
          notes: [note('Struggling with lead routing, needs a fix this quarter', 5)],
        },
      ),
    );
    expect(q.status).toBe('ready');
    expect(q.buyingSignal.evidence).toBe('Replied by e-mail + Meeting booked');
  });

  it.each([
    ['unsubscribed', { hs_email_optout: 'true' }, 'email_unsubscribed'],
    ['hard-bounced', { hs_email_hard_bounce_reason_enum: 'UNKNOWN_USER' }, 'email_hard_bounce'],
    ['bounced', { hs_email_bounce: '1' }, 'email_hard_bounce'],
  ])('a %s contact is never MQL, however engaged', (_what, extra, rule) => {
    const f = marketingManager();
    Object.assign(f.contact.properties, extra, {
      hs_analytics_num_page_views: '80',
      num_conversion_events: '9',
    });
    const q = score(f);
    expect(q.status).toBe('lead');
    expect(q.score).toBeGreaterThanOrEqual(DEFAULT_MODEL.mql.minScore);
    expect(q.ledger.map((e) => e.rule)).toContain(rule);
    expect(q.next.every((s) => s.reaches !== 'mql')).toBe(true);
  });

  it('a competitor is disqualified whatever it did, and the ledger says why first', () => {
    const f = vpWithDemo();
    f.contact.properties['email'] = 'spy@6sense.com';
    const q = score(f);
    expect(q.status).toBe('disqualified');
    expect(q.ledger[0]).toMatchObject({
      rule: 'competitor',
      kind: 'disqualifier',
      evidence: 'Email domain: 6sense.com',
    });
    expect(q.lifecycle.change).toBe('none');
  });

  it('the shipped model has no competitors or countries of its own: each portal fills them in', () => {
    const f = vpWithDemo();
    Object.assign(f.contact.properties, { email: 'spy@6sense.com', country: 'Iran' });
    const q = qualify(f, DEFAULT_MODEL, NOW);
    expect(q.status).not.toBe('disqualified');
    expect(q.ledger.some((e) => e.rule === 'served_country')).toBe(false);
    for (const id of ['competitor', 'country_not_served'])
      expect(DEFAULT_MODEL.disqualifiers.find((d) => d.id === id)?.anyOf).toEqual(
        expect.arrayContaining([expect.objectContaining({ value: [] })]),
      );
  });

  it.each([
    ['an invalid e-mail address', { email: 'not an email' }, 'invalid_email'],
    ['a country we do not serve', { country: 'Iran' }, 'country_not_served'],
    ['a lead marked unqualified by sales', { hs_lead_status: 'UNQUALIFIED' }, 'marked_unqualified'],
  ])('%s disqualifies', (_what, extra, rule) => {
    const f = vpWithDemo();
    Object.assign(f.contact.properties, extra);
    const q = score(f);
    expect(q.status).toBe('disqualified');
    expect(q.ledger[0]?.rule).toBe(rule);
  });

  it('a lead a rep accepted is SQL, whatever its score', () => {
    const q = score(
      facts(
        {
          email: 'kim@smallco.com',
          jobtitle: 'Analyst',
          lq_sql_feedback: 'accepted',
          lq_sql_feedback_at: daysAgo(1),
        },
        null,
      ),
    );
    expect(q.status).toBe('sql');
    expect(q.reason).toMatch(/rep accepted/);
  });

  it('a rejected SQL is recycled until a new buying signal comes after the rejection', () => {
    const f = vpWithDemo();
    Object.assign(f.contact.properties, {
      lq_sql_feedback: 'rejected',
      lq_sql_feedback_at: daysAgo(0.5),
    });
    expect(score(f).status).toBe('recycled');
    f.contact.properties['lq_sql_feedback_at'] = daysAgo(10);
    expect(score(f).status).toBe('ready');
  });

  it('a connected call counts; a 20-second unanswered call does not', () => {
    const rules = (calls: ReturnType<typeof call>[]) =>
      score(facts({ email: 'a@acme.io', jobtitle: 'Manager' }, icpCompany(), { calls })).ledger.map(
        (e) => e.rule,
      );
    expect(rules([call(CONNECTED, 15_000, 2)])).toContain('connected_call');
    expect(rules([call('other', 240_000, 2)])).toContain('connected_call');
    expect(rules([call('no-answer', 20_000, 2)])).not.toContain('connected_call');
  });

  it('caps a signal: 200 page views count as 15', () => {
    const q = score(
      facts({
        email: 'a@acme.io',
        hs_analytics_num_page_views: '200',
        hs_analytics_last_visit_timestamp: daysAgo(0),
      }),
    );
    expect(q.ledger.find((e) => e.rule === 'page_views')).toMatchObject({
      count: 15,
      rawPoints: 15,
      points: 15,
    });
  });

  it('halves a signal after its half-life', () => {
    const q = score(
      facts({
        email: 'a@acme.io',
        recent_conversion_event_name: 'Demo request',
        recent_conversion_date: daysAgo(30),
      }),
    );
    expect(q.ledger.find((e) => e.rule === 'demo_request')).toMatchObject({
      rawPoints: 30,
      points: 15,
    });
  });

  it('a contact with no data is explicitly unscored, never null', () => {
    const q = score({
      contact: { id: '9', properties: { createdate: daysAgo(1) } },
      company: null,
      engagements: {},
    });
    expect(q).toMatchObject({ status: 'unscored', score: 0, grade: 'D', ledger: [], next: [] });
  });

  it.each([
    ['blank', ''],
    ['text', 'abc'],
    ['null', null],
  ])('a %s number property counts as missing, not as 0 or NaN', (_what, value) => {
    const q = score(
      facts({ email: 'a@acme.io' }, icpCompany({ numberofemployees: value, annualrevenue: value })),
    );
    expect(q.ledger.map((e) => e.rule)).not.toEqual(expect.arrayContaining(['size_core']));
    expect(Number.isFinite(q.score)).toBe(true);
    expect(q.ledger.some((e) => e.rule.startsWith('size_') || e.rule === 'revenue_fit')).toBe(
      false,
    );
  });

  it('survives HubSpot omitting everything optional: no company, no engagement keys, null properties', () => {
    const q = score({
      contact: {
        id: '5',
        properties: { email: 'x@acme.io', jobtitle: null, hs_analytics_num_page_views: null },
      },
      company: null,
      engagements: { meetings: [{ id: 'm', properties: {} }] },
    });
    expect(q.status).toBe('lead');
    expect(q.ledger.every((e) => Number.isFinite(e.points))).toBe(true);
  });

  it('reads dates as ISO strings, dates or epoch milliseconds alike', () => {
    const iso = score(
      facts({
        email: 'a@acme.io',
        recent_conversion_event_name: 'Demo',
        recent_conversion_date: daysAgo(5),
      }),
    );
    const ms = score(
      facts({
        email: 'a@acme.io',
        recent_conversion_event_name: 'Demo',
        recent_conversion_date: String(NOW - 5 * 86_400_000),
      }),
    );
    const date = score(
      facts({
        email: 'a@acme.io',
        recent_conversion_event_name: 'Demo',
        recent_conversion_date: '2026-01-26',
      }),
    );
    const points = (q: typeof iso) => q.ledger.find((e) => e.rule === 'demo_request')?.points;
    expect(points(ms)).toBe(points(iso));
    expect(points(date)).toBe(points(iso));
  });
});

describe('when a decision changes with time alone', () => {
  it('an MQL with its last activity 80 days ago is due to be recycled at 90 days, to the hour', async () => {
    const { nextDecisionChange } = await import('../../src/server/domain/next-change');
    const f = facts({
      email: 'lee@acme.io',
      jobtitle: 'Marketing Director',
      country: 'Germany',
      lifecyclestage: 'marketingqualifiedlead',
      recent_conversion_event_name: 'Webinar',
      recent_conversion_date: daysAgo(80),
      num_conversion_events: '6',
      hs_analytics_num_page_views: '40',
      hs_analytics_last_visit_timestamp: daysAgo(80),
      hs_email_click: '4',
      hs_email_last_click_date: daysAgo(80),
    });
    const q = qualify(f, DEFAULT_MODEL, NOW);
    const at = nextDecisionChange(f, DEFAULT_MODEL, NOW, q);
    expect(at).not.toBeNull();
    expect(qualify(f, DEFAULT_MODEL, at!).status).not.toBe(q.status);
    expect(qualify(f, DEFAULT_MODEL, at! - 3_600_000).status).toBe(q.status);
  });

  it('a lead that never was an MQL, and a disqualified contact, have nothing scheduled', async () => {
    const { nextDecisionChange } = await import('../../src/server/domain/next-change');
    const lead = facts({ email: 'a@gmail.com', jobtitle: 'Student' }, null);
    expect(
      nextDecisionChange(lead, DEFAULT_MODEL, NOW, qualify(lead, DEFAULT_MODEL, NOW)),
    ).toBeNull();
    const dq = facts({ email: 'x@6sense.com' });
    expect(nextDecisionChange(dq, DEMO_MODEL, NOW, qualify(dq, DEMO_MODEL, NOW))).toBeNull();
  });
});

describe('titles, forms and replies as a marketing-ops lead reads them', () => {
  const seniority = (jobtitle: string) =>
    score(facts({ email: 'a@acme.io', jobtitle })).ledger.find((e) =>
      [
        'seniority_exec',
        'seniority_exec_title',
        'seniority_director',
        'seniority_manager',
      ].includes(e.rule),
    )?.label ?? null;
  const isStudent = (jobtitle: string) =>
    score(facts({ email: 'a@acme.io', jobtitle })).ledger.some((e) => e.rule === 'student');

  it.each([
    ['CEO', 'Executive or VP'],
    ['CMO & Co-Founder', 'Executive or VP'],
    ['cro', 'Executive or VP'],
    ['Managing Director EMEA', 'Executive or VP'],
    ['Geschäftsführer', 'Executive or VP'],
    ['ＶＰ Sales', 'Executive or VP'],
    ['VPN Engineer', null],
    ['Chief of Staff', 'Director or head of'],
    ['Directrice marketing', 'Director or head of'],
    ['Team Lead, Demand Gen', 'Manager'],
  ])('"%s" reads as %s', (title, expected) => {
    expect(seniority(title)).toBe(expected);
  });

  it.each([
    ['Marketing Intern', true],
    ['Werkstudent Vertrieb', true],
    ['International Sales Director', false],
    ['Internal Communications Manager', false],
  ])('"%s" is a student: %s', (title, expected) => {
    expect(isStudent(title)).toBe(expected);
  });

  it.each([
    ['Request a demo', true],
    ['Demo request form', true],
    ['Demographics Benchmark Report', false],
    ['Quote of the week newsletter', false],
    ['Request a quote', true],
  ])('the form "%s" is a demo request: %s', (form, expected) => {
    const q = score(
      facts({
        email: 'a@acme.io',
        recent_conversion_event_name: form,
        recent_conversion_date: daysAgo(2),
      }),
    );
    expect(q.ledger.some((e) => e.rule === 'demo_request')).toBe(expected);
  });

  it('an out-of-office answer is not a reply', () => {
    const auto = { ...incomingEmail(1) };
    auto.properties = { ...auto.properties, hs_email_subject: 'Automatic reply: Out of Office' };
    const q = score(facts({ email: 'a@acme.io' }, icpCompany(), { emails: [auto] }));
    expect(q.ledger.some((e) => e.rule === 'inbound_reply')).toBe(false);
    const real = score(facts({ email: 'a@acme.io' }, icpCompany(), { emails: [incomingEmail(1)] }));
    expect(real.ledger.some((e) => e.rule === 'inbound_reply')).toBe(true);
  });

  it('a free address from a country variant of a big provider counts as free mail', () => {
    for (const email of ['ann@yahoo.co.uk', 'ann@hotmail.co.uk', 'ivan@mail.ru'])
      expect(score(facts({ email })).ledger.some((e) => e.rule === 'free_mail')).toBe(true);
  });
});
