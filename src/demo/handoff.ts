import type {
  CardView,
  FeedbackView,
  HandOffSettingsInput,
  HandOffView,
} from '@lead-qualifier/contract';
import { REJECTION_REASON_LABELS } from '@lead-qualifier/shared';
import { unwrapProxyEnvelope } from '@lead-qualifier/ui-kit';
import { BACKEND_URL, uiFetchAs } from './ui-walkthrough';
import type { Stack } from './stack';

const EMEA = ['United Kingdom', 'Germany', 'France', 'Netherlands', 'Ireland', 'Spain', 'Sweden'];

/** The settings page's and the card's calls, as a HubSpot user of the demo portal makes them. */
function asUser(stack: Stack, userEmail: string) {
  const ui = uiFetchAs(stack, 7, userEmail);
  return async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: object): Promise<T> => {
    const res = await ui.fetch(`${BACKEND_URL}${path}`, {
      method,
      ...(body ? { body: body as Record<string, unknown> } : {}),
    });
    const json: unknown = await res.json();
    const inner = unwrapProxyEnvelope(res.status, json);
    if (inner && inner.status >= 400)
      throw new Error(`${method} ${path}: ${inner.status} ${JSON.stringify(inner.body)}`);
    return (inner ? inner.body : json) as T;
  };
}

async function until<T>(check: () => T | null | undefined | false, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The admin turns the hand-off on in the settings page: account owners first, an EMEA
 * territory for two reps, then turns over the Sales team; only contacts that become ready from
 * now on (the demo keeps its backlog out, to show each new one within seconds).
 */
export async function enableHandOff(stack: Stack, log: (line: string) => void): Promise<void> {
  const admin = asUser(stack, 'admin@example.com');
  const view = await admin<HandOffView>('GET', '/api/settings/handoff');
  const byName = (name: string) => view.owners.find((o) => o.name === name)!.id;
  const sales = view.owners.flatMap((o) => o.teams).find((t) => t.name === 'Sales');
  const settings: HandOffSettingsInput = {
    enabled: true,
    handOffWaiting: false,
    trigger: 'ready',
    rules: [
      { kind: 'account_owner' },
      {
        kind: 'territory',
        name: 'EMEA',
        when: [{ object: 'contact', property: 'country', values: EMEA }],
        ownerIds: [byName('Ann Lee'), byName('Chloé Martin')],
      },
    ],
    roundRobinTeamId: sales?.id ?? null,
    firstTouchHours: 4,
  };
  const saved = await admin<HandOffView>('PUT', '/api/settings/handoff', settings);
  const seated = saved.owners.filter((o) => o.seated).map((o) => o.name);
  log(
    `  ${saved.mode.reason}\n  Admin turns it on: account owner first, territory EMEA → Ann Lee / Chloé Martin, then in turn over the Sales team (${seated.join(', ')}); first touch within 4 h.`,
  );
}

/**
 * What happened to the contacts that became ready for sales during the demo: their leads, who
 * got them and how fast; then a rep disqualifies one with a reason and qualifies another, and
 * the card and the feedback report say so.
 */
export async function playHandOff(stack: Stack, log: (line: string) => void): Promise<void> {
  const portal = stack.sandbox.state.portal(stack.portalId);
  const admin = asUser(stack, 'admin@example.com');
  const personSets = async (id: string, properties: Record<string, string>) => {
    const res = await fetch(`${stack.sandbox.url}/crm/v3/objects/leads/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${stack.personToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties }),
    });
    if (!res.ok) throw new Error(`updating lead ${id}: ${res.status}`);
  };
  const contactOf = (leadId: string) =>
    [...portal.associations.list('leads', leadId, 'contacts')][0]?.[0] ?? null;
  const contact = (id: string) => portal.get('contacts', id)?.properties ?? {};

  // A rep also hands an MQL over from its card, so there are two leads to work.
  if ([...portal.all('leads')].length < 2) {
    const mql = [...portal.all('contacts')].find((c) => c.properties['lq_status'] === 'mql');
    if (mql) {
      await admin<CardView>('POST', `/api/card/contacts/${mql.id}/handoff`);
      log('  A rep hands an MQL to sales from its card (Hand to sales).');
      await until(() => [...portal.all('leads')].some((l) => contactOf(l.id) === mql.id));
    }
  }
  const leads = [...portal.all('leads')];
  if (leads.length === 0) {
    log('  No contact became ready for sales during the demo: no lead to show.');
    return;
  }
  for (const lead of leads) {
    const contactId = contactOf(lead.id)!;
    // The hand-off is saved just after its lead is made: the card shows it once it is.
    let card = await admin<CardView>('GET', `/api/card/contacts/${contactId}`);
    for (let tries = 0; !card.lead && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      card = await admin<CardView>('GET', `/api/card/contacts/${contactId}`);
    }
    const ready = Date.parse(contact(contactId)['lq_ready_date'] ?? '');
    const after = Number.isFinite(ready)
      ? ` ${((lead.createdAt - ready) / 1000).toFixed(1)} s after it became ready`
      : '';
    log(
      `  Lead "${lead.properties['hs_lead_name']}" (${lead.properties['hs_lead_label']?.toLowerCase()}) in HubSpot${after}: ${card.lead?.routedBy ?? 'routing…'}; stage ${card.lead?.stageLabel ?? '?'}.`,
    );
  }

  const [first, second] = leads;
  const rejectedContact = contactOf(first!.id)!;
  await personSets(first!.id, {
    hs_pipeline_stage: 'unqualified-stage-id',
    hs_lead_disqualification_reason: 'NO_BUDGET',
    hs_lead_disqualification_note: 'Budget frozen until Q3',
  });
  log(`  The rep moves "${first!.properties['hs_lead_name']}" to Disqualified: no budget.`);
  await until(() => contact(rejectedContact)['lq_sql_feedback'] === 'rejected');
  const rejected = await admin<CardView>('GET', `/api/card/contacts/${rejectedContact}`);
  log(
    `    card: ${rejected.lead?.routedBy} · ${rejected.lead?.stageLabel}; SQL ${rejected.feedback?.decision} (${rejected.feedback?.reason ? REJECTION_REASON_LABELS[rejected.feedback.reason] : '–'}): “${rejected.feedback?.note}”; HubSpot: lq_sql_feedback=${contact(rejectedContact)['lq_sql_feedback']}, lq_rejection_reason=${contact(rejectedContact)['lq_rejection_reason']}`,
  );
  const report = await admin<FeedbackView>('GET', '/api/settings/feedback');
  log(
    `    feedback report: ${report.stats.rejected} rejected (${report.stats.reasons.map((r) => `${REJECTION_REASON_LABELS[r.reason]} ${r.count}`).join(', ')}), ${report.stats.accepted} accepted`,
  );
  if (second) {
    const acceptedContact = contactOf(second.id)!;
    await personSets(second.id, { hs_pipeline_stage: 'qualified-stage-id' });
    log(`  The rep moves "${second.properties['hs_lead_name']}" to Qualified.`);
    await until(() => contact(acceptedContact)['lq_status'] === 'sql');
    log(
      `    HubSpot: lq_status=${contact(acceptedContact)['lq_status']}, lq_sql_feedback=${contact(acceptedContact)['lq_sql_feedback']}, lifecyclestage=${contact(acceptedContact)['lifecyclestage']}`,
    );
  }
  const view = await admin<HandOffView>('GET', '/api/settings/handoff');
  log(
    `  Speed to lead: ${view.firstTouch.handedOff} handed off, median first touch ${view.firstTouch.medianMinutes === null ? '–' : `${view.firstTouch.medianMinutes.toFixed(1)} min`}, ${view.firstTouch.breached} late.`,
  );
}
