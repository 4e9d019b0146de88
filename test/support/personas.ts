import type { CrmObject, Facts } from '../../src/server/domain/facts';

/** The evaluation time every persona is written against. */
export const NOW = Date.parse('2026-01-31T00:00:00Z');
export const daysAgo = (n: number) => new Date(NOW - n * 86_400_000).toISOString();

let seq = 0;
const obj = (properties: CrmObject['properties']): CrmObject => ({ id: String(++seq), properties });

export const icpCompany = (overrides: CrmObject['properties'] = {}) =>
  obj({
    name: 'Acme Analytics',
    domain: 'acme.io',
    industry: 'COMPUTER_SOFTWARE',
    numberofemployees: '320',
    annualrevenue: '42000000',
    country: 'United States',
    ...overrides,
  });

export function facts(
  contact: CrmObject['properties'],
  company: CrmObject | null = icpCompany(),
  engagements: Facts['engagements'] = {},
): Facts {
  return { contact: obj({ createdate: daysAgo(200), ...contact }), company, engagements };
}

export const meeting = (outcome: string, startDaysAgo: number) =>
  obj({
    hs_meeting_outcome: outcome,
    hs_meeting_start_time: daysAgo(startDaysAgo),
    hs_timestamp: daysAgo(startDaysAgo),
  });
export const incomingEmail = (days: number) =>
  obj({
    hs_email_direction: 'INCOMING_EMAIL',
    hs_email_subject: 'Re: our call',
    hs_timestamp: daysAgo(days),
  });
export const outgoingEmail = (days: number) =>
  obj({ hs_email_direction: 'EMAIL', hs_timestamp: daysAgo(days) });
export const note = (body: string, days: number) =>
  obj({ hs_note_body: body, hs_timestamp: daysAgo(days) });
export const call = (disposition: string, durationMs: number, days: number) =>
  obj({
    hs_call_disposition: disposition,
    hs_call_duration: String(durationMs),
    hs_timestamp: daysAgo(days),
  });
export const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
