import { Flex, Heading, Statistics, StatisticsItem, Text } from '@hubspot/ui-extensions';
import type { FunnelSegment } from '@lead-qualifier/contract';
import { NotLoaded, SimpleTable, useLoaded } from '@lead-qualifier/ui-kit';
import { SpeedToLead } from './SpeedToLead';

const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 100)}%`);
const days = (n: number | null) => (n === null ? '–' : `${Math.round(n * 10) / 10} d`);
const HEADERS = [
  'Leads',
  'MQL',
  'SQL',
  'Lead→MQL',
  'MQL→SQL',
  'Days to MQL',
  'Days to SQL',
  'SQL→opp.',
  'Win rate',
];
const cells = (s: FunnelSegment) => [
  s.leads,
  s.mqls,
  s.sqls,
  pct(s.leadToMql),
  pct(s.mqlToSql),
  days(s.medianDaysToMql),
  days(s.medianDaysToSql),
  pct(s.sqlToOpportunity),
  pct(s.winRate),
];

/** The lead funnel from every recorded status change, and the SQL follow-up SLA. */
export function FunnelPanel({ base }: { base: string }) {
  const { data: view, error } = useLoaded(base, 'funnel');
  if (!view) return <NotLoaded what="The funnel" error={error} testId="funnel-error" />;
  const { overall } = view.funnel;
  return (
    <Flex direction="column" gap="md" testId="funnel">
      <Statistics>
        <StatisticsItem label="Leads" number={overall.leads} />
        <StatisticsItem label="Lead → MQL" number={pct(overall.leadToMql)} />
        <StatisticsItem label="MQL → SQL" number={pct(overall.mqlToSql)} />
        <StatisticsItem label="Median days to SQL" number={days(overall.medianDaysToSql)} />
        <StatisticsItem label="SQL → opportunity" number={pct(overall.sqlToOpportunity)} />
        <StatisticsItem label="Win rate" number={pct(overall.winRate)} />
        <StatisticsItem label="SQLs accepted by sales" number={pct(view.feedback.acceptanceRate)} />
        <StatisticsItem
          label="SLA met / breached"
          number={`${view.sla.met} / ${view.sla.breached}`}
        />
      </Statistics>
      <Text variant="microcopy">
        From {view.changes} recorded status changes. A lead that went straight to SQL counts as
        having passed MQL; opportunity and customer are the lifecycle stages deals set. Days to MQL
        and SQL count only leads that got there while Lead Qualifier was watching: one that was
        already an MQL or SQL at the first sync counts, but when it got there is unknown.
      </Text>
      <SpeedToLead report={view.speedToLead} />
      <Heading>By month the lead arrived</Heading>
      <SimpleTable
        testId="by-period"
        headers={['Month', ...HEADERS]}
        rows={view.funnel.byPeriod.map((p) => ({ key: p.period, cells: [p.period, ...cells(p)] }))}
      />
      <Heading>Inbound and outbound</Heading>
      <SimpleTable
        testId="by-channel"
        headers={['', ...HEADERS]}
        rows={view.funnel.byChannel.map((c) => ({
          key: c.channel,
          cells: [c.channel === 'inbound' ? 'Inbound' : 'Outbound (sales, imports)', ...cells(c)],
        }))}
      />
      <Heading>By original source</Heading>
      <SimpleTable
        testId="by-source"
        headers={['Source', ...HEADERS]}
        rows={view.funnel.bySource.map((s) => ({ key: s.source, cells: [s.source, ...cells(s)] }))}
      />
    </Flex>
  );
}
