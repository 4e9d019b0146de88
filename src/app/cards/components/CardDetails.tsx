import type { ReactNode } from 'react';
import {
  Accordion,
  Alert,
  Divider,
  Flex,
  Link,
  List,
  ScoreCircle,
  Statistics,
  StatisticsItem,
  StatusTag,
  Text,
} from '@hubspot/ui-extensions';
import type { CardView, LedgerEntry, ScoredQualification, Status } from '@lead-qualifier/contract';
import { nextStepLine, relativeDay } from '@lead-qualifier/shared';
import { ago, recordUrl, STATUS_LABEL, statusLabel } from '@lead-qualifier/ui-kit';

const STATUS_VARIANT: Record<Status, 'danger' | 'warning' | 'info' | 'success' | 'default'> = {
  unscored: 'default',
  lead: 'default',
  mql: 'info',
  ready: 'success',
  sql: 'success',
  disqualified: 'danger',
  recycled: 'warning',
};

/** The HubSpot stage each status is written as by default: a stage line only when it differs. */
const STAGE_OF_STATUS: Partial<Record<Status, string>> = {
  lead: 'lead',
  mql: 'marketingqualifiedlead',
  // Marketing's lead until a rep accepts it.
  ready: 'marketingqualifiedlead',
  sql: 'salesqualifiedlead',
};

const round = (n: number) => Math.round(n * 10) / 10;
const signed = (n: number) => (n > 0 ? `+${round(n)}` : n < 0 ? `−${round(-n)}` : '0');

/** "Nov 26", in the rep's own time zone. */
export const day = (at: number) =>
  new Date(at).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
/** "Nov 27, 2:00 PM", in the rep's own time zone. */
const dayTime = (at: number) =>
  new Date(at).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });

/**
 * The evidence as of now: written with its date relative to the scoring time ("today"), it is
 * restated relative to the server's time now ("3 days ago").
 */
function evidenceNow(evidence: string, at: number | null, scoredAt: number, now: number): string {
  if (at === null) return evidence;
  const then = `, ${relativeDay(at, scoredAt)}`;
  return evidence.endsWith(then)
    ? `${evidence.slice(0, -then.length)}, ${relativeDay(at, now)}`
    : evidence;
}

/** "+15 Meeting booked — once, in 5 days (worth less as it ages)". */
function factorLine(e: LedgerEntry, scoredAt: number, now: number): string {
  const aged = round(e.rawPoints) !== round(e.points) ? ' (worth less as it ages)' : '';
  return `${signed(e.points)} ${e.label} — ${evidenceNow(e.evidence, e.at, scoredAt, now)}${aged}`;
}

/** The factors behind the score by points: the three that raised it most, the two that cost most. */
function topFactors(ledger: readonly LedgerEntry[]) {
  const scored = ledger.filter((e) => e.kind !== 'disqualifier');
  const up = scored.filter((e) => e.points > 0).sort((a, b) => b.points - a.points);
  const down = scored.filter((e) => e.points < 0).sort((a, b) => a.points - b.points);
  return { up: up.slice(0, 3), down: down.slice(0, 2), all: scored };
}

/** Fit, engagement and negatives, each with its points, biggest first. */
function FactorGroups(props: { entries: readonly LedgerEntry[]; scoredAt: number; now: number }) {
  const groups: Array<[string, LedgerEntry[]]> = [
    ['Fit', props.entries.filter((e) => e.kind === 'fit')],
    ['Engagement', props.entries.filter((e) => e.kind === 'engagement')],
    ['Negatives', props.entries.filter((e) => e.kind === 'negative')],
  ];
  return (
    <Flex direction="column" gap="xs">
      {groups
        .filter(([, entries]) => entries.length > 0)
        .map(([title, entries]) => (
          <Flex
            key={title}
            direction="column"
            gap="flush"
            testId={`factors-${title.toLowerCase()}`}
          >
            <Text format={{ fontWeight: 'demibold' }}>
              {title} {signed(entries.reduce((sum, e) => sum + e.points, 0))}
            </Text>
            <List variant="unordered">
              {[...entries]
                .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
                .map((e) => (
                  <Text key={e.rule} variant="microcopy">
                    {factorLine(e, props.scoredAt, props.now)}
                  </Text>
                ))}
            </List>
          </Flex>
        ))}
    </Flex>
  );
}

/** The deadline and dates a rep acts on: since when, and by when to follow up. */
function milestoneLine(view: CardView, q: ScoredQualification): string | null {
  const { mqlAt, readyAt, sqlAt, slaDueAt, slaBreachedAt } = view.milestones;
  const parts: string[] = [];
  if (q.status === 'sql' && sqlAt !== null) parts.push(`SQL since ${day(sqlAt)}`);
  else if (q.status === 'ready' && readyAt !== null)
    parts.push(`Ready for sales since ${day(readyAt)}`);
  else if (q.status === 'mql' && mqlAt !== null) parts.push(`MQL since ${day(mqlAt)}`);
  // A follow-up is due while sales has not decided (not once a deal or a customer exists).
  const open = view.canGiveFeedback && view.feedback === null;
  if (open && slaBreachedAt !== null)
    parts.push(`follow-up overdue since ${dayTime(slaBreachedAt)}`);
  else if (open && slaDueAt !== null)
    parts.push(
      slaDueAt < view.now
        ? `follow-up was due ${dayTime(slaDueAt)}`
        : `follow up by ${dayTime(slaDueAt)} (${ago(slaDueAt, view.now)})`,
    );
  if (parts.length === 0) return null;
  const line = parts.join(' · ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

/**
 * The scored card, for a rep with ten seconds: what the lead is and why in the top block, the
 * factors that moved it most, then everything else folded away.
 */
export function CardDetails({
  view,
  qualification: q,
  portalId,
  action,
}: {
  view: CardView;
  qualification: ScoredQualification;
  /** The account, for links to the records the score used. */
  portalId: number;
  /** The main action (Accept / Reject SQL, or the decision made), under the top block. */
  action?: ReactNode;
}) {
  const disqualifiers = q.ledger.filter((e) => e.kind === 'disqualifier');
  const { up, down, all } = topFactors(q.ledger);
  const stage = q.lifecycle.target ?? q.lifecycle.current;
  const stageDiffers = stage !== null && STAGE_OF_STATUS[q.status] !== stage;
  const outdated = view.activeModelVersion !== null && view.activeModelVersion !== q.modelVersion;
  const criteria = [
    ...q.criteria.met.map((c) => ({ ...c, met: true })),
    ...q.criteria.missing.map((c) => ({ ...c, met: false })),
  ].sort((a, b) => a.label.localeCompare(b.label));
  const milestones = milestoneLine(view, q);
  const disqualified = disqualifiers.length > 0;

  const details = (
    <>
      <Accordion title={`All ${all.length} scoring factors`} size="sm" testId="ledger">
        {all.length === 0 ? (
          <Text testId="ledger-empty">
            No rule has fired yet: no fit match and no recent activity.
          </Text>
        ) : (
          <FactorGroups entries={all} scoredAt={q.scoredAt} now={view.now} />
        )}
      </Accordion>
      <Accordion
        title={`SQL criteria: ${q.criteria.met.length} of ${criteria.length} met`}
        size="sm"
        testId="criteria"
      >
        <List variant="unordered">
          {criteria.map((c) => (
            <Text key={c.id} variant="microcopy">
              {c.met ? 'Met' : 'Missing'} · {c.label} — {c.evidence}
            </Text>
          ))}
        </List>
      </Accordion>
    </>
  );

  return (
    <Flex direction="column" gap="sm">
      {disqualified && (
        <Alert title="Disqualified" variant="danger" testId="disqualified">
          {disqualifiers.map((e) => `${e.label} (${e.evidence})`).join('; ')}. Scores and criteria
          do not count while this applies.
        </Alert>
      )}
      <Flex direction="row" gap="sm" align="center" testId="summary">
        {!disqualified && <ScoreCircle score={q.score} />}
        <Flex direction="column" gap="xs">
          <StatusTag variant={STATUS_VARIANT[q.status]} testId="status">
            {STATUS_LABEL[q.status]}
          </StatusTag>
          {!disqualified && (
            <Statistics testId="fit-engagement">
              <StatisticsItem label="Fit" number={`${q.fitScore} · ${q.grade}`} />
              <StatisticsItem label="Engagement" number={String(q.engagementScore)} />
            </Statistics>
          )}
        </Flex>
      </Flex>
      <Text testId="status-reason">{q.reason}</Text>
      {stageDiffers && (
        <Text variant="microcopy" testId="stage">
          Lifecycle stage: {view.stageLabel ?? stage}
        </Text>
      )}
      {milestones && (
        <Text variant="microcopy" testId="milestones">
          {milestones}
        </Text>
      )}
      {action}
      {!disqualified && up.length + down.length > 0 && (
        <Flex direction="column" gap="flush" testId="top-factors">
          <Text format={{ fontWeight: 'demibold' }}>What moved the score most</Text>
          <List variant="unordered">
            {[...up, ...down].map((e) => (
              <Text key={e.rule} variant="microcopy">
                {factorLine(e, q.scoredAt, view.now)}
              </Text>
            ))}
          </List>
        </Flex>
      )}
      {!disqualified && (
        <Text variant="microcopy" testId="buying-signal">
          {q.buyingSignal.met
            ? `Buying signal: ${q.buyingSignal.evidence}`
            : 'No buying signal yet (a demo request, a meeting, a reply)'}
        </Text>
      )}
      {!disqualified && q.next.length > 0 && (
        <Flex direction="column" gap="flush" testId="next">
          <Text format={{ fontWeight: 'demibold' }}>What would move it up</Text>
          <List variant="unordered">
            {q.next.map((n) => (
              <Text key={n.text} variant="microcopy">
                {nextStepLine(n)}
              </Text>
            ))}
          </List>
        </Flex>
      )}
      <Divider />
      {details}
      {view.history.length > 0 && (
        <Accordion title="Status history" size="sm" testId="history">
          <List variant="unordered">
            {view.history.map((h) => (
              <Text key={h.at} variant="microcopy">
                {day(h.at)}: {h.from === null ? 'scored' : `${statusLabel(h.from)} →`}{' '}
                {statusLabel(h.to)} (score {h.score}). {h.reason}
              </Text>
            ))}
          </List>
        </Accordion>
      )}
      <Text variant="microcopy" testId="scored">
        {view.company
          ? `Company scored: ${view.company.name} (the contact's primary company). `
          : 'No company: only the contact’s own properties were scored. '}
        Scored {ago(q.scoredAt, view.now)} by model v{q.modelVersion}
        {outdated
          ? ` (v${view.activeModelVersion} is now active: rescoring brings it up to date)`
          : ''}
        .
      </Text>
      {view.company && (
        <Link
          testId="company-link"
          href={{ url: recordUrl(portalId, '0-2', view.company.id), external: true }}
        >
          {`Open ${view.company.name}`}
        </Link>
      )}
    </Flex>
  );
}
