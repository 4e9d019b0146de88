import type { CrmObject, Facts } from '../../src/server/domain/facts';
import { NOW } from './personas';

const DAY = 86_400_000;
const at = (days: number) => new Date(NOW - days * DAY).toISOString();

/**
 * A typical scored contact for benchmarks: 30 contact properties, an ICP company and 40
 * engagements, so most rules fire and the ledger is full. `i` varies the values so the JIT
 * does not see one constant object.
 */
export function typicalContact(i: number): Facts {
  const props: CrmObject['properties'] = {
    email: `person${i}@acme${i % 50}.io`,
    firstname: `First${i}`,
    lastname: `Last${i}`,
    jobtitle: ['VP of Marketing', 'Director of Sales Ops', 'Marketing Manager', 'Head of Growth'][
      i % 4
    ]!,
    hs_seniority: ['vp', 'director', 'manager', 'director'][i % 4]!,
    hs_buying_role: i % 3 === 0 ? 'DECISION_MAKER' : 'INFLUENCER',
    country: ['United States', 'Germany', 'United Kingdom'][i % 3]!,
    city: 'Boston',
    company: `Acme ${i % 50}`,
    phone: '+1 555 0100',
    lifecyclestage: 'lead',
    hs_lead_status: 'OPEN',
    hs_analytics_source: 'ORGANIC_SEARCH',
    hs_analytics_num_page_views: String(10 + (i % 30)),
    hs_analytics_num_visits: String(4 + (i % 9)),
    hs_analytics_last_url:
      i % 2 ? 'https://www.example.com/pricing' : 'https://www.example.com/blog/x',
    hs_analytics_last_visit_timestamp: at(i % 20),
    num_conversion_events: String(1 + (i % 6)),
    recent_conversion_event_name: i % 3 ? 'Demo request form' : 'Webinar: Scoring',
    recent_conversion_date: at(2 + (i % 15)),
    first_conversion_event_name: 'Ebook: Lead scoring',
    first_conversion_date: at(60 + (i % 30)),
    hs_email_open: String(i % 25),
    hs_email_last_open_date: at(i % 12),
    hs_email_click: String(i % 6),
    hs_email_last_click_date: at(i % 12),
    hs_email_optout: 'false',
    hs_email_bounce: '0',
    createdate: at(180),
    lastmodifieddate: at(1),
  };
  const list = (n: number, make: (k: number) => CrmObject['properties']) =>
    Array.from({ length: n }, (_, k) => ({ id: `${i}-${k}`, properties: make(k) }));
  const facts: Facts = {
    contact: { id: String(i), properties: props },
    company: {
      id: `c${i % 50}`,
      properties: {
        industry: 'COMPUTER_SOFTWARE',
        numberofemployees: String(80 + (i % 900)),
        annualrevenue: '25000000',
        country: 'United States',
        domain: `acme${i % 50}.io`,
      },
    },
    engagements: {
      emails: list(12, (k) => ({
        hs_email_direction: k % 4 === 0 ? 'INCOMING_EMAIL' : 'EMAIL',
        hs_email_subject: 'Re: next steps',
        hs_timestamp: at(k * 3 + (i % 5)),
      })),
      calls: list(8, (k) => ({
        hs_call_disposition: k % 2 ? 'f240bbac-87c9-4f6e-bf70-924b57d47db7' : 'no-answer',
        hs_call_duration: String(k * 30_000),
        hs_call_body: 'They need a fix for routing',
        hs_timestamp: at(k * 5),
      })),
      meetings: list(6, (k) => ({
        hs_meeting_outcome: k % 3 ? 'COMPLETED' : 'SCHEDULED',
        hs_meeting_start_time: at(k * 7 - 3),
        hs_timestamp: at(k * 7 - 3),
      })),
      notes: list(10, (k) => ({
        hs_note_body: k % 2 ? 'Budget approved for this quarter' : 'Intro call notes',
        hs_timestamp: at(k * 4),
      })),
      tasks: list(4, (k) => ({
        hs_task_status: 'COMPLETED',
        hs_task_subject: 'Follow up',
        hs_timestamp: at(k * 6),
      })),
    },
  };
  // As the worker gets them: parsed from JSON (HubSpot's responses, the stored facts). Strings
  // built by Date#toISOString are slower to read character by character than parsed ones, which
  // would make the benchmark measure the fixture rather than the model.
  return JSON.parse(JSON.stringify(facts)) as Facts;
}
