import { Divider, Flex, Link, StatusTag, Text } from '@hubspot/ui-extensions';
import type { LeadView } from '@lead-qualifier/contract';
import { contactUrl, recordUrl } from '@lead-qualifier/ui-kit';

const HOUR_MS = 3_600_000;

/** "25 minutes", "3 hours", "2 days": how long, in the unit a rep reads at a glance. */
export function span(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(ms / HOUR_MS);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(ms / (24 * HOUR_MS));
  return `${days} days`;
}

/** Where the hand-off stands on the first touch: due, done in time, late. */
export function firstTouchLine(lead: LeadView, now: number): string {
  if (lead.firstTouchAt !== null)
    return `First touch ${span(lead.firstTouchAt - lead.handedOffAt)} after the hand-off${lead.breached ? ', after its due time' : ''}.`;
  if (lead.outcome !== 'open') return 'Closed without a logged touch.';
  if (lead.breached) return `No touch yet: ${span(now - lead.firstTouchDueAt)} overdue.`;
  return `First touch due in ${span(lead.firstTouchDueAt - now)}.`;
}

const OUTCOME = {
  open: { text: 'With sales', variant: 'info' },
  qualified: { text: 'Qualified by sales', variant: 'success' },
  disqualified: { text: 'Disqualified by sales', variant: 'danger' },
} as const;

/** The contact's hand-off to sales: who has it and why, its stage, its first touch, a link. */
export function LeadSection({
  lead,
  now,
  portalId,
  contactId,
}: {
  lead: LeadView;
  now: number;
  portalId: number;
  contactId: string;
}) {
  const outcome = OUTCOME[lead.outcome];
  return (
    <Flex direction="column" gap="xs" testId="lead">
      <Divider />
      <Flex direction="row" gap="xs" align="center" wrap="wrap">
        <StatusTag variant={outcome.variant} testId="lead-outcome">
          {outcome.text}
        </StatusTag>
        {lead.breached && lead.outcome === 'open' && (
          <StatusTag variant="warning" testId="lead-breached">
            First touch overdue
          </StatusTag>
        )}
      </Flex>
      <Text testId="lead-routed">{lead.routedBy}</Text>
      <Text variant="microcopy" testId="lead-stage">
        {lead.mode === 'leads'
          ? `Lead stage: ${lead.stageLabel ?? 'unknown'} · handed off ${span(now - lead.handedOffAt)} ago`
          : `A follow-up task for the owner · handed off ${span(now - lead.handedOffAt)} ago`}
      </Text>
      <Text variant="microcopy" testId="lead-first-touch">
        {firstTouchLine(lead, now)}
      </Text>
      {lead.mode === 'leads' && lead.leadId ? (
        <Link href={{ url: recordUrl(portalId, '0-136', lead.leadId), external: true }}>
          Open the lead in HubSpot
        </Link>
      ) : (
        <Link href={{ url: contactUrl(portalId, contactId), external: true }}>
          Open the contact’s tasks in HubSpot
        </Link>
      )}
    </Flex>
  );
}
