import { Flex, Heading, Statistics, StatisticsItem, Text } from '@hubspot/ui-extensions';
import type { HandOffView } from '@lead-qualifier/contract';
import { SimpleTable } from '@lead-qualifier/ui-kit';

/** "34 min", "5.2 h", "–". */
const minutes = (m: number | null) =>
  m === null ? '–' : m < 90 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`;

/** Hand-offs to sales and how fast they were first touched: overall, by owner, by source. */
export function SpeedToLead({ report }: { report: HandOffView['firstTouch'] }) {
  return (
    <Flex direction="column" gap="sm" testId="speed-to-lead">
      <Heading>Speed to lead</Heading>
      {report.handedOff === 0 ? (
        <Text>
          No contact has been handed to sales yet (Settings › Hand-off to sales turns it on).
        </Text>
      ) : (
        <>
          <Statistics>
            <StatisticsItem label="Handed off" number={report.handedOff} />
            <StatisticsItem
              label="Median time to first touch"
              number={minutes(report.medianMinutes)}
            />
            <StatisticsItem label="First touch late" number={report.breached} />
          </Statistics>
          <SimpleTable
            testId="first-touch-by-owner"
            headers={['Owner', 'Handed off', 'Median first touch', 'Late']}
            rows={report.byOwner.map((o) => ({
              key: o.ownerId,
              cells: [o.name, o.handedOff, minutes(o.medianMinutes), o.breached],
            }))}
          />
          <SimpleTable
            testId="first-touch-by-source"
            headers={['Source', 'Handed off', 'Median first touch']}
            rows={report.bySource.map((s) => ({
              key: s.source,
              cells: [s.source, s.handedOff, minutes(s.medianMinutes)],
            }))}
          />
        </>
      )}
    </Flex>
  );
}
