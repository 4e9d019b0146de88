import { modelSchema, type Model, type ModelInput } from '@lead-qualifier/contract';

/**
 * The model a portal starts with: a B2B SaaS company selling to marketing, sales and RevOps
 * teams at companies of 50–5,000 people. Admins tune every number in the settings page; the
 * README documents each rule.
 */

const FREE_MAIL = [
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'ymail.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'web.de',
  'mail.com',
  'yandex.ru',
  'yandex.com',
  'ya.ru',
  'mail.ru',
  'list.ru',
  'bk.ru',
  'inbox.ru',
  'qq.com',
  '163.com',
  '126.com',
  'sina.com',
  'naver.com',
  'daum.net',
  'rediffmail.com',
  // Country variants of the big providers
  'yahoo.co.uk',
  'yahoo.fr',
  'yahoo.de',
  'yahoo.es',
  'yahoo.it',
  'yahoo.co.in',
  'yahoo.com.br',
  'yahoo.co.jp',
  'hotmail.co.uk',
  'hotmail.fr',
  'hotmail.de',
  'hotmail.es',
  'hotmail.it',
  'outlook.fr',
  'outlook.de',
  'outlook.es',
  'live.co.uk',
  'live.fr',
  'live.de',
  'rocketmail.com',
  'gmx.net',
  'gmx.at',
  'gmx.ch',
  't-online.de',
  'freenet.de',
  'orange.fr',
  'wanadoo.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
  'virgilio.it',
  'btinternet.com',
  'sky.com',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'zoho.com',
  'tutanota.com',
  'fastmail.com',
  'hey.com',
];
const ACADEMIC_DOMAINS = ['edu', 'ac.uk', 'edu.au', 'ac.jp', 'edu.cn'];
/**
 * Which companies are competitors and which countries a company sells to are each portal's own:
 * the lists ship empty (matching nothing) for its admin to fill in on the settings page.
 */
const COMPETITORS: string[] = [];
const NOT_SERVED: string[] = [];
const SERVED: string[] = [];
/** The demo company's lists, as its admin filled them in (the offline demo and its tests). */
const DEMO_COMPETITORS = ['madkudu.com', '6sense.com', 'leadspace.com', 'infer.com'];
const DEMO_NOT_SERVED = ['north korea', 'kp', 'iran', 'ir', 'syria', 'sy', 'cuba', 'cu'];
const DEMO_SERVED = [
  'united states',
  'usa',
  'us',
  'canada',
  'ca',
  'united kingdom',
  'uk',
  'gb',
  'ireland',
  'ie',
  'germany',
  'de',
  'france',
  'fr',
  'netherlands',
  'nl',
  'belgium',
  'be',
  'switzerland',
  'ch',
  'austria',
  'at',
  'sweden',
  'se',
  'denmark',
  'dk',
  'norway',
  'no',
  'finland',
  'fi',
  'spain',
  'es',
  'italy',
  'it',
  'australia',
  'au',
  'new zealand',
  'nz',
  'singapore',
  'sg',
];
const ICP_INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'INFORMATION_TECHNOLOGY_AND_SERVICES',
  'INTERNET',
  'MARKETING_AND_ADVERTISING',
  'FINANCIAL_SERVICES',
  'COMPUTER_NETWORK_SECURITY',
];
/**
 * Executive titles, matched as whole words ("vp" is not in "VPN Engineer"): the C-suite by name
 * and abbreviation, founders, presidents, VPs, managing directors, and the same in French,
 * German and Spanish. "Chief of staff" is not an executive: the rule leaves it out.
 */
const EXEC_TITLES = [
  'chief',
  'ceo',
  'cmo',
  'cro',
  'cto',
  'coo',
  'cfo',
  'cio',
  'cdo',
  'cpo',
  'cso',
  'cco',
  'founder',
  'co-founder',
  'cofounder',
  'owner',
  'president',
  'vp',
  'svp',
  'evp',
  'avp',
  'vice president',
  'managing director',
  'general manager',
  'président',
  'presidente',
  'fondateur',
  'fundador',
  'gründer',
  'geschäftsführer',
  'geschäftsführerin',
  'directeur général',
  'directrice générale',
  'director general',
  'director general',
  'vorstand',
];
const NOT_EXEC_TITLES = ['chief of staff', 'assistant to', 'executive assistant'];
const DIRECTOR_TITLES = [
  'director',
  'head of',
  'head',
  'directeur',
  'directrice',
  'directora',
  'direktor',
  'direktorin',
  'leiter',
  'leiterin',
  'jefe',
  'chief of staff',
];
const MANAGER_TITLES = [
  'manager',
  'lead',
  'team lead',
  'gerente',
  'responsable',
  'teamleiter',
  'teamleiterin',
];
const STUDENT_TITLES = [
  'student',
  'students',
  'intern',
  'interns',
  'internship',
  'trainee',
  'apprentice',
  'phd candidate',
  'graduate assistant',
  'werkstudent',
  'werkstudentin',
  'praktikant',
  'praktikantin',
  'stagiaire',
  'étudiant',
  'étudiante',
  'estudiante',
  'becario',
  'becaria',
];
/** Subjects of automatic replies: out of office, auto-reply, delivery failure. */
const AUTO_REPLY_SUBJECTS = [
  'automatic reply',
  'auto reply',
  'auto-reply',
  'autoreply',
  'auto response',
  'automatic response',
  'out of office',
  'out of the office',
  'ooo',
  'away from the office',
  'abwesenheitsnotiz',
  'réponse automatique',
  'respuesta automática',
  'risposta automatica',
  'undeliverable',
  'delivery status notification',
  'mail delivery failed',
];
const EXEC_SENIORITY = ['owner', 'partner', 'cxo', 'vp'];
/** HubSpot's default "Connected" call disposition. */
const CONNECTED_CALL = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';

export const DEFAULT_MODEL_INPUT: ModelInput = {
  version: 1,
  name: 'Default B2B SaaS model',
  description:
    'Fit: seniority, buying team, industry, size, revenue, country; engagement: demo requests, meetings, replies, pricing visits, calls, webinars, forms, e-mail and web activity, each decaying.',
  fit: {
    maxPoints: 50,
    rules: [
      {
        id: 'seniority_exec',
        label: 'Executive or VP',
        points: 15,
        group: 'seniority',
        anyOf: [
          { object: 'contact', property: 'hs_seniority', operator: 'in', value: EXEC_SENIORITY },
        ],
      },
      {
        id: 'seniority_exec_title',
        label: 'Executive or VP',
        points: 15,
        group: 'seniority',
        match: 'all',
        anyOf: [
          { object: 'contact', property: 'jobtitle', operator: 'contains', value: EXEC_TITLES },
          {
            object: 'contact',
            property: 'jobtitle',
            operator: 'not_contains',
            value: NOT_EXEC_TITLES,
          },
        ],
      },
      {
        id: 'seniority_director',
        label: 'Director or head of',
        points: 11,
        group: 'seniority',
        anyOf: [
          { object: 'contact', property: 'hs_seniority', operator: 'equals', value: 'director' },
          {
            object: 'contact',
            property: 'jobtitle',
            operator: 'contains',
            value: DIRECTOR_TITLES,
          },
        ],
      },
      {
        id: 'seniority_manager',
        label: 'Manager',
        points: 6,
        group: 'seniority',
        anyOf: [
          { object: 'contact', property: 'hs_seniority', operator: 'equals', value: 'manager' },
          { object: 'contact', property: 'jobtitle', operator: 'contains', value: MANAGER_TITLES },
        ],
      },
      {
        id: 'buying_team',
        label: 'In marketing, sales or RevOps',
        points: 5,
        anyOf: [
          {
            object: 'contact',
            property: 'jobtitle',
            operator: 'contains',
            value: [
              'marketing',
              'marketer',
              'sales',
              'revenue',
              'revops',
              'growth',
              'demand',
              'business development',
              'operations',
            ],
          },
        ],
      },
      {
        id: 'icp_industry',
        label: 'Target industry',
        points: 10,
        anyOf: [{ object: 'company', property: 'industry', operator: 'in', value: ICP_INDUSTRIES }],
      },
      {
        id: 'size_core',
        label: '50–5,000 employees',
        points: 10,
        group: 'size',
        anyOf: [
          {
            object: 'company',
            property: 'numberofemployees',
            operator: 'between',
            value: [50, 5000],
          },
        ],
      },
      {
        id: 'size_enterprise',
        label: 'Over 5,000 employees',
        points: 6,
        group: 'size',
        anyOf: [{ object: 'company', property: 'numberofemployees', operator: 'gt', value: 5000 }],
      },
      {
        id: 'size_small',
        label: '10–49 employees',
        points: 3,
        group: 'size',
        anyOf: [
          {
            object: 'company',
            property: 'numberofemployees',
            operator: 'between',
            value: [10, 49],
          },
        ],
      },
      {
        id: 'revenue_fit',
        label: 'Revenue of $5M or more',
        points: 5,
        anyOf: [
          { object: 'company', property: 'annualrevenue', operator: 'gte', value: 5_000_000 },
        ],
      },
      {
        id: 'served_country',
        label: 'In a country we sell to',
        points: 5,
        anyOf: [
          { object: 'contact', property: 'country', operator: 'in', value: SERVED },
          { object: 'company', property: 'country', operator: 'in', value: SERVED },
        ],
      },
      {
        id: 'free_mail',
        label: 'Free e-mail address',
        points: -10,
        anyOf: [
          { object: 'contact', property: 'email', operator: 'email_domain_in', value: FREE_MAIL },
        ],
      },
      {
        id: 'student',
        label: 'Student or academic',
        points: -20,
        anyOf: [
          { object: 'contact', property: 'jobtitle', operator: 'contains', value: STUDENT_TITLES },
          {
            object: 'contact',
            property: 'hs_seniority',
            operator: 'in',
            value: ['training', 'unpaid'],
          },
          {
            object: 'contact',
            property: 'email',
            operator: 'email_domain_in',
            value: ACADEMIC_DOMAINS,
          },
        ],
      },
    ],
  },
  engagement: {
    maxPoints: 60,
    signals: [
      {
        id: 'demo_request',
        label: 'Requested a demo',
        points: 30,
        halfLifeDays: 30,
        cap: 1,
        source: {
          type: 'form',
          names: [
            'demo',
            'demo request',
            'request a demo',
            'book a demo',
            'contact sales',
            'talk to sales',
            'pricing request',
            'free trial',
            'request a quote',
            'get a quote',
            'quote request',
          ],
        },
      },
      {
        id: 'meeting_held',
        label: 'Meeting held',
        points: 25,
        halfLifeDays: 45,
        cap: 2,
        source: {
          type: 'engagement',
          object: 'meetings',
          dateProperty: 'hs_meeting_start_time',
          where: [{ property: 'hs_meeting_outcome', operator: 'equals', value: 'COMPLETED' }],
        },
      },
      {
        id: 'meeting_booked',
        label: 'Meeting booked',
        points: 15,
        halfLifeDays: 30,
        cap: 1,
        source: {
          type: 'engagement',
          object: 'meetings',
          dateProperty: 'hs_meeting_start_time',
          where: [
            { property: 'hs_meeting_outcome', operator: 'in', value: ['SCHEDULED', 'RESCHEDULED'] },
          ],
        },
      },
      {
        id: 'inbound_reply',
        label: 'Replied by e-mail',
        points: 15,
        halfLifeDays: 30,
        cap: 2,
        source: {
          type: 'engagement',
          object: 'emails',
          // A reply, not an automatic one: an out-of-office is not interest.
          match: 'all',
          where: [
            { property: 'hs_email_direction', operator: 'equals', value: 'INCOMING_EMAIL' },
            {
              property: 'hs_email_subject',
              operator: 'not_contains',
              value: AUTO_REPLY_SUBJECTS,
            },
          ],
        },
      },
      {
        id: 'pricing_page',
        label: 'Visited the pricing page',
        points: 10,
        halfLifeDays: 14,
        cap: 1,
        source: {
          type: 'contact',
          dateProperty: 'hs_analytics_last_visit_timestamp',
          anyOf: [
            {
              object: 'contact',
              property: 'hs_analytics_last_url',
              operator: 'contains',
              value: ['/pricing'],
            },
          ],
        },
      },
      {
        id: 'connected_call',
        label: 'Connected call',
        points: 10,
        halfLifeDays: 30,
        cap: 2,
        source: {
          type: 'engagement',
          object: 'calls',
          match: 'any',
          where: [
            { property: 'hs_call_disposition', operator: 'equals', value: CONNECTED_CALL },
            { property: 'hs_call_duration', operator: 'gte', value: 60_000 },
          ],
        },
      },
      {
        id: 'webinar',
        // A form submission is a registration: attending is recorded elsewhere (marketing events).
        label: 'Registered for a webinar',
        points: 6,
        halfLifeDays: 60,
        cap: 2,
        source: { type: 'form', names: ['webinar'] },
      },
      {
        id: 'form_submissions',
        label: 'Form submissions',
        points: 4,
        halfLifeDays: 60,
        cap: 5,
        source: {
          type: 'count',
          property: 'num_conversion_events',
          dateProperty: 'recent_conversion_date',
        },
      },
      {
        id: 'email_clicks',
        label: 'Marketing e-mail clicks',
        points: 3,
        halfLifeDays: 30,
        cap: 4,
        source: {
          type: 'count',
          property: 'hs_email_click',
          dateProperty: 'hs_email_last_click_date',
        },
      },
      {
        id: 'email_opens',
        label: 'Marketing e-mail opens',
        points: 0.5,
        halfLifeDays: 30,
        cap: 10,
        source: {
          type: 'count',
          property: 'hs_email_open',
          dateProperty: 'hs_email_last_open_date',
        },
      },
      {
        id: 'page_views',
        label: 'Page views',
        points: 1,
        halfLifeDays: 30,
        cap: 15,
        source: {
          type: 'count',
          property: 'hs_analytics_num_page_views',
          dateProperty: 'hs_analytics_last_visit_timestamp',
        },
      },
    ],
  },
  negatives: [
    {
      id: 'email_unsubscribed',
      label: 'Unsubscribed from e-mail',
      points: -20,
      blocksMql: true,
      source: {
        type: 'contact',
        anyOf: [
          { object: 'contact', property: 'hs_email_optout', operator: 'equals', value: true },
        ],
      },
    },
    {
      id: 'email_hard_bounce',
      label: 'E-mail hard-bounced',
      points: -25,
      blocksMql: true,
      source: {
        type: 'contact',
        anyOf: [
          { object: 'contact', property: 'hs_email_hard_bounce_reason_enum', operator: 'exists' },
          { object: 'contact', property: 'hs_email_bounce', operator: 'gte', value: 1 },
        ],
      },
    },
    {
      id: 'inactive_90_days',
      label: 'No activity for 90 days',
      points: -10,
      source: { type: 'inactivity', days: 90 },
    },
  ],
  disqualifiers: [
    {
      id: 'competitor',
      label: 'Works at a competitor',
      anyOf: [
        { object: 'contact', property: 'email', operator: 'email_domain_in', value: COMPETITORS },
        { object: 'company', property: 'domain', operator: 'email_domain_in', value: COMPETITORS },
      ],
    },
    {
      id: 'invalid_email',
      label: 'Invalid e-mail address',
      anyOf: [{ object: 'contact', property: 'email', operator: 'invalid_email' }],
    },
    {
      id: 'country_not_served',
      label: 'In a country we do not serve',
      anyOf: [
        { object: 'contact', property: 'country', operator: 'in', value: NOT_SERVED },
        { object: 'company', property: 'country', operator: 'in', value: NOT_SERVED },
      ],
    },
    {
      id: 'marked_unqualified',
      label: 'Marked unqualified by sales',
      anyOf: [
        { object: 'contact', property: 'hs_lead_status', operator: 'equals', value: 'UNQUALIFIED' },
      ],
    },
  ],
  grades: { A: 70, B: 45, C: 20 },
  mql: { minScore: 50, minFit: 30 },
  sql: {
    buyingSignals: [
      ['demo_request'],
      ['meeting_held'],
      ['pricing_page', 'inbound_reply'],
      ['inbound_reply', 'meeting_booked'],
    ],
    criteria: [
      {
        id: 'need',
        label: 'Need',
        hint: 'log the problem they want solved in a note or call, or get a demo request',
        anyOf: [
          { type: 'signal', signal: 'demo_request' },
          { type: 'signal', signal: 'meeting_held' },
          {
            type: 'engagement',
            object: 'notes',
            withinDays: 180,
            where: [
              {
                property: 'hs_note_body',
                operator: 'contains',
                value: ['need*', 'pain*', 'problem*', 'challeng*', 'looking for', 'struggl*'],
              },
            ],
          },
          {
            type: 'engagement',
            object: 'calls',
            withinDays: 180,
            where: [
              {
                property: 'hs_call_body',
                operator: 'contains',
                value: ['need*', 'pain*', 'problem*', 'challeng*', 'looking for', 'struggl*'],
              },
            ],
          },
        ],
      },
      {
        id: 'authority',
        label: 'Authority',
        hint: 'reach a director or above, or a decision maker',
        anyOf: [
          {
            type: 'property',
            when: {
              object: 'contact',
              property: 'hs_buying_role',
              operator: 'in',
              value: ['DECISION_MAKER', 'BUDGET_HOLDER', 'EXECUTIVE_SPONSOR'],
            },
          },
          {
            type: 'property',
            when: {
              object: 'contact',
              property: 'hs_seniority',
              operator: 'in',
              value: [...EXEC_SENIORITY, 'director'],
            },
          },
          {
            type: 'property',
            when: {
              object: 'contact',
              property: 'jobtitle',
              operator: 'contains',
              value: [...EXEC_TITLES, 'director', 'head of'],
            },
          },
        ],
      },
      {
        id: 'budget',
        label: 'Budget',
        hint: 'confirm budget in a note, or qualify a company of 50+ employees',
        anyOf: [
          {
            type: 'property',
            when: {
              object: 'contact',
              property: 'hs_buying_role',
              operator: 'equals',
              value: 'BUDGET_HOLDER',
            },
          },
          {
            type: 'property',
            when: {
              object: 'company',
              property: 'annualrevenue',
              operator: 'gte',
              value: 10_000_000,
            },
          },
          {
            type: 'property',
            when: { object: 'company', property: 'numberofemployees', operator: 'gte', value: 50 },
          },
          {
            type: 'engagement',
            object: 'notes',
            withinDays: 180,
            where: [
              {
                property: 'hs_note_body',
                operator: 'contains',
                value: ['budget*', 'funded', 'approved'],
              },
            ],
          },
        ],
      },
      {
        id: 'timing',
        label: 'Timing',
        hint: 'book a meeting within 30 days, or log their timeline in a note',
        anyOf: [
          {
            type: 'engagement',
            object: 'meetings',
            dateProperty: 'hs_meeting_start_time',
            withinDays: 30,
            where: [
              {
                property: 'hs_meeting_outcome',
                operator: 'in',
                value: ['SCHEDULED', 'RESCHEDULED', 'COMPLETED'],
              },
            ],
          },
          {
            type: 'engagement',
            object: 'notes',
            withinDays: 90,
            where: [
              {
                property: 'hs_note_body',
                operator: 'contains',
                value: ['this quarter', 'next month', 'timeline*', 'deadline*', 'renewal*'],
              },
            ],
          },
        ],
      },
    ],
    minCriteria: 3,
    minFit: 30,
    buyingWindowDays: 90,
  },
  slaHours: 24,
  recycleDays: 90,
  lifecycle: { recycleMovesBack: false },
};

/** The shipped default model, validated when this module loads. */
export const DEFAULT_MODEL: Model = modelSchema.parse(DEFAULT_MODEL_INPUT);

/**
 * The default model with the demo company's own lists filled in (its competitors, the countries
 * it sells to and does not serve), as its admin would on the settings page.
 */
export const DEMO_MODEL: Model = fillLists(DEFAULT_MODEL, {
  competitor: DEMO_COMPETITORS,
  country_not_served: DEMO_NOT_SERVED,
  served_country: DEMO_SERVED,
});

function fillLists(model: Model, lists: Record<string, string[]>): Model {
  const fill = <T extends { id: string; anyOf: Model['fit']['rules'][number]['anyOf'] }>(
    rule: T,
  ): T =>
    lists[rule.id]
      ? {
          ...rule,
          anyOf: rule.anyOf.map((c) =>
            'value' in c && Array.isArray(c.value) ? { ...c, value: [...lists[rule.id]!] } : c,
          ),
        }
      : rule;
  return {
    ...model,
    fit: { ...model.fit, rules: model.fit.rules.map(fill) },
    disqualifiers: model.disqualifiers.map(fill),
  };
}
