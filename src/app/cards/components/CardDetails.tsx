import { Alert, Divider, Flex, Heading, List, StatusTag, Tag, Text } from '@hubspot/ui-extensions';
import type { CardView, LedgerEntry, Qualification, Status } from '@lead-qualifier/contract';
import { relativeDay } from '@lead-qualifier/shared';
import { ago, reasonLabel, STATUS_LABEL } from '@lead-qualifier/ui-kit';

const STATUS_VARIANT: Record<Status, 'danger' | 'warning' | 'info' | 'success' | 'default'> = {
  unscored: 'default',
  lead: 'default',
  mql: 'info',
  sql: 'success',
  disqualified: 'danger',
  recycled: 'warning',
};

const STAGE_LABEL: Record<string, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketingqualifiedlead: 'Marketing qualified lead',
  salesqualifiedlead: 'Sales qualified lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
  other: 'Other',
};

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The evidence as of now: it was written with its date relative to the scoring time ("today"),
 * which is restated relative to the server's time now ("3 days ago").
 */
function evidenceNow(e: LedgerEntry, scoredAt: number, now: number): string {
  if (e.at === null) return e.evidence;
  const then = `, ${relativeDay(e.at, scoredAt)}`;
  return e.evidence.endsWith(then)
    ? `${e.evidence.slice(0, -then.length)}, ${relativeDay(e.at, now)}`
    : e.evidence;
}

/** "Requested a demo — Demo request form, 3 days ago · +30 (40 before decay)". */
function ledgerLine(e: LedgerEntry, scoredAt: number, now: number): string {
  const decayed = round(e.rawPoints) !== round(e.points);
  const count = e.count > 1 ? ` ×${e.count}` : '';
  const points = e.kind === 'disqualifier' ? 'gates the score' : signed(round(e.points));
  const decay = decayed ? ` (${signed(round(e.rawPoints))} before decay)` : '';
  return `${e.label}${count} — ${evidenceNow(e, scoredAt, now)} · ${points}${decay}`;
}

/** The scored card: tags, when and by which model, the ledger, SQL criteria and next steps. */
export function CardDetails({
  view,
  qualification: q,
}: {
  view: CardView;
  qualification: Qualification & { scoredAt: number };
}) {
  const disqualifiers = q.ledger.filter((e) => e.kind === 'disqualifier');
  const raising = q.ledger.filter((e) => e.kind !== 'disqualifier' && e.points > 0);
  const lowering = q.ledger.filter((e) => e.kind !== 'disqualifier' && e.points < 0);
  const stage = q.lifecycle.target ?? q.lifecycle.current;
  const outdated = view.activeModelVersion !== null && view.activeModelVersion !== q.modelVersion;

  return (
    <Flex direction="column" gap="sm">
      {disqualifiers.length > 0 && (
        <Alert title="Disqualified" variant="danger" testId="disqualified">
          {disqualifiers.map((e) => `${e.label}: ${e.evidence}`).join('; ')}. Points do not count
          while a disqualifier applies.
        </Alert>
      )}
      <Flex direction="row" gap="xs" wrap="wrap" testId="tags">
        <Tag variant="default">Score {q.score}</Tag>
        <Tag variant={q.grade === 'A' ? 'success' : q.grade === 'D' ? 'warning' : 'default'}>
          Grade {q.grade}
        </Tag>
        <StatusTag variant={STATUS_VARIANT[q.status]}>{STATUS_LABEL[q.status]}</StatusTag>
        {stage && <Tag variant="info">{view.stageLabel ?? STAGE_LABEL[stage] ?? stage}</Tag>}
      </Flex>
      <Text variant="microcopy" testId="scored">
        Fit {q.fitScore} · engagement {q.engagementScore}. Scored {ago(q.scoredAt, view.now)} by
        model v{q.modelVersion}
        {outdated
          ? ` (v${view.activeModelVersion} is now active: rescoring brings it up to date)`
          : ''}
        .
      </Text>
      <Text variant="microcopy" testId="company">
        {view.company
          ? `Company scored: ${view.company.name} (the contact's primary company).`
          : 'No company: only the contact’s own properties were scored.'}
      </Text>
      <Text testId="status-reason">{q.reason}</Text>
      {view.feedback && (
        <Text variant="microcopy" testId="feedback">
          {view.feedback.decision === 'accepted' ? 'SQL accepted' : 'SQL rejected'}
          {view.feedback.reason ? ` (${reasonLabel(view.feedback.reason)})` : ''}
          {view.feedback.by.userEmail ? ` by ${view.feedback.by.userEmail}` : ''}{' '}
          {ago(view.feedback.at, view.now)}
          {view.feedback.note ? `: “${view.feedback.note}”` : ''}
        </Text>
      )}
      <Divider />
      <Heading>Why this score</Heading>
      {raising.length + lowering.length === 0 ? (
        <Text testId="ledger-empty">
          No rule has fired yet: no fit match and no recent activity.
        </Text>
      ) : (
        <List variant="unordered" testId="ledger">
          {[...raising, ...lowering].map((e) => (
            <Text key={e.rule} format={e.points < 0 ? { italic: true } : undefined}>
              {ledgerLine(e, q.scoredAt, view.now)}
            </Text>
          ))}
        </List>
      )}
      <Heading>SQL criteria</Heading>
      <Flex direction="column" gap="xs" testId="criteria">
        <Flex direction="row" gap="xs" align="center">
          <StatusTag variant={q.buyingSignal.met ? 'success' : 'default'}>
            {q.buyingSignal.met ? 'Met' : 'Missing'}
          </StatusTag>
          <Text inline>
            Buying signal{q.buyingSignal.evidence ? `: ${q.buyingSignal.evidence}` : ''}
          </Text>
        </Flex>
        {[
          ...q.criteria.met.map((c) => ({ ...c, met: true })),
          ...q.criteria.missing.map((c) => ({ ...c, met: false })),
        ].map((c) => (
          <Flex key={c.id} direction="row" gap="xs" align="center">
            <StatusTag variant={c.met ? 'success' : 'default'}>
              {c.met ? 'Met' : 'Missing'}
            </StatusTag>
            <Text inline>
              {c.label}: {c.evidence}
            </Text>
          </Flex>
        ))}
      </Flex>
      {q.next.length > 0 && (
        <>
          <Heading>Next steps</Heading>
          <List variant="ordered" testId="next">
            {q.next.map((n) => (
              <Text key={n.text}>
                {n.text}
                {n.points !== null ? ` (${signed(n.points)})` : ''}
                {n.reaches ? `, reaches ${n.reaches.toUpperCase()}` : ''}
              </Text>
            ))}
          </List>
        </>
      )}
    </Flex>
  );
}
