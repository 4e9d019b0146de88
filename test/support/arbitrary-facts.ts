import fc from 'fast-check';
import type { CrmObject, Facts } from '../../src/server/domain/facts';
import { NOW } from './personas';

const DAY = 86_400_000;
/** A date within the last 400 days or the next 30, as HubSpot would send it. */
const dateArb = fc
  .integer({ min: -400, max: 30 })
  .chain((days) =>
    fc.constantFrom(new Date(NOW - days * DAY).toISOString(), String(NOW - days * DAY), ''),
  );
const countArb = fc.oneof(
  fc.integer({ min: 0, max: 300 }).map(String),
  fc.constantFrom('', 'abc', '12.5'),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const contactPropsArb = fc
  .record(
    {
      email: fc.constantFrom(
        'ana@acme.io',
        'sam@gmail.com',
        'x@mit.edu',
        'spy@6sense.com',
        'bad email',
        '',
      ),
      jobtitle: fc.constantFrom(
        'VP Sales',
        'Director of Marketing',
        'Marketing Manager',
        'Student',
        'Engineer',
        '',
      ),
      hs_seniority: fc.constantFrom('vp', 'director', 'manager', 'entry'),
      hs_buying_role: fc.constantFrom('DECISION_MAKER', 'BUDGET_HOLDER', 'END_USER'),
      country: fc.constantFrom('United States', 'Germany', 'Brazil', 'Iran', ''),
      lifecyclestage: fc.constantFrom(
        'subscriber',
        'lead',
        'marketingqualifiedlead',
        'salesqualifiedlead',
        'opportunity',
        'customer',
        'other',
        '999',
      ),
      hs_lead_status: fc.constantFrom('NEW', 'OPEN', 'UNQUALIFIED'),
      recent_conversion_event_name: fc.constantFrom(
        'Demo request',
        'Webinar: x',
        'Ebook: y',
        'Newsletter',
      ),
      recent_conversion_date: dateArb,
      first_conversion_event_name: fc.constantFrom('Demo request', 'Webinar: x', 'Ebook: y'),
      first_conversion_date: dateArb,
      num_conversion_events: countArb,
      hs_analytics_num_page_views: countArb,
      hs_analytics_last_visit_timestamp: dateArb,
      hs_analytics_last_url: fc.constantFrom('https://x.io/pricing', 'https://x.io/blog/a'),
      hs_email_open: countArb,
      hs_email_last_open_date: dateArb,
      hs_email_click: countArb,
      hs_email_last_click_date: dateArb,
      hs_email_optout: fc.constantFrom('true', 'false', ''),
      hs_email_bounce: countArb,
      lq_sql_feedback: fc.constantFrom('accepted', 'rejected', ''),
      lq_sql_feedback_at: dateArb,
      createdate: dateArb,
    },
    { requiredKeys: [] },
  )
  .map((props) => props as CrmObject['properties']);

const companyArb = maybe(
  fc.record(
    {
      industry: fc.constantFrom('COMPUTER_SOFTWARE', 'RETAIL', ''),
      numberofemployees: countArb.map((n) =>
        n === '' || n === 'abc' ? n : String(Number(n) * 30),
      ),
      annualrevenue: fc.constantFrom('1000000', '50000000', '', 'n/a'),
      country: fc.constantFrom('United States', 'Cuba', ''),
      domain: fc.constantFrom('acme.io', 'madkudu.com'),
    },
    { requiredKeys: [] },
  ),
);

const engagementArb = (props: fc.Arbitrary<Record<string, string>>) =>
  fc.array(
    props.map((p) => p),
    { maxLength: 6 },
  );

export const meetingPropsArb = fc.record({
  hs_meeting_outcome: fc.constantFrom('COMPLETED', 'SCHEDULED', 'NO_SHOW', 'CANCELED'),
  hs_meeting_start_time: dateArb,
  hs_timestamp: dateArb,
});
export const emailPropsArb = fc.record({
  hs_email_direction: fc.constantFrom('INCOMING_EMAIL', 'EMAIL'),
  hs_timestamp: dateArb,
});
const callPropsArb = fc.record({
  hs_call_disposition: fc.constantFrom('f240bbac-87c9-4f6e-bf70-924b57d47db7', 'x'),
  hs_call_duration: countArb.map((n) => (n === '' ? n : String(Number(n) * 1000))),
  hs_call_body: fc.constantFrom('they need a fix', 'left voicemail'),
  hs_timestamp: dateArb,
});
const notePropsArb = fc.record({
  hs_note_body: fc.constantFrom('budget approved', 'timeline: this quarter', 'met at a fair'),
  hs_timestamp: dateArb,
});

let id = 0;
const toObjects = (list: Record<string, string>[]): CrmObject[] =>
  list.map((properties) => ({ id: String(++id), properties }));

export const factsArb: fc.Arbitrary<Facts> = fc
  .record({
    contact: contactPropsArb,
    company: companyArb,
    meetings: engagementArb(meetingPropsArb),
    emails: engagementArb(emailPropsArb),
    calls: engagementArb(callPropsArb),
    notes: engagementArb(notePropsArb),
  })
  .map(({ contact, company, meetings, emails, calls, notes }) => ({
    contact: { id: String(++id), properties: contact },
    company: company === null ? null : { id: String(++id), properties: company },
    engagements: {
      meetings: toObjects(meetings),
      emails: toObjects(emails),
      calls: toObjects(calls),
      notes: toObjects(notes),
    },
  }));
