import { associationKind } from './associations';
import { mulberry32 } from './faults';
import type { ObjectType } from './object-types';
import type { HistoryEntry, Portal } from './portal';
import { INDUSTRIES } from './property-catalog';

/** The kinds of contact a B2B portal holds, and what the product should make of each. */
export const PERSONAS = [
  'icp_buyer',
  'content_marketer',
  'student',
  'customer',
  'bounced',
  'unsubscribed',
  'outbound_replied',
  'stale_mql',
  'cold',
] as const;
export type Persona = (typeof PERSONAS)[number];

const WEIGHTS: Record<Persona, number> = {
  icp_buyer: 10,
  content_marketer: 20,
  student: 8,
  customer: 8,
  bounced: 4,
  unsubscribed: 4,
  outbound_replied: 8,
  stale_mql: 6,
  cold: 32,
};

interface SeedOptions {
  seed: number;
  contacts: number;
  /** The time the data is written against (default: the portal's clock). */
  now?: number;
  /**
   * Dormant contacts besides `contacts`: a big portal's long tail (old imports and sign-ups,
   * nothing done for over a year), interleaved in id order with the others, which stay the
   * same with or without them.
   */
  dormant?: number;
}

export interface SeedTruth {
  persona: Persona;
  /** 1 when the contact's deal closed won (or it is a customer), 0 when lost, null without a deal. */
  converted: 0 | 1 | null;
}

export interface SeedSummary {
  contacts: number;
  companies: number;
  deals: number;
  engagements: Record<string, number>;
  personas: Record<Persona, number>;
  /** Ground truth per contact id: the generator's intent, for tests and the demo. */
  truth: Map<string, SeedTruth>;
}

const FIRST = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kara',
  'Liam',
  'Maya',
  'Noah',
  'Olu',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zoe',
];
const LAST = [
  'Adams',
  'Berg',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Meyer',
  'Nguyen',
  'Okafor',
  'Patel',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Usman',
  'Varga',
  'Walsh',
  'Young',
  'Zhang',
];
const WORDS = [
  'Acme',
  'Bright',
  'Cloud',
  'Delta',
  'Echo',
  'Flux',
  'Granite',
  'Harbor',
  'Ion',
  'Juno',
  'Kite',
  'Lumen',
  'Metric',
  'Nova',
  'Orbit',
  'Pixel',
  'Quanta',
  'Radius',
  'Summit',
  'Tidal',
  'Umbra',
  'Vector',
  'Wave',
  'Zenith',
];
const SUFFIX = [
  'Labs',
  'Systems',
  'Analytics',
  'Software',
  'Group',
  'Health',
  'Logistics',
  'Retail',
  'Works',
  'Partners',
];
const SERVED = [
  'United States',
  'United States',
  'United States',
  'Canada',
  'United Kingdom',
  'Germany',
  'France',
  'Netherlands',
  'Australia',
  'Sweden',
  'Spain',
];
const OTHER_COUNTRIES = ['Brazil', 'India', 'Mexico', 'South Africa', 'Japan'];
const FREE_MAIL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com'];
const ICP_INDUSTRIES = INDUSTRIES.slice(0, 6);
const OTHER_INDUSTRIES = INDUSTRIES.slice(6);
const SOURCES = [
  'ORGANIC_SEARCH',
  'PAID_SEARCH',
  'EMAIL_MARKETING',
  'SOCIAL_MEDIA',
  'REFERRALS',
  'DIRECT_TRAFFIC',
  'PAID_SOCIAL',
];
const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
const NO_ANSWER = '73a0d17f-1163-4015-bdd5-ec830791da20';
const VOICEMAIL = 'b2cf5968-551e-4856-9783-52b3da59a7d0';
const DAY = 86_400_000;

const TITLES = {
  exec: [
    'VP of Marketing',
    'VP Sales',
    'Chief Revenue Officer',
    'Co-founder & CEO',
    'SVP Demand Generation',
  ],
  director: [
    'Director of Marketing',
    'Head of Growth',
    'Director of Sales Operations',
    'Head of RevOps',
    'Director, Demand Generation',
  ],
  manager: [
    'Marketing Manager',
    'Demand Generation Manager',
    'Sales Operations Manager',
    'Content Marketing Manager',
    'Growth Marketing Manager',
  ],
  ic: [
    'Marketing Specialist',
    'Content Writer',
    'SDR',
    'Account Executive',
    'Operations Analyst',
    'Software Engineer',
    'Designer',
  ],
  student: ['Student', 'Marketing Intern', 'PhD Candidate', 'MBA Student'],
};

interface Company {
  id: string;
  name: string;
  domain: string;
  icp: boolean;
  fit: number;
}

/** A seeded random source with the helpers the generator needs. */
function rng(seed: number) {
  const next = mulberry32(seed);
  const r = {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
    /** A log-normal-ish positive number around `median`. */
    spread: (median: number, sigma: number) =>
      Math.round(median * Math.exp(sigma * (next() + next() + next() - 1.5) * 1.4)),
  };
  return r;
}
type Rng = ReturnType<typeof rng>;

function pickPersona(r: Rng): Persona {
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  let roll = r.next() * total;
  for (const persona of PERSONAS) {
    roll -= WEIGHTS[persona];
    if (roll < 0) return persona;
  }
  return 'cold';
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Fills a portal with a realistic B2B dataset from a seed: the same seed gives the same portal.
 * Writes straight to the store (no webhooks): seeding is the state before the app is installed.
 */
export function seedPortal(portal: Portal, options: SeedOptions): SeedSummary {
  const r = rng(options.seed);
  const now = options.now ?? portal.now();
  const summary: SeedSummary = {
    contacts: 0,
    companies: 0,
    deals: 0,
    engagements: { calls: 0, emails: 0, meetings: 0, notes: 0, tasks: 0 },
    personas: Object.fromEntries(PERSONAS.map((p) => [p, 0])) as Record<Persona, number>,
    truth: new Map(),
  };
  const link = (
    from: ObjectType,
    fromId: string,
    to: ObjectType,
    toId: string,
    primary = false,
  ) => {
    const kind = associationKind(from, to)!;
    portal.associations.add(
      from,
      fromId,
      to,
      toId,
      primary && kind.primary !== undefined ? [kind.unlabeled, kind.primary] : [kind.unlabeled],
    );
  };

  // Companies: about one for every four contacts, a third of them in the ideal profile.
  const companies: Company[] = [];
  const companyCount = Math.max(1, Math.ceil(options.contacts / 4));
  for (let i = 0; i < companyCount; i++) {
    const icp = r.chance(0.35);
    const employees = icp ? r.int(50, 4000) : r.chance(0.5) ? r.int(2, 45) : r.spread(800, 1.5);
    const name = `${r.pick(WORDS)} ${r.pick(WORDS)} ${r.pick(SUFFIX)}`;
    const domain = `${name.toLowerCase().replace(/[^a-z]+/g, '')}${i}.com`;
    const country = icp || r.chance(0.7) ? r.pick(SERVED) : r.pick(OTHER_COUNTRIES);
    const obj = portal.insert(
      'companies',
      {
        name,
        domain,
        industry: icp
          ? r.pick(ICP_INDUSTRIES)
          : r.pick(r.chance(0.3) ? ICP_INDUSTRIES : OTHER_INDUSTRIES),
        numberofemployees: String(Math.max(1, employees)),
        annualrevenue: String(Math.max(50_000, employees * r.int(80_000, 250_000))),
        country,
        city: 'Springfield',
      },
      now - r.int(200, 1500) * DAY,
    );
    companies.push({ id: obj.id, name, domain, icp, fit: icp ? 1 : 0 });
    summary.companies++;
  }
  const icpCompanies = companies.filter((c) => c.icp);
  const anyCompany = () => r.pick(companies);
  const icpCompany = () => (icpCompanies.length > 0 ? r.pick(icpCompanies) : anyCompany());

  const engage = (
    type: ObjectType,
    contactId: string,
    companyId: string | null,
    props: Record<string, string>,
    at: number,
  ) => {
    const obj = portal.insert(type, { hs_timestamp: iso(at), ...props }, Math.min(at, now));
    link('contacts', contactId, type, obj.id);
    if (companyId) link('companies', companyId, type, obj.id);
    summary.engagements[type] = (summary.engagements[type] ?? 0) + 1;
    return obj;
  };

  // Dormant contacts come from a generator of their own: the others are the same without them.
  const dormant = options.dormant ?? 0;
  const d = rng(options.seed + 7_919);
  let dormantMade = 0;
  const addDormant = (upTo: number) => {
    for (; dormantMade < upTo; dormantMade++) {
      const first = d.pick(FIRST);
      const last = d.pick(LAST);
      const created = now - d.int(400, 2_500) * DAY;
      const props: Record<string, string | null> = {
        firstname: first,
        lastname: last,
        email: `${first}.${last}.${dormantMade}@${d.pick(FREE_MAIL)}`.toLowerCase(),
        country: d.pick([...SERVED, ...OTHER_COUNTRIES]),
        lifecyclestage: 'subscriber',
        hs_analytics_source: d.pick(SOURCES),
        createdate: iso(created),
        jobtitle: d.chance(0.5) ? d.pick([...TITLES.ic, ...TITLES.manager]) : null,
      };
      if (d.chance(0.5)) {
        const views = d.int(1, 6);
        props['hs_analytics_num_page_views'] = String(views);
        props['hs_analytics_last_visit_timestamp'] = iso(
          Math.min(created + d.int(0, 200) * DAY, now - 370 * DAY),
        );
      }
      const contact = portal.insert('contacts', props, created);
      summary.contacts++;
      summary.personas.cold++;
      summary.truth.set(contact.id, { persona: 'cold', converted: null });
    }
  };

  for (let i = 0; i < options.contacts; i++) {
    addDormant(Math.floor((i * dormant) / options.contacts));
    const persona = pickPersona(r);
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const company =
      persona === 'icp_buyer' || persona === 'outbound_replied' || persona === 'customer'
        ? icpCompany()
        : persona === 'student'
          ? null
          : anyCompany();
    const localPart = `${first}.${last}${i}`.toLowerCase();
    const created = now - r.int(20, 700) * DAY;
    const props: Record<string, string | null> = {
      firstname: first,
      lastname: last,
      email:
        company && persona !== 'student'
          ? `${localPart}@${company.domain}`
          : `${localPart}@${persona === 'student' && r.chance(0.4) ? 'state.edu' : r.pick(FREE_MAIL)}`,
      country: company ? r.pick(SERVED) : r.pick([...SERVED, ...OTHER_COUNTRIES]),
      company: company?.name ?? null,
      lifecyclestage: 'lead',
      hs_analytics_source: r.pick(SOURCES),
      createdate: iso(created),
    };
    const recentDay = (maxDays: number) => now - r.int(0, maxDays) * DAY - r.int(0, DAY - 1);
    let history: Record<string, HistoryEntry[]> | undefined;
    /**
     * Web activity: `views` page views, the last at `lastVisit`, spread over the `days` before
     * it (or since the contact was created): the counter's history rises in thirds, as HubSpot
     * records each change of it.
     */
    const web = (views: number, lastVisit: number, pricing: boolean, days?: number) => {
      // (A visit may come before the contact was created: the cookie was there first.)
      const since = Math.min(
        lastVisit,
        Math.max(created, days === undefined ? created : lastVisit - days * DAY),
      );
      if (views >= 3)
        history = {
          hs_analytics_num_page_views: [
            { value: String(views), at: lastVisit, sourceType: 'INTEGRATION' },
            {
              value: String(Math.floor((views * 2) / 3)),
              at: Math.round((since + lastVisit) / 2),
              sourceType: 'INTEGRATION',
            },
            { value: String(Math.floor(views / 3)), at: since, sourceType: 'INTEGRATION' },
          ],
        };
      props['hs_analytics_num_page_views'] = String(views);
      props['hs_analytics_num_visits'] = String(Math.max(1, Math.round(views / 3)));
      props['hs_analytics_last_visit_timestamp'] = iso(lastVisit);
      props['hs_analytics_last_url'] = pricing
        ? 'https://www.example.com/pricing'
        : `https://www.example.com/blog/post-${r.int(1, 80)}`;
    };
    const forms = (
      recent: string,
      recentAt: number,
      firstName?: string,
      firstAt?: number,
      count = 1,
    ) => {
      props['recent_conversion_event_name'] = recent;
      props['recent_conversion_date'] = iso(recentAt);
      props['first_conversion_event_name'] = firstName ?? recent;
      props['first_conversion_date'] = iso(firstAt ?? recentAt);
      props['num_conversion_events'] = String(count);
    };
    const email = (opens: number, clicks: number, lastAt: number) => {
      props['hs_email_open'] = String(opens);
      props['hs_email_click'] = String(clicks);
      if (opens > 0) props['hs_email_last_open_date'] = iso(lastAt);
      if (clicks > 0) props['hs_email_last_click_date'] = iso(lastAt);
    };
    let fitScore = company?.fit ?? 0;
    let engagementLevel = 0;

    switch (persona) {
      case 'icp_buyer': {
        props['jobtitle'] = r.pick(r.chance(0.5) ? TITLES.exec : TITLES.director);
        props['hs_buying_role'] = r.chance(0.6) ? 'DECISION_MAKER' : 'BUDGET_HOLDER';
        const demoAt = recentDay(20);
        forms(
          'Demo request form',
          demoAt,
          'Ebook: The lead scoring playbook',
          demoAt - r.int(10, 60) * DAY,
          r.int(2, 5),
        );
        web(r.int(12, 40), recentDay(5), r.chance(0.7), 21);
        email(r.int(4, 15), r.int(1, 4), recentDay(10));
        fitScore += 1;
        engagementLevel = 2;
        break;
      }
      case 'content_marketer': {
        props['jobtitle'] = r.pick(r.chance(0.7) ? TITLES.manager : TITLES.ic);
        const at = recentDay(30);
        forms(
          r.chance(0.5)
            ? 'Webinar: Scoring that sales trusts'
            : 'Ebook: Funnel metrics that matter',
          at,
          'Ebook: The lead scoring playbook',
          at - r.int(5, 90) * DAY,
          r.int(2, 6),
        );
        web(r.int(6, 30), recentDay(20), r.chance(0.15), 90);
        email(r.int(5, 25), r.int(1, 5), recentDay(15));
        engagementLevel = 1;
        break;
      }
      case 'student': {
        props['jobtitle'] = r.pick(TITLES.student);
        const at = recentDay(60);
        forms('Ebook: Intro to marketing automation', at, undefined, undefined, r.int(1, 4));
        web(r.int(3, 50), recentDay(30), false);
        fitScore -= 1;
        break;
      }
      case 'customer': {
        props['jobtitle'] = r.pick([...TITLES.director, ...TITLES.manager]);
        props['lifecyclestage'] = 'customer';
        web(r.int(5, 30), recentDay(60), false);
        email(r.int(3, 20), r.int(0, 4), recentDay(40));
        fitScore += 1;
        engagementLevel = 1;
        break;
      }
      case 'bounced': {
        props['jobtitle'] = r.pick([...TITLES.manager, ...TITLES.ic]);
        props['hs_email_bounce'] = '1';
        props['hs_email_hard_bounce_reason_enum'] = 'UNKNOWN_USER';
        forms('Ebook: The lead scoring playbook', recentDay(90), undefined, undefined, 1);
        break;
      }
      case 'unsubscribed': {
        props['jobtitle'] = r.pick([...TITLES.manager, ...TITLES.director]);
        props['hs_email_optout'] = 'true';
        forms(
          'Webinar: Scoring that sales trusts',
          recentDay(40),
          undefined,
          undefined,
          r.int(1, 3),
        );
        web(r.int(3, 20), recentDay(30), r.chance(0.2));
        break;
      }
      case 'outbound_replied': {
        props['jobtitle'] = r.pick(r.chance(0.5) ? TITLES.director : TITLES.exec);
        props['hs_analytics_source'] = 'OFFLINE';
        fitScore += 1;
        engagementLevel = 2;
        break;
      }
      case 'stale_mql': {
        props['jobtitle'] = r.pick([...TITLES.manager, ...TITLES.director]);
        props['lifecyclestage'] = 'marketingqualifiedlead';
        const at = now - r.int(120, 300) * DAY;
        forms(
          'Webinar: Pipeline reviews',
          at,
          'Ebook: The lead scoring playbook',
          at - r.int(10, 60) * DAY,
          r.int(2, 5),
        );
        web(r.int(8, 30), at - r.int(0, 5) * DAY, false, 30);
        email(r.int(5, 15), r.int(0, 3), at);
        break;
      }
      case 'cold': {
        props['jobtitle'] = r.chance(0.15)
          ? null
          : r.pick([...TITLES.ic, ...TITLES.manager, ...TITLES.director]);
        if (r.chance(0.5))
          forms('Newsletter signup', now - r.int(30, 400) * DAY, undefined, undefined, 1);
        if (r.chance(0.6)) web(r.int(1, 8), now - r.int(10, 300) * DAY, false);
        if (r.chance(0.02)) props['email'] = `${localPart}@6sense.com`;
        if (r.chance(0.01)) props['email'] = `${localPart} at example dot com`;
        if (r.chance(0.02)) props['country'] = 'Iran';
        break;
      }
      default: {
        const unreachable: never = persona;
        throw new Error(`unknown persona ${String(unreachable)}`);
      }
    }

    const contact = portal.insert('contacts', props, created, history);
    summary.contacts++;
    summary.personas[persona]++;
    if (company) {
      link('contacts', contact.id, 'companies', company.id, true);
      // HubSpot keeps the primary company's id on the contact too.
      contact.properties['associatedcompanyid'] = company.id;
    }
    const companyId = company?.id ?? null;

    // Engagements, in the shapes HubSpot stores them.
    if (persona === 'icp_buyer') {
      const held = r.chance(0.7);
      const at = held ? now - r.int(1, 14) * DAY : now + r.int(1, 10) * DAY;
      engage(
        'meetings',
        contact.id,
        companyId,
        {
          hs_meeting_title: 'Discovery call',
          hs_meeting_outcome: held ? 'COMPLETED' : 'SCHEDULED',
          hs_meeting_start_time: iso(at),
          hs_meeting_end_time: iso(at + 1_800_000),
        },
        at,
      );
      engage(
        'notes',
        contact.id,
        companyId,
        {
          hs_note_body: r.pick([
            'Needs better lead routing; budget approved for this quarter.',
            'Pain: sales ignores MQLs. Looking for a fix before renewal.',
            'Challenge: no shared definition of SQL. Timeline: next month.',
          ]),
        },
        now - r.int(1, 14) * DAY,
      );
      if (r.chance(0.6))
        engage(
          'calls',
          contact.id,
          companyId,
          {
            hs_call_direction: 'OUTBOUND',
            hs_call_disposition: CONNECTED,
            hs_call_duration: String(r.int(300, 1800) * 1000),
            hs_call_status: 'COMPLETED',
            hs_call_body: 'Walked through their funnel; they need scoring they can explain.',
          },
          now - r.int(1, 20) * DAY,
        );
      engage(
        'emails',
        contact.id,
        companyId,
        {
          hs_email_direction: 'EMAIL',
          hs_email_subject: 'Following up on your demo request',
          hs_email_status: 'SENT',
        },
        now - r.int(1, 20) * DAY,
      );
    } else if (persona === 'outbound_replied') {
      const firstTouch = now - r.int(8, 30) * DAY;
      engage(
        'emails',
        contact.id,
        companyId,
        {
          hs_email_direction: 'EMAIL',
          hs_email_subject: 'Your SQL definition',
          hs_email_status: 'SENT',
        },
        firstTouch,
      );
      engage(
        'emails',
        contact.id,
        companyId,
        {
          hs_email_direction: 'EMAIL',
          hs_email_subject: 'Re: Your SQL definition',
          hs_email_status: 'SENT',
        },
        firstTouch + 3 * DAY,
      );
      engage(
        'emails',
        contact.id,
        companyId,
        {
          hs_email_direction: 'INCOMING_EMAIL',
          hs_email_subject: 'Re: Your SQL definition',
          hs_email_status: 'SENT',
        },
        firstTouch + r.int(4, 7) * DAY,
      );
      const at = now + r.int(1, 12) * DAY;
      engage(
        'meetings',
        contact.id,
        companyId,
        {
          hs_meeting_title: 'Intro',
          hs_meeting_outcome: 'SCHEDULED',
          hs_meeting_start_time: iso(at),
          hs_meeting_end_time: iso(at + 1_800_000),
        },
        at,
      );
      engage(
        'notes',
        contact.id,
        companyId,
        {
          hs_note_body:
            'Replied to sequence: struggling with lead handoff, wants a look this quarter.',
        },
        firstTouch + 6 * DAY,
      );
      engage(
        'tasks',
        contact.id,
        companyId,
        { hs_task_subject: 'Prep intro call', hs_task_status: 'NOT_STARTED', hs_task_type: 'TODO' },
        at - DAY,
      );
    } else if (persona === 'customer') {
      engage(
        'meetings',
        contact.id,
        companyId,
        {
          hs_meeting_title: 'Quarterly review',
          hs_meeting_outcome: 'COMPLETED',
          hs_meeting_start_time: iso(now - r.int(20, 120) * DAY),
        },
        now - r.int(20, 120) * DAY,
      );
      engage(
        'notes',
        contact.id,
        companyId,
        { hs_note_body: 'Renewal on track.' },
        now - r.int(20, 120) * DAY,
      );
    } else if (persona === 'content_marketer' && r.chance(0.3)) {
      engage(
        'calls',
        contact.id,
        companyId,
        {
          hs_call_direction: 'OUTBOUND',
          hs_call_disposition: r.pick([NO_ANSWER, VOICEMAIL]),
          hs_call_duration: String(r.int(5, 40) * 1000),
          hs_call_status: 'COMPLETED',
          hs_call_body: 'Left a voicemail.',
        },
        now - r.int(1, 30) * DAY,
      );
    } else if (persona === 'stale_mql') {
      engage(
        'emails',
        contact.id,
        companyId,
        { hs_email_direction: 'EMAIL', hs_email_subject: 'Checking in', hs_email_status: 'SENT' },
        now - r.int(120, 300) * DAY,
      );
    }

    // Deals: customers won; buyers and replied prospects reached an opportunity, and won
    // more often the better they fit and the more engaged they were.
    let converted: 0 | 1 | null = null;
    const opportunity =
      persona === 'customer' ||
      ((persona === 'icp_buyer' || persona === 'outbound_replied') && r.chance(0.6)) ||
      (persona === 'content_marketer' && r.chance(0.12)) ||
      (persona === 'cold' && r.chance(0.03));
    if (opportunity) {
      const p =
        persona === 'customer'
          ? 1
          : 1 / (1 + Math.exp(-(-1.4 + 1.1 * fitScore + 0.9 * engagementLevel + (r.next() - 0.5))));
      const won = r.next() < p;
      const open = persona !== 'customer' && r.chance(0.35);
      converted = open ? null : won ? 1 : 0;
      const closeAt = now - r.int(5, 200) * DAY;
      const deal = portal.insert(
        'deals',
        {
          dealname: `${props['lastname']} – ${props['jobtitle'] ?? 'deal'}`,
          amount: String(r.int(8, 120) * 1000),
          pipeline: 'default',
          dealstage: open
            ? r.pick(['qualifiedtobuy', 'presentationscheduled', 'contractsent'])
            : won
              ? 'closedwon'
              : 'closedlost',
          closedate: iso(open ? now + r.int(5, 60) * DAY : closeAt),
          ...(open || won
            ? {}
            : {
                closed_lost_reason: r.pick([
                  'No budget',
                  'Went with a competitor',
                  'Bad timing',
                  'No decision',
                ]),
              }),
        },
        closeAt - r.int(20, 90) * DAY,
      );
      link('deals', deal.id, 'contacts', contact.id);
      if (companyId) link('deals', deal.id, 'companies', companyId, true);
      summary.deals++;
      if (won && !open && persona !== 'customer') contact.properties['lifecyclestage'] = 'customer';
      else if (open) contact.properties['lifecyclestage'] = 'opportunity';
    }
    summary.truth.set(contact.id, { persona, converted });
  }
  addDormant(dormant);
  addSalesTeam(portal);
  return summary;
}

/**
 * The portal's sales team, made last so that no other record's id moves: four reps with Sales
 * Hub seats in two territories' teams, and a marketer without a seat. Accounts that bought
 * (a won deal) are owned by a rep, open deals too, in turn: account-based routing has owners.
 */
export const SALES_TEAM = [
  {
    firstName: 'Ann',
    lastName: 'Lee',
    teams: ['EMEA', 'Sales'],
    seats: ['Sales Hub Professional'],
  },
  {
    firstName: 'Ben',
    lastName: 'Ortiz',
    teams: ['Americas', 'Sales'],
    seats: ['Sales Hub Professional'],
  },
  {
    firstName: 'Chloé',
    lastName: 'Martin',
    teams: ['EMEA', 'Sales'],
    seats: ['Sales Hub Professional'],
  },
  {
    firstName: 'Dev',
    lastName: 'Patel',
    teams: ['Americas', 'Sales'],
    seats: ['Sales Hub Professional'],
  },
  { firstName: 'Erin', lastName: 'Walsh', teams: ['Marketing'], seats: [] },
] as const;

function addSalesTeam(portal: Portal): void {
  if (portal.staff.all().length > 0) return;
  const reps = SALES_TEAM.map((m) =>
    portal.staff.add({
      email: `${m.firstName
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z]/g, '')}.${m.lastName.toLowerCase()}@${portal.domain}`,
      firstName: m.firstName,
      lastName: m.lastName,
      teams: [...m.teams],
      seats: [...m.seats],
    }),
  ).filter((o) => o.seats.length > 0);
  let turn = 0;
  for (const deal of portal.all('deals')) {
    const stage = deal.properties['dealstage'];
    if (stage === 'closedlost') continue;
    const owner = reps[turn++ % reps.length]!.id;
    if (stage !== 'closedwon') deal.properties['hubspot_owner_id'] = owner;
    for (const [companyId] of portal.associations.list('deals', deal.id, 'companies')) {
      const company = portal.get('companies', companyId);
      if (company && stage === 'closedwon') company.properties['hubspot_owner_id'] ??= owner;
    }
  }
}
