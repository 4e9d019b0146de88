import { Client } from '@hubspot/api-client';
import type { Stack } from './stack';

export interface Step {
  who: string;
  what: string;
  before: { status: string; score: string };
  after: { status: string; score: string };
  latencyMs: number | null;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * "People in HubSpot" for the demo: edits made with a person's token, as if clicked in the UI.
 * Each raises webhooks; the step ends when Lead Qualifier has written the contact again.
 */
export async function playScenario(stack: Stack, log: (line: string) => void): Promise<Step[]> {
  const portal = stack.sandbox.state.portal(stack.portalId);
  const hubspot = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
  const truth = [...stack.seeded!.truth];
  const pick = (persona: string, status?: string) =>
    truth.find(
      ([id, t]) =>
        t.persona === persona &&
        (!status || portal.get('contacts', id)?.properties['lq_status'] === status) &&
        portal.associations.list('contacts', id, 'companies').length > 0,
    )?.[0];
  const state = (id: string) => {
    const p = portal.get('contacts', id)?.properties ?? {};
    return {
      status: p['lq_status'] ?? '–',
      score: p['lq_score'] ?? '–',
      at: p['lq_scored_at'] ?? '',
    };
  };
  const associate = (type: 'meetings' | 'emails' | 'notes', contactId: string, typeId: number) => [
    {
      to: { id: contactId },
      types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: typeId }],
    },
  ];

  const steps: Step[] = [];
  async function step(who: string, what: string, contactId: string, act: () => Promise<unknown>) {
    const before = state(contactId);
    const started = performance.now();
    await act();
    let latencyMs: number | null = null;
    for (const end = Date.now() + 10_000; Date.now() < end;) {
      const now = state(contactId);
      if (now.at !== before.at) {
        latencyMs = Math.round(performance.now() - started);
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const after = state(contactId);
    steps.push({ who, what, before, after, latencyMs });
    log(
      `  ${who}: ${what} → ${before.status} ${before.score} ⇒ ${after.status} ${after.score}${latencyMs === null ? ' (nothing to change)' : `, re-qualified in ${latencyMs} ms`}`,
    );
  }

  const employees = (id: string) => {
    const companyId = portal.associations.list('contacts', id, 'companies')[0]?.[0];
    return Number(
      companyId ? portal.get('companies', companyId)?.properties['numberofemployees'] : 0,
    );
  };
  // A manager at a company of 50+: a meeting, a reply and a note on their need hand them to sales.
  const marketer =
    truth.find(
      ([id, t]) =>
        t.persona === 'content_marketer' &&
        portal.get('contacts', id)?.properties['lq_status'] === 'mql' &&
        employees(id) >= 50,
    )?.[0] ?? pick('content_marketer', 'mql');
  const secondMarketer = truth.find(
    ([id, t]) =>
      t.persona === 'content_marketer' &&
      id !== marketer &&
      portal.get('contacts', id)?.properties['lq_status'] === 'mql',
  )?.[0];
  const student = pick('student') ?? truth.find(([, t]) => t.persona === 'student')?.[0];
  const company = [...portal.all('companies')].find(
    (c) =>
      Number(c.properties['numberofemployees']) >= 200 &&
      c.properties['industry'] === 'COMPUTER_SOFTWARE',
  );

  const created = await hubspot.crm.contacts.basicApi.create({
    properties: {
      email: `new.vp.${Date.now()}@${company?.properties['domain'] ?? 'example.com'}`,
      firstname: 'Nadia',
      lastname: 'Okafor',
      jobtitle: 'VP of Revenue',
      country: 'United States',
    },
    associations: company
      ? [
          {
            to: { id: company.id },
            types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 }],
          },
        ]
      : [],
  });
  await step('A new VP at an ICP company', 'fills in the demo request form', created.id, () =>
    hubspot.crm.contacts.basicApi.update(created.id, {
      properties: {
        recent_conversion_event_name: 'Demo request form',
        recent_conversion_date: iso(Date.now()),
        first_conversion_event_name: 'Demo request form',
        first_conversion_date: iso(Date.now()),
        num_conversion_events: '1',
      },
    }),
  );
  if (marketer) {
    await step('A marketing manager (MQL)', 'books a meeting for next week', marketer, () =>
      hubspot.crm.objects.meetings.basicApi.create({
        properties: {
          hs_timestamp: iso(Date.now() + 5 * DAY),
          hs_meeting_start_time: iso(Date.now() + 5 * DAY),
          hs_meeting_outcome: 'SCHEDULED',
          hs_meeting_title: 'Intro',
        },
        associations: associate('meetings', marketer, 200),
      }),
    );
    await step('The same manager', 'replies to a sales e-mail', marketer, () =>
      hubspot.crm.objects.emails.basicApi.create({
        properties: {
          hs_timestamp: iso(Date.now()),
          hs_email_direction: 'INCOMING_EMAIL',
          hs_email_subject: 'Re: intro',
        },
        associations: associate('emails', marketer, 198),
      }),
    );
    await step(
      'Their rep',
      'logs a note: "need a fix for lead routing this quarter"',
      marketer,
      () =>
        hubspot.crm.objects.notes.basicApi.create({
          properties: {
            hs_timestamp: iso(Date.now()),
            hs_note_body: 'They need a fix for lead routing this quarter.',
          },
          associations: associate('notes', marketer, 202),
        }),
    );
  }
  if (student) {
    await step('A student', 'downloads another ebook', student, () =>
      hubspot.crm.contacts.basicApi.update(student, {
        properties: {
          recent_conversion_event_name: 'Ebook: Marketing 101',
          recent_conversion_date: iso(Date.now()),
          num_conversion_events: '5',
        },
      }),
    );
  }
  if (secondMarketer) {
    await step('Another MQL', 'unsubscribes from all e-mail', secondMarketer, () =>
      hubspot.crm.contacts.basicApi.update(secondMarketer, {
        properties: { hs_email_optout: 'true' },
      }),
    );
  }
  return steps;
}
